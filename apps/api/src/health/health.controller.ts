import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator.js';
import { READINESS_CACHE_MS, ReadinessCheck } from './readiness.js';

/** The readiness body (terminus' report): one entry per dependency checked. */
function readinessSchema(statuses: string[]): object {
  const indicators = {
    type: 'object',
    additionalProperties: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'string', enum: ['up', 'down'] } },
    },
    example: { dynamodb: { status: 'up' } },
  };
  return {
    type: 'object',
    required: ['status', 'details'],
    properties: {
      status: { type: 'string', enum: statuses },
      info: indicators,
      error: indicators,
      details: indicators,
    },
  };
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessCheck) {}

  @Get('live')
  @ApiOperation({ operationId: 'getLiveness', summary: 'Liveness: the process is up', security: [] })
  @ApiOkResponse({
    description: 'The process is up',
    schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } },
  })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Header('cache-control', 'no-store')
  @ApiOperation({
    operationId: 'getReadiness',
    summary: 'Readiness: the jobs table and the S3 buckets answer (503 otherwise)',
    description: `Up/down per dependency, no details (those are logged). One probe answers for ${READINESS_CACHE_MS} ms.`,
    security: [],
  })
  @ApiOkResponse({ description: 'Every dependency answers', schema: readinessSchema(['ok']) })
  @ApiServiceUnavailableResponse({
    description: 'A dependency does not answer',
    schema: readinessSchema(['error', 'shutting_down']),
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    const { ready, report } = await this.readiness.check();
    if (!ready) {
      // load balancers read the status code; the body says which dependency is down
      void reply.status(503);
    }
    return report;
  }
}
