import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { AwsHealthIndicators } from './aws.health.js';

/** How long one probe's result answers every readiness request. */
export const READINESS_CACHE_MS = 2000;

export interface Readiness {
  ready: boolean;
  /** terminus' report: up/down per dependency, never a message. */
  report: HealthCheckResult;
}

/**
 * The readiness probe, cached: concurrent requests share one probe, and its result answers for
 * READINESS_CACHE_MS after it finished, so a public, unauthenticated route cannot multiply AWS calls.
 */
@Injectable()
export class ReadinessCheck {
  private current?: { readiness: Promise<Readiness>; expiresAt: number };

  constructor(
    private readonly health: HealthCheckService,
    private readonly aws: AwsHealthIndicators,
  ) {}

  check(): Promise<Readiness> {
    if (this.current && Date.now() < this.current.expiresAt) {
      return this.current.readiness;
    }
    const entry = { readiness: this.probe(), expiresAt: Number.POSITIVE_INFINITY };
    const settled = (): void => {
      entry.expiresAt = Date.now() + READINESS_CACHE_MS;
    };
    entry.readiness.then(settled, settled);
    this.current = entry;
    return entry.readiness;
  }

  private async probe(): Promise<Readiness> {
    try {
      return { ready: true, report: await this.health.check([() => this.aws.dynamodb(), () => this.aws.s3()]) };
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        return { ready: false, report: error.getResponse() as HealthCheckResult };
      }
      throw error;
    }
  }
}
