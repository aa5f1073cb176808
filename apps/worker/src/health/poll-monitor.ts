import type { WorkerHealthConfig } from '../config/worker.config.js';

export interface PollHealth {
  /** The poll loop is making progress: a receive completed (with messages, empty or failed) recently. */
  live: boolean;
  /** The worker is consuming and SQS answered recently: it can take work. */
  ready: boolean;
  /** For the log only. */
  details: {
    consuming: boolean;
    msSinceReceive: number | undefined;
    msSinceSuccessfulReceive: number | undefined;
    stallAfterMs: number;
  };
}

/** What the poll loop reports about itself, read by the health endpoint. */
export class PollMonitor {
  private startedAt: number | undefined;
  private stopping = false;
  private lastReceiveAt: number | undefined;
  private lastSuccessAt: number | undefined;

  constructor(
    private readonly config: Pick<WorkerHealthConfig, 'stallAfterMs'>,
    private readonly now: () => number = Date.now,
  ) {}

  started(): void {
    this.startedAt = this.now();
  }

  stopped(): void {
    this.stopping = true;
  }

  receiveCompleted(succeeded: boolean): void {
    this.lastReceiveAt = this.now();
    if (succeeded) {
      this.lastSuccessAt = this.lastReceiveAt;
    }
  }

  health(): PollHealth {
    const now = this.now();
    const { stallAfterMs } = this.config;
    const consuming = this.startedAt !== undefined && !this.stopping;
    // a loop that just started has not had the chance to complete a receive yet
    const since = (at: number | undefined): number | undefined =>
      this.startedAt === undefined ? undefined : now - (at ?? this.startedAt);
    const msSinceReceive = since(this.lastReceiveAt);
    const msSinceSuccessfulReceive = since(this.lastSuccessAt);
    const live = msSinceReceive === undefined || msSinceReceive <= stallAfterMs;
    const ready = consuming && msSinceSuccessfulReceive !== undefined && msSinceSuccessfulReceive <= stallAfterMs;
    return { live, ready, details: { consuming, msSinceReceive, msSinceSuccessfulReceive, stallAfterMs } };
  }
}
