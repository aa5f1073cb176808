import { rethrowAws } from '../errors/dependency.error.js';
import type { DescribeEndpoint } from './describe-endpoint.js';

/** What DescribeEndpoint says of an endpoint's capacity (its first production variant). */
export interface EndpointCapacity {
  /** Instances in service: 0 while an async endpoint is scaled to zero or its first instance is still starting. */
  currentInstances: number;
  /** Instances wanted: more than current while instances are starting. */
  desiredInstances: number;
  /** AsyncInferenceConfig.ClientConfig.MaxConcurrentInvocationsPerInstance (1 when not said). */
  concurrencyPerInstance: number;
}

interface Cached {
  at: number;
  value: Promise<EndpointCapacity>;
}

/**
 * DescribeEndpoint through the SageMaker control plane, cached for `ttlMs` per endpoint: the control plane's
 * Describe* calls are rate-limited per account, and an instance count a few seconds old is good enough for an ETA.
 * Concurrent callers of one endpoint share one call.
 */
export class EndpointCapacityClient {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly client: DescribeEndpoint,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  describe(endpointName: string): Promise<EndpointCapacity> {
    const cached = this.cache.get(endpointName);
    if (cached && this.now() - cached.at < this.ttlMs) {
      return cached.value;
    }
    const value = this.fetch(endpointName);
    this.cache.set(endpointName, { at: this.now(), value });
    // a failure is not cached: the next caller asks again
    value.catch(() => this.cache.delete(endpointName));
    return value;
  }

  private async fetch(endpointName: string): Promise<EndpointCapacity> {
    try {
      const answer = await this.client.describeEndpoint(endpointName);
      const variant = answer.ProductionVariants?.[0];
      return {
        currentInstances: variant?.CurrentInstanceCount ?? 0,
        desiredInstances: variant?.DesiredInstanceCount ?? variant?.CurrentInstanceCount ?? 0,
        concurrencyPerInstance: answer.AsyncInferenceConfig?.ClientConfig?.MaxConcurrentInvocationsPerInstance ?? 1,
      };
    } catch (error) {
      return rethrowAws('SageMaker', error);
    }
  }
}
