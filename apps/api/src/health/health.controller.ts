import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator.js';
import { AwsHealthIndicators } from './aws.health.js';

/** The readiness body (terminus' report): one entry per dependency checked. */
function readinessSchema(statuses: string[]): object {
  const indicators = {
    type: 'object',
    additionalProperties: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'string', enum: ['up', 'down'] }, message: { type: 'string' } },
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
  constructor(
    private readonly health: HealthCheckService,
    private readonly aws: AwsHealthIndicators,
  ) {}

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
  // terminus' own OpenAPI description is added only when it can require() @nestjs/swagger: describe it here instead
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    operationId: 'getReadiness',
    summary: 'Readiness: DynamoDB, S3 and SQS answer (503 otherwise)',
    security: [],
  })
  @ApiOkResponse({ description: 'Every dependency answers', schema: readinessSchema(['ok']) })
  @ApiServiceUnavailableResponse({
    description: 'A dependency does not answer',
    schema: readinessSchema(['error', 'shutting_down']),
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.aws.dynamodb(), () => this.aws.s3(), () => this.aws.sqs()]);
    } catch (error) {
      // load balancers read the status code; operators read terminus' per-dependency report, kept as it is
      if (error instanceof ServiceUnavailableException) {
        void reply.status(503);
        return error.getResponse() as HealthCheckResult;
      }
      throw error;
    }
  }
}
