import type { Logger } from 'pino';
import { type S3Location, tryParseS3Uri } from '#libs/aws';
import { CANCELLATION_TOKEN } from '#libs/contracts';
import type { Clock } from './clock.js';

/** Whether the platform left a cancel marker for an inference. */
export type CancelCheck = (inferenceId: string) => Promise<boolean>;

/** Asked by the model between steps: true when it should stop now. Checks at most once per interval. */
export type StopCheck = () => Promise<boolean>;

export interface CancelWatchSettings {
  /** Where the markers are (`s3://bucket/cancel/`): the marker of an inference is `<this><inferenceId>`. */
  markerUri: string;
  /** The least time between two checks of one invocation (a real container checks a few times per second). */
  intervalMs: number;
}

/** The message a model answers when it stopped on its marker; CANCELLATION_TOKEN is what the worker recognises. */
export function canceledMessage(step: number, steps: number): string {
  const when = step === 0 ? 'before it started' : `after ${step} of ${steps} steps`;
  return `Inference canceled ${when}: the platform left a cancel marker (${CANCELLATION_TOKEN})`;
}

/**
 * The stub's side of cancel (as our own container does it): SageMaker async has no cancel call, so the model looks
 * for the marker the platform leaves in S3 before it starts an invocation and between its steps.
 */
export class CancelWatch {
  private readonly prefix: S3Location;

  constructor(
    private readonly settings: CancelWatchSettings,
    private readonly exists: (location: S3Location) => Promise<boolean>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    const prefix = tryParseS3Uri(settings.markerUri);
    if (!prefix) {
      throw new RangeError(`not an s3:// URI: ${settings.markerUri}`);
    }
    this.prefix = prefix;
  }

  /** Whether the marker is there now; a failed check counts as "not canceled" (the job then just runs on). */
  readonly isCanceled: CancelCheck = async (inferenceId) => {
    try {
      return await this.exists({ bucket: this.prefix.bucket, key: `${this.prefix.key}${inferenceId}` });
    } catch (error) {
      this.logger.warn({ event: 'cancel.check-failed', inferenceId, err: error }, 'could not check the cancel marker');
      return false;
    }
  };

  /** A check for one invocation that asks S3 at most once per interval (the first time at once). */
  stopCheckFor(inferenceId: string): StopCheck {
    let last: number | undefined;
    return async () => {
      const now = this.clock.now();
      if (last !== undefined && now - last < this.settings.intervalMs) {
        return false;
      }
      last = now;
      return this.isCanceled(inferenceId);
    };
  }
}
