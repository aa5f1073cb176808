import type { Clock } from './clock.js';

export interface CapacityOptions {
  /** MaxConcurrentInvocationsPerInstance. */
  concurrencyPerInstance: number;
  /** Instances kept when idle (0 = scale to zero). The endpoint starts with this many, already warm. */
  minInstances: number;
  maxInstances: number;
  /** Time for a new instance to come into service. */
  coldStartMs: number;
  /** Idle time after which the endpoint scales in to minInstances. */
  scaleInAfterMs: number;
}

export interface CapacitySnapshot {
  /** Instances in service (DescribeEndpoint CurrentInstanceCount). */
  currentInstances: number;
  /** In service + starting (DescribeEndpoint DesiredInstanceCount). */
  desiredInstances: number;
  queued: number;
  running: number;
  /** Last time the instance count changed (ms on the clock). */
  lastScaledAt: number;
}

export class QueueClosedError extends Error {
  constructor() {
    super('the endpoint is shutting down');
    this.name = 'QueueClosedError';
  }
}

/** The request waited in the queue longer than its RequestTTLSeconds. */
export class RequestExpiredError extends Error {
  constructor(readonly ttlMs: number) {
    super(`request expired after ${Math.round(ttlMs / 1000)} s in the queue`);
    this.name = 'RequestExpiredError';
  }
}

export interface SubmitOptions {
  /** Longest time the request may wait for capacity (RequestTTLSeconds). */
  ttlMs?: number;
}

interface QueueItem {
  work: (signal: AbortSignal) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  cancelExpiry?: () => void;
}

/**
 * One endpoint's instances and its FIFO backlog. Each instance in service runs up to concurrencyPerInstance
 * invocations; a backlog with no instance (or more backlog than instances can take) starts instances, each after
 * coldStartMs, up to maxInstances; after scaleInAfterMs with nothing queued or running, it scales in to
 * minInstances. Scaling decisions are immediate (real autoscaling reacts within minutes): only the cold start
 * is simulated.
 */
export class EndpointQueue {
  private ready: number;
  private starting = 0;
  private running = 0;
  private readonly waiting: QueueItem[] = [];
  private readonly startTimers = new Set<() => void>();
  private cancelScaleIn: (() => void) | undefined;
  private readonly aborter = new AbortController();
  private closed = false;
  private lastScaledAt: number;

  constructor(
    private readonly options: CapacityOptions,
    private readonly clock: Clock,
  ) {
    this.ready = options.minInstances;
    this.lastScaledAt = clock.now();
  }

  snapshot(): CapacitySnapshot {
    return {
      currentInstances: this.ready,
      desiredInstances: this.ready + this.starting,
      queued: this.waiting.length,
      running: this.running,
      lastScaledAt: this.lastScaledAt,
    };
  }

  /** Runs `work` when capacity allows, in arrival order. */
  submit<T>(work: (signal: AbortSignal) => Promise<T>, options: SubmitOptions = {}): Promise<T> {
    if (this.closed) {
      return Promise.reject(new QueueClosedError());
    }
    return new Promise<T>((resolve, reject) => {
      const item: QueueItem = { work, resolve: (value) => resolve(value as T), reject };
      if (options.ttlMs !== undefined) {
        const ttlMs = options.ttlMs;
        item.cancelExpiry = this.clock.setTimer(ttlMs, () => {
          const index = this.waiting.indexOf(item);
          if (index >= 0) {
            this.waiting.splice(index, 1);
            reject(new RequestExpiredError(ttlMs));
            this.afterChange();
          }
        });
      }
      this.waiting.push(item);
      this.cancelScaleIn?.();
      this.cancelScaleIn = undefined;
      this.scaleOut();
      this.pump();
    });
  }

  /** Stops: queued invocations are rejected with QueueClosedError, running ones see their signal abort. */
  close(): void {
    this.closed = true;
    this.aborter.abort();
    for (const item of this.waiting.splice(0)) {
      item.cancelExpiry?.();
      item.reject(new QueueClosedError());
    }
    for (const cancel of this.startTimers) {
      cancel();
    }
    this.startTimers.clear();
    this.cancelScaleIn?.();
    this.cancelScaleIn = undefined;
  }

  private pump(): void {
    while (!this.closed && this.waiting.length > 0 && this.running < this.ready * this.options.concurrencyPerInstance) {
      const item = this.waiting.shift();
      if (!item) {
        break;
      }
      item.cancelExpiry?.();
      this.running += 1;
      void this.run(item);
    }
    this.afterChange();
  }

  private async run(item: QueueItem): Promise<void> {
    try {
      item.resolve(await item.work(this.aborter.signal));
    } catch (error) {
      item.reject(error);
    } finally {
      this.running -= 1;
      this.pump();
    }
  }

  private scaleOut(): void {
    const backlog = this.waiting.length + this.running;
    const wanted = Math.min(
      this.options.maxInstances,
      Math.max(this.options.minInstances, Math.ceil(backlog / this.options.concurrencyPerInstance)),
    );
    for (let total = this.ready + this.starting; total < wanted; total += 1) {
      this.startInstance();
    }
  }

  private startInstance(): void {
    this.starting += 1;
    this.lastScaledAt = this.clock.now();
    const cancel = this.clock.setTimer(this.options.coldStartMs, () => {
      this.startTimers.delete(cancel);
      this.starting -= 1;
      this.ready += 1;
      this.lastScaledAt = this.clock.now();
      this.pump();
    });
    this.startTimers.add(cancel);
  }

  /** Arms the scale-in timer once the endpoint is idle with more instances than its minimum. */
  private afterChange(): void {
    const idle = this.waiting.length === 0 && this.running === 0 && this.starting === 0;
    if (this.closed || !idle || this.ready <= this.options.minInstances || this.cancelScaleIn) {
      return;
    }
    this.cancelScaleIn = this.clock.setTimer(this.options.scaleInAfterMs, () => {
      this.cancelScaleIn = undefined;
      this.ready = this.options.minInstances;
      this.lastScaledAt = this.clock.now();
    });
  }
}
