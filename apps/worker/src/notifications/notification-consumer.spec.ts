import { afterEach, describe, expect, it, jest } from '@jest/globals';
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
      handler as unknown as NotificationHandler,
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

  it('extends the visibility every half timeout while the work runs, and stops when it is done', async () => {
    const queue = queueWith([message('slow')]);
    const handler = automock(NotificationHandler);
    let release!: () => void;
    handler.handle.mockImplementation(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return { action: 'delete', outcome: 'succeeded' };
    });
    // 0.1 s visibility: a heartbeat every 50 ms
    start(queue, handler, { visibilityTimeoutSeconds: 0.1 });

    await waitFor(() => (queue.changeVisibility.mock.calls.length >= 2 ? true : undefined));
    expect(new Set(queue.changeVisibility.mock.calls.map((call) => JSON.stringify(call)))).toEqual(
      new Set([JSON.stringify(['r-slow', 0.1])]),
    );
    expect(queue.delete).not.toHaveBeenCalled();

    release();
    await waitFor(() => (queue.delete.mock.calls.length === 1 ? true : undefined));
    const renewals = queue.changeVisibility.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(queue.changeVisibility.mock.calls.length).toBe(renewals);
  });

  it('reports each receive to the health monitor', async () => {
    const queue = queueWith([]);
    queue.receive.mockRejectedValueOnce(new DependencyUnavailableError('SQS', 'down'));
    const monitor = new PollMonitor({ stallAfterMs: 60_000 });
    const completed = jest.spyOn(monitor, 'receiveCompleted');
    start(queue, automock(NotificationHandler), {}, monitor);
    await waitFor(() => (queue.receive.mock.calls.length === 2 ? true : undefined), { timeoutMs: 3000 });
    expect(completed.mock.calls).toEqual([[false]]);
    expect(logger.error).toHaveBeenCalledWith(expect.anything(), 'receive failed; retrying in 1 s');
  });

  describe('stop()', () => {
    it('stops polling and finishes the messages in flight before resolving', async () => {
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
      const stopping = sut.stop().then(() => (stopped = true));
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

    it('at full concurrency with work that never finishes, resolves within the bound and releases that work', async () => {
      const queue = queueWith([message('a'), message('b'), message('c')]);
      const handler = automock(NotificationHandler);
      handler.handle.mockImplementation(never);
      const sut = start(queue, handler, { shutdownTimeoutMs: 500 });
      await waitFor(() => (handler.handle.mock.calls.length === 2 ? true : undefined));

      const started = Date.now();
      await sut.stop();
      const took = Date.now() - started;

      expect(took).toBeLessThan(700);
      // most of the bound went to waiting for the work to finish, the rest is kept for releasing
      expect(took).toBeGreaterThanOrEqual(380);
      expect(queue.changeVisibility.mock.calls).toEqual(
        expect.arrayContaining([
          ['r-a', 0],
          ['r-b', 0],
        ]),
      );
      expect(queue.changeVisibility).toHaveBeenCalledTimes(2);
      expect(queue.delete).not.toHaveBeenCalled();
      expect(handler.handle).toHaveBeenCalledTimes(2);
    });

    it('resolves within the bound even when releasing hangs too', async () => {
      const queue = queueWith([message('a')]);
      const handler = automock(NotificationHandler);
      handler.handle.mockImplementation(never);
      queue.changeVisibility.mockImplementation(() => new Promise<void>(() => undefined));
      const sut = start(queue, handler, { shutdownTimeoutMs: 300 });
      await waitFor(() => (handler.handle.mock.calls.length === 1 ? true : undefined));

      const started = Date.now();
      await sut.stop();
      expect(Date.now() - started).toBeLessThan(450);
      expect(queue.changeVisibility.mock.calls).toEqual([['r-a', 0]]);
    });

    it('leaves a released message alone when its work finishes after all', async () => {
      const queue = queueWith([message('late')]);
      const handler = automock(NotificationHandler);
      let release!: () => void;
      handler.handle.mockImplementation(async () => {
        await new Promise<void>((resolve) => (release = resolve));
        return { action: 'delete', outcome: 'succeeded' };
      });
      const sut = start(queue, handler, { shutdownTimeoutMs: 100 });
      await waitFor(() => (handler.handle.mock.calls.length === 1 ? true : undefined));
      await sut.stop();
      release();
      await tick();
      await tick();
      expect(queue.delete).not.toHaveBeenCalled();
      expect(queue.changeVisibility.mock.calls).toEqual([['r-late', 0]]);
    });

    it('stops extending the visibility of a message it released', async () => {
      const queue = queueWith([message('stuck')]);
      const handler = automock(NotificationHandler);
      handler.handle.mockImplementation(never);
      const sut = start(queue, handler, { shutdownTimeoutMs: 200, visibilityTimeoutSeconds: 0.1 });
      await waitFor(() => (queue.changeVisibility.mock.calls.length >= 1 ? true : undefined));
      await sut.stop();
      expect(queue.changeVisibility.mock.calls.at(-1)).toEqual(['r-stuck', 0]);
      const calls = queue.changeVisibility.mock.calls.length;
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(queue.changeVisibility.mock.calls.length).toBe(calls);
    });

    it('resolves within the bound when a receive ignores the abort', async () => {
      const queue = queueWith([]);
      queue.receive.mockImplementation(() => new Promise<QueueMessage[]>(() => undefined));
      const sut = start(queue, automock(NotificationHandler), { shutdownTimeoutMs: 300 });
      await waitFor(() => (queue.receive.mock.calls.length === 1 ? true : undefined));
      const started = Date.now();
      await sut.stop();
      expect(Date.now() - started).toBeLessThan(450);
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

    it('stops a receive that fails in a loop without waiting for the pause', async () => {
      const queue = queueWith([]);
      queue.receive.mockRejectedValue(new DependencyUnavailableError('SQS', 'down'));
      const sut = start(queue, automock(NotificationHandler));
      await waitFor(() => (queue.receive.mock.calls.length === 1 ? true : undefined));
      const started = Date.now();
      await sut.stop();
      expect(Date.now() - started).toBeLessThan(500);
    });
  });
});
