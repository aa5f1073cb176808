import { Inject, Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { PinoLogger } from 'nestjs-pino';
import { JobRepository, ObjectStore } from '#libs/aws';
import { bounded, TIMED_OUT } from '#libs/runtime';
import { API_CONFIG, type ApiConfig } from '../config/api.config.js';

const PROBE_TIMEOUT_MS = 2000;

async function withTimeout<T>(promise: Promise<T>): Promise<T> {
  const outcome = await bounded(promise, PROBE_TIMEOUT_MS);
  if (outcome === TIMED_OUT) {
    throw new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`);
  }
  return outcome;
}

/**
 * Readiness of what the api itself uses: the jobs table and the requests and images buckets. SQS is the worker's.
 * SageMaker is left out on purpose: its only check is DescribeEndpoint, a control-plane call (its own IAM
 * permission, a low rate limit) the api never otherwise makes; an endpoint at zero instances still takes async
 * jobs; and while it is down the api still serves reads and answers submissions 503 itself, so pulling every task
 * out of the load balancer would only make things worse.
 */
@Injectable()
export class AwsHealthIndicators {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly jobs: JobRepository,
    private readonly objects: ObjectStore,
    private readonly logger: PinoLogger,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {
    this.logger.setContext(AwsHealthIndicators.name);
  }

  dynamodb(): Promise<HealthIndicatorResult> {
    return this.check('dynamodb', () => this.jobs.ping());
  }

  s3(): Promise<HealthIndicatorResult> {
    return this.check('s3', async () => {
      await Promise.all([
        this.objects.ping(this.config.resources.requestsBucket),
        this.objects.ping(this.config.resources.imagesBucket),
      ]);
    });
  }

  private async check(key: string, probe: () => Promise<void>): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    try {
      await withTimeout(probe());
      return indicator.up();
    } catch (error) {
      // the reason (hosts, SDK text) is for operators; the answer only says "down"
      this.logger.warn({ err: error, dependency: key }, `readiness: ${key} is down`);
      return indicator.down();
    }
  }
}
