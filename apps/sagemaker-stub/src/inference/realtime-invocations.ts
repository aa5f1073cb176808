import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { StubEndpoint } from './endpoint-registry.js';
import type { InflightTracker } from './inflight-tracker.js';
import { type ModelOutcome, runModel } from './model-runner.js';
import type { TimingOptions } from './timing.js';

/** Containers must answer real-time requests within 60 s (reference/aws.md section 5). */
export const REALTIME_TIMEOUT_MS = 60_000;

export interface RealtimeInvocationRequest {
  endpoint: StubEndpoint;
  inferenceId?: string;
  body: Buffer;
  contentType?: string;
  accept?: string;
}

export interface RealtimeInvocationDeps {
  clock: Clock;
  tracker: InflightTracker;
  logger: Logger;
  timing: TimingOptions;
}

/** InvokeEndpoint: waits for capacity, runs the model and returns its answer (the route maps errors). */
export async function invokeRealtime(
  request: RealtimeInvocationRequest,
  deps: RealtimeInvocationDeps,
): Promise<ModelOutcome> {
  const { endpoint } = request;
  const started = deps.clock.now();
  deps.logger.info(
    { event: 'invocation.accepted', inferenceId: request.inferenceId, endpointName: endpoint.name, mode: 'realtime' },
    'real-time invocation accepted',
  );
  const outcome = await deps.tracker.track(
    endpoint.queue.submit((signal) =>
      runModel(
        {
          format: endpoint.format,
          body: request.body,
          ...(request.contentType !== undefined ? { contentType: request.contentType } : {}),
          ...(request.accept !== undefined ? { accept: request.accept } : {}),
          timeoutMs: REALTIME_TIMEOUT_MS,
        },
        deps.timing,
        deps.clock,
        signal,
      ),
    ),
  );
  const ok = outcome.reply.statusCode === 200;
  deps.logger.info(
    {
      event: ok ? 'invocation.completed' : 'invocation.failed',
      inferenceId: request.inferenceId,
      endpointName: endpoint.name,
      mode: 'realtime',
      statusCode: outcome.reply.statusCode,
      inferenceMs: outcome.inferenceMs,
      totalMs: deps.clock.now() - started,
      ...(ok ? {} : { error: outcome.errorMessage }),
    },
    ok ? 'real-time invocation completed' : 'real-time invocation failed',
  );
  return outcome;
}
