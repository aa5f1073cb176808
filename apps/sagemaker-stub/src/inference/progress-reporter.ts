import type { Logger } from 'pino';
import type { ProgressMessage } from '#libs/contracts';
import type { NotificationPublisher } from '../aws/notification-publisher.js';
import type { Clock } from './clock.js';

/** What a running invocation tells of its progress. */
export interface ProgressSink {
  started(totalSteps: number): void;
  step(step: number, totalSteps: number): void;
}

const NO_PROGRESS: ProgressSink = { started: () => undefined, step: () => undefined };

/**
 * Publishes a model's progress to the progress topic the way our own container will: `started` once, then steps.
 * Fire and forget: progress is advisory, and a lost message only makes a job's progress coarser.
 */
export class ProgressReporter {
  constructor(
    private readonly publisher: NotificationPublisher,
    private readonly topicArn: string | undefined,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  for(inferenceId: string): ProgressSink {
    const topicArn = this.topicArn;
    if (!topicArn) {
      return NO_PROGRESS;
    }
    const send = (fields: Pick<ProgressMessage, 'event'> & Partial<ProgressMessage>): void => {
      const message: ProgressMessage = {
        type: 'imggen.progress',
        inferenceId,
        at: new Date(this.clock.now()).toISOString(),
        ...fields,
      };
      this.publisher.publish(topicArn, JSON.stringify(message)).catch((error: unknown) => {
        this.logger.warn({ event: 'progress.publish-failed', inferenceId, err: error }, 'could not publish progress');
      });
    };
    return {
      started: (totalSteps) => send({ event: 'started', step: 0, totalSteps }),
      step: (step, totalSteps) => send({ event: 'step', step, totalSteps }),
    };
  }
}

/**
 * Reports the step a simulated inference of `durationMs` has reached, every `intervalMs` (so at most 1000 /
 * intervalMs messages a second), until the returned function is called. Steps only go forward; the last step is not
 * reported (the notification says the job is done).
 */
export function reportSteps(
  sink: ProgressSink,
  clock: Clock,
  { totalSteps, durationMs, intervalMs }: { totalSteps: number; durationMs: number; intervalMs: number },
): () => void {
  const started = clock.now();
  let last = 0;
  let cancel: (() => void) | undefined;
  const tick = (): void => {
    const step = Math.min(totalSteps - 1, Math.floor(((clock.now() - started) / durationMs) * totalSteps));
    if (step > last) {
      last = step;
      sink.step(step, totalSteps);
    }
    cancel = clock.setTimer(intervalMs, tick);
  };
  if (durationMs > 0 && intervalMs > 0 && totalSteps > 1) {
    cancel = clock.setTimer(intervalMs, tick);
  }
  return () => cancel?.();
}
