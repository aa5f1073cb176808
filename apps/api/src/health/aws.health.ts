import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { JobRepository, MessageQueue, ObjectStore } from '#libs/aws';
import { API_CONFIG, type ApiConfig } from '../config/api.config.js';

const PROBE_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS).unref(),
    ),
  ]);
}

/** Readiness of the AWS dependencies the api cannot work without. */
@Injectable()
export class AwsHealthIndicators {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly jobs: JobRepository,
    private readonly objects: ObjectStore,
    private readonly queue: MessageQueue,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

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

  sqs(): Promise<HealthIndicatorResult> {
    return this.check('sqs', async () => {
      await this.queue.depth();
    });
  }

  private async check(key: string, probe: () => Promise<void>): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    try {
      await withTimeout(probe());
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}
