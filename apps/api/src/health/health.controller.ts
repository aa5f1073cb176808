import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../auth/public.decorator.js';
import { AwsHealthIndicators } from './aws.health.js';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly aws: AwsHealthIndicators,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: DynamoDB, S3 and SQS answer (503 otherwise)' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.aws.dynamodb(), () => this.aws.s3(), () => this.aws.sqs()]);
  }
}
