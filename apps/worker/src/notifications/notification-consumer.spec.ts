import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { type PinoLogger } from 'nestjs-pino';
import { DependencyUnavailableError, MessageQueue, type QueueMessage } from '#libs/aws';
import { type AutoMocked, automock, waitFor } from '#libs/testing';
import type { ConsumerConfig } from '../config/worker.config.js';
import { PollMonitor } from '../health/poll-monitor.js';
import { NotificationConsumer } from './notification-consumer.js';
import { type HandleResult, NotificationHandler } from './notification.handler.js';

const consumerConfig: ConsumerConfig = {
  concurrency: 2,
  batchSize: 10,
  waitTimeSeconds: 1,
  visibilityTimeoutSeconds: 60,
  retry: { baseDelaySeconds: 10, maxDelaySeconds: 300, jitterRatio: 0, maxReceiveCount: 5, poisonDelaySeconds: 2 },
  shutdownTimeoutMs: 5000,
};

function message(id: string, receiveCount = 1): QueueMessage {
  return { messageId: id, receiptHandle: `r-${id}`, body: '{}', receiveCount };
}

/** A queue that hands out the given messages once, then long-polls (until aborted) with nothing. */
function queueWith(messages: QueueMessage[]): AutoMocked<MessageQueue> {
  const queue = automock(MessageQueue);
  const pending = [...messages];
  queue.receive.mockImplementation(async ({ maxMessages }, signal) => {
    if (pending.length > 0) {
      return pending.splice(0, maxMessages);
    }
    await new Promise((resolve) => signal?.addEventListener('abort', resolve));
    return [];
  });
  queue.delete.mockResolvedValue(undefined);
  queue.changeVisibility.mockResolvedValue(undefined);
  return queue;
}

const never = (): Promise<HandleResult> => new Promise<HandleResult>(() => undefined);
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/** Lets every pending promise chain run (setImmediate is not faked). */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await tick();
  }
}

describe(NotificationConsumer.name, () => {
  let consumer: NotificationConsumer | undefined;
  const logger = { setContext: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };

  function start(
    queue: AutoMocked<MessageQueue>,
    handler: AutoMocked<NotificationHandler>,
    overrides: Partial<ConsumerConfig> = {},
    monitor = new PollMonitor({ stallAfterMs: 60_000 }),
  ): NotificationConsumer {
    consumer = new NotificationConsumer(
      queue as unknown as MessageQueue,
      handler,
      monitor,
      logger as unknown as PinoLogger,
      { consumer: { ...consumerConfig, ...overrides } },
    );
    consumer.start();
    return consumer;
  }

  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
  });

  it('deletes finished messages, hides retries for the backoff and dead-letters after a short fixed delay', async () => {
    const queue = queueWith([message('ok'), message('again', 3), message('poison')]);
    const handler = automock(NotificationHandler);
    const results: Record<string, HandleResult> = {
      ok: { action: 'delete', outcome: 'succeeded' },
      again: { action: 'retry', reason: 'S3 is unavailable' },
      poison: { action: 'dead-letter', reason: 'malformed' },
    };
    handler.handle.mockImplementation(async (m) => results[m.messageId]!);

    start(queue, handler, { concurrency: 3 });
    await waitFor(() =>
      queue.changeVisibility.mock.calls.length === 2 && queue.delete.mock.calls.length === 1 ? true : undefined,
    );

    expect(queue.delete.mock.calls).toEqual([['r-ok']]);
    // receive 3 of a retry: 10 s × 2² (no jitter here); dead-letter: the poison delay, never 0 (a hot loop)
    expect(queue.changeVisibility.mock.calls).toEqual(
      expect.arrayContaining([
        ['r-again', 40],
        ['r-poison', 2],
      ]),
    );
  });

  it('asks for the visibility and long-poll wait it is configured with', async () => {
    const queue = queueWith([]);
    start(queue, automock(NotificationHandler));
    await waitFor(() => (queue.receive.mock.calls.length === 1 ? true : undefined));
    expect(queue.receive.mock.calls[0]![0]).toEqual({
      maxMessages: 2,
      waitTimeSeconds: 1,
      visibilityTimeoutSeconds: 60,
    });
    expect(queue.receive.mock.calls[0]![1]).toBeInstanceOf(AbortSignal);
  });

  it('caps the backoff at the maximum delay', async () => {
    const queue = queueWith([message('late', 9)]);
    const handler = automock(NotificationHandler);
    handler.handle.mockResolvedValue({ action: 'retry', reason: 'down' });
    start(queue, handler);
    await waitFor(() => (queue.changeVisibility.mock.calls.length === 1 ? true : undefined));
    expect(queue.changeVisibility.mock.calls).toEqual([['r-late', 300]]);
  });

  it('retries a message whose handler throws anyway', async () => {
    const queue = queueWith([message('boom')]);
    const handler = automock(NotificationHandler);
    handler.handle.mockRejectedValue(new Error('bug'));
    start(queue, handler);
    await waitFor(() => (queue.changeVisibility.mock.calls.length === 1 ? true : undefined));
    expect(queue.changeVisibility.mock.calls).toEqual([['r-boom', 10]]);
    expect(queue.delete).not.toHaveBeenCalled();
  });

  it('keeps consuming when settling a message fails', async () => {
    const queue = queueWith([message('a'), message('b')]);
    queue.delete.mockRejectedValueOnce(new DependencyUnavailableError('SQS', 'down'));
    const handler = automock(NotificationHandler);
    handler.handle.mockResolvedValue({ action: 'delete', outcome: 'succeeded' });
    start(queue, handler);
    await waitFor(() => (queue.delete.mock.calls.length === 2 ? true : undefined));
    expect(logger.warn).toHaveBeenCalledWith(expect.objectContaining({ messageId: 'a' }), 'could not settle message');
  });

  it('never handles more than `concurrency` messages at once', async () => {
    const queue = queueWith([message('a'), message('b'), message('c'), message('d')]);
    const handler = automock(NotificationHandler);
    let active = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    handler.handle.mockImplementation(async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise<void>((resolve) => releases.push(resolve));
      active--;
      return { action: 'delete', outcome: 'succeeded' };
    });
    start(queue, handler);
    await waitFor(() => (releases.length === 2 ? true : undefined));
    expect(queue.receive.mock.calls[0]![0].maxMessages).toBe(2);
    releases.splice(0).forEach((release) => release());
    await waitFor(() => (releases.length === 2 ? true : undefined));
    releases.splice(0).forEach((release) => release());
    await waitFor(() => (queue.delete.mock.calls.length === 4 ? true : undefined));
    expect(peak).toBe(2);
  });

  it('asks only for as many messages as it has free slots', async () => {
    const queue = queueWith([message('a')]);
    const handler = automock(NotificationHandler);
    handler.handle.mockImplementation(never);
    start(queue, handler, { concurrency: 3, shutdownTimeoutMs: 50 });
    await waitFor(() => (queue.receive.mock.calls.length === 2 ? true : undefined));
    expect(queue.receive.mock.calls.map(([options]) => options.maxMessages)).toEqual([3, 2]);
  });

  it('labels its log lines with its name', () => {
    start(queueWith([]), automock(NotificationHandler));
    expect(logger.setContext).toHaveBeenCalledWith('NotificationConsumer');
  });

  it('tells the health monitor it consumes, how each receive went, and when it stops', async () => {
    const queue = queueWith([message('a')]);
    const handler = automock(NotificationHandler);
    handler.handle.mockResolvedValue({ action: 'delete', outcome: 'succeeded' });
    const monitor = new PollMonitor({ stallAfterMs: 60_000 });
    const completed = jest.spyOn(monitor, 'receiveCompleted');
    expect(monitor.health().details.consuming).toBe(false);
    const sut = start(queue, handler, {}, monitor);
    expect(monitor.health().details.consuming).toBe(true);
    await waitFor(() => (queue.receive.mock.calls.length === 2 ? true : undefined));
    expect(completed.mock.calls).toEqual([[true]]);
    expect(monitor.health().ready).toBe(true);
    await sut.stop();
    expect(monitor.health()).toMatchObject({ ready: false, details: { consuming: false } });
  });

  it('does not count a receive cut short by shutdown as a failed one', async () => {
    const queue = queueWith([]);
    queue.receive.mockImplementation(
      (_options, signal) =>
        new Promise<QueueMessage[]>((_resolve, reject) =>
          signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))),
        ),
    );
    const monitor = new PollMonitor({ stallAfterMs: 60_000 });
    const completed = jest.spyOn(monitor, 'receiveCompleted');
    const sut = start(queue, automock(NotificationHandler), {}, monitor);
    await waitFor(() => (queue.receive.mock.calls.length === 1 ? true : undefined));
    await sut.stop();
    await tick();
    expect(completed).not.toHaveBeenCalled();
    expect(queue.receive).toHaveBeenCalledTimes(1);
  });

  it('starts one poll loop however often it is started, and none once stopped', async () => {
    const queue = queueWith([]);
    const sut = start(queue, automock(NotificationHandler));
    sut.start();
    await waitFor(() => (queue.receive.mock.calls.length >= 1 ? true : undefined));
    await tick();
    expect(queue.receive).toHaveBeenCalledTimes(1);
    await sut.stop();
    sut.start();
    await tick();
    expect(queue.receive).toHaveBeenCalledTimes(1);
  });

  describe('with a fake clock', () => {
    beforeEach(() => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    });
    afterEach(async () => {
      const stopping = consumer?.stop();
      await jest.advanceTimersByTimeAsync(consumerConfig.shutdownTimeoutMs);
      await stopping;
      consumer = undefined;
      jest.useRealTimers();
    });

    function slowHandler(result: HandleResult): { handler: AutoMocked<NotificationHandler>; finish: () => void } {
      const handler = automock(NotificationHandler);
      let finish!: () => void;
      handler.handle.mockImplementation(() => new Promise<HandleResult>((resolve) => (finish = () => resolve(result))));
      return { handler, finish: () => finish() };
    }

    /** Calls stop() and tells whether it has resolved yet. */
    function stopping(sut: NotificationConsumer): { done: () => boolean; promise: Promise<void> } {
      let done = false;
      const promise = sut.stop().then(() => {
        done = true;
      });
      return { done: () => done, promise };
    }

    it('renews the full visibility timeout every half timeout, and no more once the work is done', async () => {
      const queue = queueWith([message('slow')]);
      const { handler, finish } = slowHandler({ action: 'delete', outcome: 'succeeded' });
      start(queue, handler, { visibilityTimeoutSeconds: 60 });
      await flush();
      expect(handler.handle).toHaveBeenCalledTimes(1);

      await jest.advanceTimersByTimeAsync(29_999);
      expect(queue.changeVisibility).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);
      expect(queue.changeVisibility.mock.calls).toEqual([['r-slow', 60]]);
      await jest.advanceTimersByTimeAsync(30_000);
      expect(queue.changeVisibility.mock.calls).toEqual([
        ['r-slow', 60],
        ['r-slow', 60],
      ]);

      finish();
      await flush();
      expect(queue.delete.mock.calls).toEqual([['r-slow']]);
      await jest.advanceTimersByTimeAsync(120_000);
      expect(queue.changeVisibility).toHaveBeenCalledTimes(2);
    });

    it('sets the retry backoff only after a renewal under way has answered, so the backoff is the last word', async () => {
      const queue = queueWith([message('again', 2)]);
      let renewed!: () => void;
      queue.changeVisibility.mockImplementationOnce(() => new Promise<void>((resolve) => (renewed = resolve)));
      const { handler, finish } = slowHandler({ action: 'retry', reason: 'S3 is unavailable' });
      start(queue, handler, { visibilityTimeoutSeconds: 60 });
      await flush();
      await jest.advanceTimersByTimeAsync(30_000);
      expect(queue.changeVisibility.mock.calls).toEqual([['r-again', 60]]);

      finish();
      await flush();
      expect(queue.changeVisibility).toHaveBeenCalledTimes(1);
      renewed();
      await flush();
      // receive 2: 10 s × 2
      expect(queue.changeVisibility.mock.calls).toEqual([
        ['r-again', 60],
        ['r-again', 20],
      ]);
    });

    it('pauses 1 s after a failed receive, without piling up abort listeners during an outage', async () => {
      const queue = queueWith([]);
      queue.receive.mockRejectedValue(new DependencyUnavailableError('SQS', 'down'));
      start(queue, automock(NotificationHandler));
      await flush();
      expect(queue.receive).toHaveBeenCalledTimes(1);
      expect(logger.error).toHaveBeenCalledWith(expect.anything(), 'receive failed; retrying in 1 s');
      const signal = queue.receive.mock.calls[0]![1]!;
      const listeners = getEventListeners(signal, 'abort').length;
      await jest.advanceTimersByTimeAsync(999);
      expect(queue.receive).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(queue.receive).toHaveBeenCalledTimes(2);
      await jest.advanceTimersByTimeAsync(3000);
      expect(queue.receive).toHaveBeenCalledTimes(5);
      expect(getEventListeners(signal, 'abort')).toHaveLength(listeners);
    });

    it('stops a receive that fails in a loop at once, leaving no timer behind', async () => {
      const queue = queueWith([]);
      queue.receive.mockRejectedValue(new DependencyUnavailableError('SQS', 'down'));
      const sut = start(queue, automock(NotificationHandler));
      await flush();
      const stop = stopping(sut);
      await flush();
      expect(stop.done()).toBe(true);
      expect(queue.receive).toHaveBeenCalledTimes(1);
      expect(jest.getTimerCount()).toBe(0);
    });

    it.each([
      [500, 400],
      [60_000, 55_000],
    ])(
      'with a %i ms bound and work that never finishes: waits for it %i ms, then releases it (visibility 0)',
      async (shutdownTimeoutMs, waitMs) => {
        const queue = queueWith([message('a'), message('b'), message('c')]);
        const handler = automock(NotificationHandler);
        handler.handle.mockImplementation(never);
        // no heartbeat within the test
        const sut = start(queue, handler, { shutdownTimeoutMs, visibilityTimeoutSeconds: 600 });
        await flush();
        expect(handler.handle).toHaveBeenCalledTimes(2);

        const stop = stopping(sut);
        await jest.advanceTimersByTimeAsync(waitMs - 1);
        expect(queue.changeVisibility).not.toHaveBeenCalled();
        await jest.advanceTimersByTimeAsync(1);
        expect(queue.changeVisibility.mock.calls).toEqual([
          ['r-a', 0],
          ['r-b', 0],
        ]);
        await flush();
        expect(stop.done()).toBe(true);
        expect(queue.delete).not.toHaveBeenCalled();
        expect(handler.handle).toHaveBeenCalledTimes(2);
        expect(jest.getTimerCount()).toBe(0);
      },
    );

    it('waits for the releases to answer, but resolves at the bound when releasing hangs', async () => {
      const queue = queueWith([message('a')]);
      const handler = automock(NotificationHandler);
      handler.handle.mockImplementation(never);
      queue.changeVisibility.mockImplementation(() => new Promise<void>(() => undefined));
      const sut = start(queue, handler, { shutdownTimeoutMs: 300 });
      await flush();
      const stop = stopping(sut);
      await jest.advanceTimersByTimeAsync(240);
      expect(queue.changeVisibility.mock.calls).toEqual([['r-a', 0]]);
      await jest.advanceTimersByTimeAsync(59);
      expect(stop.done()).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(stop.done()).toBe(true);
    });

    it('releases the other messages when releasing one fails', async () => {
      const queue = queueWith([message('a'), message('b')]);
      queue.changeVisibility.mockRejectedValueOnce(new DependencyUnavailableError('SQS', 'down'));
      const handler = automock(NotificationHandler);
      handler.handle.mockImplementation(never);
      const sut = start(queue, handler, { shutdownTimeoutMs: 500 });
      await flush();
      const stop = stopping(sut);
      await jest.advanceTimersByTimeAsync(400);
      await flush();
      expect(stop.done()).toBe(true);
      expect(queue.changeVisibility.mock.calls).toEqual([
        ['r-a', 0],
        ['r-b', 0],
      ]);
    });

    it('leaves a released message alone when its work finishes after all', async () => {
      const queue = queueWith([message('late')]);
      const { handler, finish } = slowHandler({ action: 'delete', outcome: 'succeeded' });
      const sut = start(queue, handler, { shutdownTimeoutMs: 100 });
      await flush();
      const stop = stopping(sut);
      await jest.advanceTimersByTimeAsync(100);
      await stop.promise;
      finish();
      await flush();
      expect(queue.delete).not.toHaveBeenCalled();
      expect(queue.changeVisibility.mock.calls).toEqual([['r-late', 0]]);
    });

    it('stops extending the visibility of a message it released', async () => {
      const queue = queueWith([message('stuck')]);
      const handler = automock(NotificationHandler);
      handler.handle.mockImplementation(never);
      const sut = start(queue, handler, { shutdownTimeoutMs: 200, visibilityTimeoutSeconds: 0.1 });
      await flush();
      const stop = stopping(sut);
      await jest.advanceTimersByTimeAsync(200);
      await stop.promise;
      // renewals every 50 ms until the release at 160 ms
      expect(queue.changeVisibility.mock.calls).toEqual([
        ['r-stuck', 0.1],
        ['r-stuck', 0.1],
        ['r-stuck', 0.1],
        ['r-stuck', 0],
      ]);
      await jest.advanceTimersByTimeAsync(1000);
      expect(queue.changeVisibility).toHaveBeenCalledTimes(4);
    });

    it('waits for a receive that ignores the abort until the bound minus the release reserve', async () => {
      const queue = queueWith([]);
      queue.receive.mockImplementation(() => new Promise<QueueMessage[]>(() => undefined));
      const sut = start(queue, automock(NotificationHandler), { shutdownTimeoutMs: 300 });
      await flush();
      const stop = stopping(sut);
      await jest.advanceTimersByTimeAsync(239);
      expect(stop.done()).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(stop.done()).toBe(true);
    });

    it('hands back the messages a receive returns late, after shutdown began, before resolving', async () => {
      const queue = queueWith([]);
      queue.receive.mockImplementation(
        () => new Promise<QueueMessage[]>((resolve) => setTimeout(() => resolve([message('late')]), 100)),
      );
      const handler = automock(NotificationHandler);
      const sut = start(queue, handler);
      await flush();
      const stop = stopping(sut);
      await jest.advanceTimersByTimeAsync(99);
      expect(stop.done()).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await flush();
      expect(stop.done()).toBe(true);
      expect(queue.changeVisibility.mock.calls).toEqual([['r-late', 0]]);
      expect(handler.handle).not.toHaveBeenCalled();
    });
  });

  describe('stop()', () => {
    it('at application shutdown, stops polling and finishes the messages in flight before resolving', async () => {
      const queue = queueWith([message('slow')]);
      const handler = automock(NotificationHandler);
      let release!: () => void;
      handler.handle.mockImplementation(async () => {
        await new Promise<void>((resolve) => (release = resolve));
        return { action: 'delete', outcome: 'succeeded' };
      });
      const sut = start(queue, handler);
      await waitFor(() => (handler.handle.mock.calls.length === 1 ? true : undefined));

      let stopped = false;
      const stopping = sut.onApplicationShutdown().then(() => (stopped = true));
      await tick();
      expect(stopped).toBe(false);
      expect(queue.delete).not.toHaveBeenCalled();

      release();
      await stopping;
      expect(queue.delete.mock.calls).toEqual([['r-slow']]);
      expect(queue.changeVisibility).not.toHaveBeenCalled();
      const polls = queue.receive.mock.calls.length;
      await tick();
      expect(queue.receive.mock.calls.length).toBe(polls);
    });

    it('hands back at once messages a receive returns after shutdown began', async () => {
      const queue = queueWith([]);
      let answer!: (messages: QueueMessage[]) => void;
      queue.receive.mockImplementation(() => new Promise<QueueMessage[]>((resolve) => (answer = resolve)));
      const handler = automock(NotificationHandler);
      const sut = start(queue, handler);
      await waitFor(() => (queue.receive.mock.calls.length === 1 ? true : undefined));
      const stopping = sut.stop();
      answer([message('late')]);
      await stopping;
      expect(queue.changeVisibility.mock.calls).toEqual([['r-late', 0]]);
      expect(handler.handle).not.toHaveBeenCalled();
    });
  });

  it('reports a failed receive to the health monitor as failed', async () => {
    const queue = queueWith([]);
    queue.receive.mockRejectedValueOnce(new DependencyUnavailableError('SQS', 'down'));
    const monitor = new PollMonitor({ stallAfterMs: 60_000 });
    const completed = jest.spyOn(monitor, 'receiveCompleted');
    start(queue, automock(NotificationHandler), {}, monitor);
    await flush();
    expect(completed.mock.calls).toEqual([[false]]);
  });
});
