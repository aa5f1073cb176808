import { type JobRepository } from '#libs/aws';
import type { Job } from '#libs/contracts';

/** Told the job as read on every poll (undefined: it is gone); each stream keeps what it already sent. */
export type JobListener = (job: Job | undefined) => void;

interface Watch {
  listeners: Set<JobListener>;
  timer?: NodeJS.Timeout;
  stopped: boolean;
}

/**
 * The jobs this api instance's streams watch: one strongly consistent GetItem per watched job per interval, shared
 * by every stream of that job on this instance. Each api instance polls DynamoDB itself, so it sees writes made
 * anywhere (other api instances, the worker): there is no in-memory fan-out between instances.
 */
export class JobWatchHub {
  private readonly watches = new Map<string, Watch>();

  constructor(
    private readonly jobs: Pick<JobRepository, 'get'>,
    private readonly pollMs: number,
    private readonly onError: (error: unknown, jobId: string) => void = () => undefined,
  ) {}

  /** Starts telling `listener` about `jobId` from the next poll; the answer stops it. */
  watch(jobId: string, listener: JobListener): () => void {
    let watch = this.watches.get(jobId);
    if (!watch) {
      watch = { listeners: new Set(), stopped: false };
      this.watches.set(jobId, watch);
      this.schedule(jobId, watch);
    }
    watch.listeners.add(listener);
    const current = watch;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0) {
        current.stopped = true;
        clearTimeout(current.timer);
        if (this.watches.get(jobId) === current) {
          this.watches.delete(jobId);
        }
      }
    };
  }

  /** Jobs polled right now (tests, metrics). */
  get size(): number {
    return this.watches.size;
  }

  private schedule(jobId: string, watch: Watch): void {
    watch.timer = setTimeout(() => void this.poll(jobId, watch), this.pollMs);
  }

  private async poll(jobId: string, watch: Watch): Promise<void> {
    try {
      const job = await this.jobs.get(jobId);
      if (watch.stopped) {
        return;
      }
      for (const listener of [...watch.listeners]) {
        listener(job);
      }
    } catch (error) {
      // DynamoDB unavailable: the streams stay open and the next poll tries again
      this.onError(error, jobId);
    }
    if (!watch.stopped) {
      this.schedule(jobId, watch);
    }
  }
}
