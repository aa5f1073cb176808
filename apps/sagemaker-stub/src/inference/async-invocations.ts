import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { NotificationPublisher } from '../aws/notification-publisher.js';
import type { PayloadStore } from '../aws/payload-store.js';
import { type S3Location, tryParseS3Uri } from '#libs/aws';
import type { CancelWatch } from './cancel-watch.js';
import { AbortedError, type Clock } from './clock.js';
import { QueueClosedError, RequestExpiredError } from './endpoint-queue.js';
import type { StubEndpoint } from './endpoint-registry.js';
import type { InflightTracker } from './inflight-tracker.js';
import type { ProgressReporter } from './progress-reporter.js';
import { InvocationTimeoutError, type ModelOutcome, runModel } from './model-runner.js';
import {
  errorNotification,
  modelFailureReason,
  type NotificationRequest,
  successNotification,
} from './notification.js';
import type { TimingOptions } from './timing.js';
import { inJobTrace, traceOfCustomAttributes } from '#libs/observability';

export type AsyncInput = { kind: 's3'; uri: string; location: S3Location } | { kind: 'inline'; body: Buffer };

export interface AsyncInvocationRequest {
  endpoint: StubEndpoint;
  inferenceId: string;
  input: AsyncInput;
  contentType?: string;
  accept?: string;
  ttlMs: number;
  timeoutMs: number;
  /** X-Amzn-SageMaker-Custom-Attributes: the api sends the job's traceparent in it. */
  customAttributes?: string;
}

export interface AsyncInvocationReceipt {
  inferenceId: string;
  outputLocation: string;
  failureLocation?: string;
}

export interface AsyncInvocationSettings {
  region: string;
  /** S3OutputPath, ending with `/`. */
  outputUri: string;
  /** S3FailurePath, ending with `/`; without it no failure object is written. */
  failureUri?: string;
  /** NotificationConfig; a missing topic means no notification for that outcome, as in SageMaker. */
  successTopicArn?: string;
  errorTopicArn?: string;
  timing: TimingOptions;
  /** How often a running invocation reports its step to the progress topic (the reporter's topic). */
  progressIntervalMs: number;
}

export interface AsyncInvocationDeps {
  clock: Clock;
  store: PayloadStore;
  publisher: NotificationPublisher;
  tracker: InflightTracker;
  logger: Logger;
  /** Cancel markers to honour; without it the model never looks for one. */
  cancelWatch?: CancelWatch;
  /** Absent: no progress is published. */
  progress?: ProgressReporter;
}

type DispatchResult = { kind: 'ran'; outcome: ModelOutcome } | { kind: 'download-failed'; reason: string };

interface Invocation extends AsyncInvocationRequest {
  outputLocation: string;
  failureLocation?: string;
  receivedAt: number;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * InvokeEndpointAsync behind the 202: reads the input, waits for capacity, runs the model, then writes the output
 * (or the failure payload) to S3 and publishes SageMaker's notification to SNS.
 */
export class AsyncInvocationService {
  constructor(
    private readonly settings: AsyncInvocationSettings,
    private readonly deps: AsyncInvocationDeps,
  ) {}

  accept(request: AsyncInvocationRequest): AsyncInvocationReceipt {
    // Real SageMaker names the output with a fresh UUID, not the inference id (reference/aws.md section 3.3).
    const objectId = randomUUID();
    const invocation: Invocation = {
      ...request,
      outputLocation: `${this.settings.outputUri}${objectId}.out`,
      ...(this.settings.failureUri ? { failureLocation: `${this.settings.failureUri}${objectId}-error.out` } : {}),
      receivedAt: this.deps.clock.now(),
    };
    // the invocation is part of the job's trace, as a model container that reads its traceparent would make it
    const attributes = { 'imggen.job_id': request.inferenceId, 'sagemaker.endpoint': request.endpoint.name };
    const traced = inJobTrace(traceOfCustomAttributes(request.customAttributes), 'model.invocation', attributes, () =>
      this.run(invocation),
    );
    void this.deps.tracker.track(traced);
    return {
      inferenceId: request.inferenceId,
      outputLocation: invocation.outputLocation,
      ...(invocation.failureLocation ? { failureLocation: invocation.failureLocation } : {}),
    };
  }

  /** Logs the acceptance (inside the job's trace) and processes the invocation. */
  private run(invocation: Invocation): Promise<void> {
    const backlog = invocation.endpoint.queue.snapshot();
    this.deps.logger.info(
      {
        event: 'invocation.accepted',
        inferenceId: invocation.inferenceId,
        endpointName: invocation.endpoint.name,
        outputLocation: invocation.outputLocation,
        queued: backlog.queued,
        running: backlog.running,
        instances: backlog.currentInstances,
      },
      'async invocation accepted',
    );
    return this.process(invocation);
  }

  private async process(invocation: Invocation): Promise<void> {
    try {
      // The input is fetched at once, but the queue position is taken at acceptance: reads finishing out of order
      // must not reorder the FIFO backlog.
      const input: Promise<Buffer> =
        invocation.input.kind === 'inline'
          ? Promise.resolve(invocation.input.body)
          : this.deps.store.get(invocation.input.location);
      input.catch(() => undefined);
      let result: DispatchResult;
      try {
        result = await invocation.endpoint.queue.submit((signal) => this.dispatch(invocation, input, signal), {
          ttlMs: invocation.ttlMs,
        });
      } catch (error) {
        if (error instanceof QueueClosedError || error instanceof AbortedError) {
          this.deps.logger.warn(
            {
              event: 'invocation.dropped',
              inferenceId: invocation.inferenceId,
              endpointName: invocation.endpoint.name,
            },
            'async invocation dropped: the stub is shutting down',
          );
          return;
        }
        // The wording of these two reasons is not confirmed from AWS (reference/aws.md section 9, item 5).
        if (error instanceof RequestExpiredError) {
          await this.fail(invocation, `ClientError: Request expired: ${error.message} (RequestTTLSeconds).`, undefined);
          return;
        }
        if (error instanceof InvocationTimeoutError) {
          await this.fail(
            invocation,
            `ModelError: Invocation timed out: ${error.message} (InvocationTimeoutSeconds).`,
            undefined,
          );
          return;
        }
        throw error;
      }
      if (result.kind === 'download-failed') {
        await this.fail(invocation, result.reason, undefined);
      } else if (result.outcome.reply.statusCode === 200) {
        await this.succeed(invocation, result.outcome);
      } else {
        const { outcome } = result;
        await this.fail(invocation, modelFailureReason(outcome.reply.statusCode, outcome.errorMessage), outcome);
      }
    } catch (error) {
      this.deps.logger.error(
        { event: 'invocation.error', inferenceId: invocation.inferenceId, err: error },
        'async invocation crashed in the stub',
      );
    }
  }

  /** Runs on an instance: takes the input (already being read) and invokes the model with it. */
  private async dispatch(invocation: Invocation, input: Promise<Buffer>, signal: AbortSignal): Promise<DispatchResult> {
    let body: Buffer;
    try {
      body = await input;
    } catch (error) {
      const uri = invocation.input.kind === 's3' ? invocation.input.uri : 'the request';
      return {
        kind: 'download-failed',
        reason: `ClientError: Failed to download the input from ${uri}: ${errorMessage(error)}`,
      };
    }
    const outcome = await runModel(
      {
        format: invocation.endpoint.format,
        body,
        ...(invocation.contentType !== undefined ? { contentType: invocation.contentType } : {}),
        ...(invocation.accept !== undefined ? { accept: invocation.accept } : {}),
        timeoutMs: invocation.timeoutMs,
        ...(this.deps.cancelWatch ? { shouldStop: this.deps.cancelWatch.stopCheckFor(invocation.inferenceId) } : {}),
        ...(this.deps.progress
          ? {
              progress: {
                sink: this.deps.progress.for(invocation.inferenceId),
                intervalMs: this.settings.progressIntervalMs,
              },
            }
          : {}),
      },
      this.settings.timing,
      this.deps.clock,
      signal,
    );
    return { kind: 'ran', outcome };
  }

  private notificationRequest(invocation: Invocation): NotificationRequest {
    return {
      ...(invocation.accept !== undefined ? { accept: invocation.accept } : {}),
      ...(invocation.contentType !== undefined ? { contentType: invocation.contentType } : {}),
      endpointName: invocation.endpoint.name,
      ...(invocation.input.kind === 's3' ? { inputLocation: invocation.input.uri } : {}),
    };
  }

  private async succeed(invocation: Invocation, outcome: ModelOutcome): Promise<void> {
    const location = tryParseS3Uri(invocation.outputLocation);
    if (!location) {
      throw new Error(`bad output location ${invocation.outputLocation}`);
    }
    try {
      await this.deps.store.put(location, outcome.reply.body, outcome.reply.contentType);
    } catch (error) {
      await this.fail(invocation, `ServerError: Failed to upload the response: ${errorMessage(error)}`, undefined);
      return;
    }
    const now = this.deps.clock.now();
    const notification = successNotification({
      region: this.settings.region,
      receivedTime: new Date(invocation.receivedAt),
      eventTime: new Date(now),
      inferenceId: invocation.inferenceId,
      request: this.notificationRequest(invocation),
      responseContentType: outcome.reply.contentType,
      outputLocation: invocation.outputLocation,
    });
    await this.publish(this.settings.successTopicArn, notification, invocation);
    this.deps.logger.info(
      {
        event: 'invocation.completed',
        inferenceId: invocation.inferenceId,
        endpointName: invocation.endpoint.name,
        outputLocation: invocation.outputLocation,
        inferenceMs: outcome.inferenceMs,
        totalMs: now - invocation.receivedAt,
      },
      'async invocation completed',
    );
  }

  private async fail(invocation: Invocation, failureReason: string, outcome: ModelOutcome | undefined): Promise<void> {
    const failureLocation = invocation.failureLocation;
    const location = failureLocation ? tryParseS3Uri(failureLocation) : undefined;
    if (location) {
      // The failure object holds what the container answered, or the reason when it never answered.
      const body = outcome?.reply.body ?? Buffer.from(JSON.stringify({ message: failureReason }));
      const contentType = outcome?.reply.contentType ?? 'application/json';
      try {
        await this.deps.store.put(location, body, contentType);
      } catch (error) {
        this.deps.logger.error(
          { event: 'invocation.failure-upload-failed', inferenceId: invocation.inferenceId, err: error },
          'could not write the failure payload',
        );
      }
    }
    const now = this.deps.clock.now();
    const notification = errorNotification({
      region: this.settings.region,
      receivedTime: new Date(invocation.receivedAt),
      eventTime: new Date(now),
      inferenceId: invocation.inferenceId,
      request: this.notificationRequest(invocation),
      failureReason,
      ...(failureLocation !== undefined ? { failureLocation } : {}),
    });
    await this.publish(this.settings.errorTopicArn, notification, invocation);
    this.deps.logger.info(
      {
        event: 'invocation.failed',
        inferenceId: invocation.inferenceId,
        endpointName: invocation.endpoint.name,
        failureReason,
        failureLocation,
        totalMs: now - invocation.receivedAt,
      },
      'async invocation failed',
    );
  }

  private async publish(
    topicArn: string | undefined,
    notification: Record<string, unknown>,
    invocation: Invocation,
  ): Promise<void> {
    if (!topicArn) {
      return;
    }
    try {
      await this.deps.publisher.publish(topicArn, JSON.stringify(notification));
    } catch (error) {
      // SageMaker counts these as NotificationFailures; the job is then only found by polling S3.
      this.deps.logger.error(
        { event: 'invocation.notification-failed', inferenceId: invocation.inferenceId, topicArn, err: error },
        'could not publish the notification',
      );
    }
  }
}
