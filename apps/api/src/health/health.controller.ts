import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator.js';
import { READINESS_CACHE_MS, ReadinessCheck } from './readiness.js';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessCheck) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Readiness: the jobs table and the S3 buckets answer (503 otherwise)',
    description: `Up/down per dependency, no details (those are logged). One probe answers for ${READINESS_CACHE_MS} ms.`,
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
