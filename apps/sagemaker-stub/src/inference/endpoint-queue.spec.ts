import { AbortedError, ManualClock, sleep } from './clock.js';
import { type CapacityOptions, EndpointQueue, QueueClosedError, RequestExpiredError } from './endpoint-queue.js';

const options: CapacityOptions = {
  concurrencyPerInstance: 1,
  minInstances: 0,
  maxInstances: 1,
  coldStartMs: 2000,
  scaleInAfterMs: 60_000,
};

interface Tracked<T> {
  promise: Promise<T>;
  settled: () => boolean;
  value: () => T | undefined;
  error: () => unknown;
}

function track<T>(promise: Promise<T>): Tracked<T> {
  let done = false;
  let value: T | undefined;
  let error: unknown;
  promise.then(
    (v) => {
      done = true;
      value = v;
    },
    (e: unknown) => {
      done = true;
      error = e;
    },
  );
  return { promise, settled: () => done, value: () => value, error: () => error };
}

describe('EndpointQueue', () => {
  let clock: ManualClock;
  let started: string[];

  beforeEach(() => {
    clock = new ManualClock(1_000_000);
    started = [];
  });

  /** A job that records when it starts and takes `ms` on the clock. */
  const job =
    (name: string, ms: number) =>
    async (signal: AbortSignal): Promise<string> => {
      started.push(`${name}@${clock.now()}`);
      await sleep(clock, ms, signal);
      return name;
    };

  it('pays a cold start at zero instances, then runs FIFO one at a time', async () => {
    const queue = new EndpointQueue(options, clock);
    expect(queue.snapshot()).toMatchObject({ currentInstances: 0, desiredInstances: 0 });
    const a = track(queue.submit(job('a', 100)));
    const b = track(queue.submit(job('b', 100)));
    const c = track(queue.submit(job('c', 100)));
    expect(queue.snapshot()).toMatchObject({ currentInstances: 0, desiredInstances: 1, queued: 3, running: 0 });

    await clock.advance(1999);
    expect(started).toEqual([]);
    await clock.advance(1);
    expect(started).toEqual(['a@1002000']);
    expect(queue.snapshot()).toMatchObject({ currentInstances: 1, queued: 2, running: 1 });
    await clock.advance(300);
    expect(started).toEqual(['a@1002000', 'b@1002100', 'c@1002200']);
    expect([a.value(), b.value(), c.value()]).toEqual(['a', 'b', 'c']);
  });

  it('runs up to concurrencyPerInstance at once on an instance', async () => {
    const queue = new EndpointQueue({ ...options, concurrencyPerInstance: 2, coldStartMs: 0 }, clock);
    ['a', 'b', 'c'].forEach((name) => void queue.submit(job(name, 100)));
    await clock.advance(0);
    expect(started).toEqual(['a@1000000', 'b@1000000']);
    await clock.advance(100);
    expect(started).toEqual(['a@1000000', 'b@1000000', 'c@1000100']);
  });

  it('scales to zero after the idle period, and pays the cold start again', async () => {
    const queue = new EndpointQueue(options, clock);
    void queue.submit(job('a', 100));
    await clock.advance(2100);
    expect(queue.snapshot()).toMatchObject({ currentInstances: 1, running: 0, queued: 0 });
    await clock.advance(59_999);
    expect(queue.snapshot().currentInstances).toBe(1);
    await clock.advance(1);
    expect(queue.snapshot()).toMatchObject({ currentInstances: 0, desiredInstances: 0, lastScaledAt: 1_062_100 });

    void queue.submit(job('b', 100));
    await clock.advance(1999);
    expect(started).toEqual(['a@1002000']);
    await clock.advance(1);
    expect(started).toEqual(['a@1002000', 'b@1064100']);
  });

  it('a new request during the idle period keeps the instance warm', async () => {
    const queue = new EndpointQueue(options, clock);
    void queue.submit(job('a', 100));
    await clock.advance(2100 + 30_000);
    void queue.submit(job('b', 100));
    await clock.advance(0);
    expect(started).toEqual(['a@1002000', 'b@1032100']);
    await clock.advance(100 + 59_999);
    expect(queue.snapshot().currentInstances).toBe(1);
    await clock.advance(1);
    expect(queue.snapshot().currentInstances).toBe(0);
  });

  it('starts warm and never goes below minInstances', async () => {
    const queue = new EndpointQueue({ ...options, minInstances: 1 }, clock);
    expect(queue.snapshot().currentInstances).toBe(1);
    void queue.submit(job('a', 100));
    await clock.advance(0);
    expect(started).toEqual(['a@1000000']);
    await clock.advance(1_000_000);
    expect(queue.snapshot().currentInstances).toBe(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('scales out up to maxInstances when the backlog exceeds the instances', async () => {
    const queue = new EndpointQueue({ ...options, maxInstances: 2 }, clock);
    ['a', 'b', 'c'].forEach((name) => void queue.submit(job(name, 1000)));
    expect(queue.snapshot()).toMatchObject({ currentInstances: 0, desiredInstances: 2 });
    await clock.advance(2000);
    expect(started).toEqual(['a@1002000', 'b@1002000']);
    expect(queue.snapshot()).toMatchObject({ currentInstances: 2, desiredInstances: 2, running: 2, queued: 1 });
    await clock.advance(1000);
    expect(started).toContain('c@1003000');
    await clock.advance(1000 + 60_000);
    expect(queue.snapshot().currentInstances).toBe(0);
  });

  it('expires a request that waits longer than its TTL', async () => {
    const queue = new EndpointQueue({ ...options, coldStartMs: 0 }, clock);
    const a = track(queue.submit(job('a', 5000)));
    const b = track(queue.submit(job('b', 100), { ttlMs: 1000 }));
    await clock.advance(999);
    expect(b.settled()).toBe(false);
    await clock.advance(1);
    expect(b.error()).toBeInstanceOf(RequestExpiredError);
    expect(queue.snapshot().queued).toBe(0);
    await clock.advance(4000);
    expect(a.value()).toBe('a');
    expect(started).toEqual(['a@1000000']);
  });

  it('does not expire a request once it runs', async () => {
    const queue = new EndpointQueue({ ...options, coldStartMs: 0 }, clock);
    const a = track(queue.submit(job('a', 5000), { ttlMs: 1000 }));
    await clock.advance(5000);
    expect(a.value()).toBe('a');
  });

  it('passes a failing job error to its caller and carries on', async () => {
    const queue = new EndpointQueue({ ...options, coldStartMs: 0 }, clock);
    const failing = track(queue.submit(() => Promise.reject(new Error('boom'))));
    const next = track(queue.submit(job('next', 10)));
    await clock.advance(10);
    expect((failing.error() as Error).message).toBe('boom');
    expect(next.value()).toBe('next');
  });

  it('on close rejects the queued requests, aborts the running ones and refuses new ones', async () => {
    const queue = new EndpointQueue({ ...options, coldStartMs: 0 }, clock);
    const running = track(queue.submit(job('a', 5000)));
    const queued = track(queue.submit(job('b', 100), { ttlMs: 10_000 }));
    await clock.advance(0);
    queue.close();
    await clock.advance(0);
    expect(running.error()).toBeInstanceOf(AbortedError);
    expect(queued.error()).toBeInstanceOf(QueueClosedError);
    await expect(queue.submit(job('c', 1))).rejects.toBeInstanceOf(QueueClosedError);
    expect(clock.pendingTimers()).toBe(0);
  });
});
