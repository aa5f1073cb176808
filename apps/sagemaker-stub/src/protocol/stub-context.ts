import type { Logger } from 'pino';
import type { AsyncInvocationService } from '../inference/async-invocations.js';
import type { Clock } from '../inference/clock.js';
import type { EndpointRegistry, StubEndpoint } from '../inference/endpoint-registry.js';
import type { InflightTracker } from '../inference/inflight-tracker.js';
import type { TimingOptions } from '../inference/timing.js';
import { validationError } from './api-error.js';
import type { InvocationThrottle } from './throttle.js';

/** Everything the routes need, built once by the server. */
export interface StubContext {
  accountId: string;
  region: string;
  endpoints: EndpointRegistry;
  asyncInvocations: AsyncInvocationService;
  tracker: InflightTracker;
  clock: Clock;
  logger: Logger;
  timing: TimingOptions;
  /** Refuses the first invocations of each inference id with ThrottlingException (STUB_THROTTLE_ATTEMPTS). */
  throttle: InvocationThrottle;
  /** For DescribeEndpoint's AsyncInferenceConfig. */
  asyncConfig: {
    outputUri: string;
    failureUri?: string;
    successTopicArn?: string;
    errorTopicArn?: string;
    maxConcurrentInvocationsPerInstance: number;
  };
}

/** The endpoint, or SageMaker runtime's ValidationError for an unknown one (reference/aws.md section 1.5). */
export function requireEndpoint(context: StubContext, name: string): StubEndpoint {
  const endpoint = context.endpoints.get(name);
  if (!endpoint) {
    throw validationError(`Endpoint ${name} of account ${context.accountId} not found.`);
  }
  return endpoint;
}
