import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { type PinoLogger } from 'nestjs-pino';
import { MessageQueue, type QueueMessage } from '#libs/aws';
import { type AutoMocked, automock, waitFor } from '#libs/testing';
import type { WorkerConfig } from '../config/worker.config.js';
import { NotificationConsumer } from './notification-consumer.js';
import { type HandleResult, NotificationHandler } from './notification.handler.js';

const config = {
  consumer: {
    concurrency: 2,
    batchSize: 10,
    waitTimeSeconds: 1,
    visibilityTimeoutSeconds: 60,
    retryBaseDelaySeconds: 5,
    shutdownTimeoutMs: 5000,
  },
} as WorkerConfig;

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

describe(NotificationConsumer.name, () => {
  let consumer: NotificationConsumer | undefined;
  const logger = { setContext: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };

  function start(queue: AutoMocked<MessageQueue>, handler: AutoMocked<NotificationHandler>): NotificationConsumer {
    consumer = new NotificationConsumer(
      queue as unknown as MessageQueue,
      handler as unknown as NotificationHandler,
      logger as unknown as PinoLogger,
      config,
    );
    consumer.start();
    return consumer;
  }

  afterEach(async () => {
    await consumer?.stop();
  });

  it('deletes handled messages, backs off retries exponentially and releases poison at once', async () => {
    const queue = queueWith([message('ok'), message('again', 3), message('poison')]);
    const handler = automock(NotificationHandler);
    const results: Record<string, HandleResult> = { ok: 'done', again: 'retry', poison: 'poison' };
    handler.handle.mockImplementation(async (m) => results[m.messageId]!);

    start(queue, handler);
    await waitFor(() =>
      queue.changeVisibility.mock.calls.length === 2 && queue.delete.mock.calls.length === 1 ? true : undefined,
    );

    expect(queue.delete).toHaveBeenCalledWith('r-ok');
    expect(queue.changeVisibility).toHaveBeenCalledWith('r-again', 20);
    expect(queue.changeVisibility).toHaveBeenCalledWith('r-poison', 0);
  });

  it('retries a message whose handler throws', async () => {
    const queue = queueWith([message('boom')]);
    const handler = automock(NotificationHandler);
    handler.handle.mockRejectedValue(new Error('DynamoDB unavailable'));
    start(queue, handler);
    await waitFor(() => (queue.changeVisibility.mock.calls.length === 1 ? true : undefined));
    expect(queue.changeVisibility).toHaveBeenCalledWith('r-boom', 5);
    expect(queue.delete).not.toHaveBeenCalled();
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
      return 'done';
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

  it('on stop, stops polling and finishes the messages in flight before resolving', async () => {
    const queue = queueWith([message('slow')]);
    const handler = automock(NotificationHandler);
    let release!: () => void;
    handler.handle.mockImplementation(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return 'done';
    });
    const sut = start(queue, handler);
    await waitFor(() => (handler.handle.mock.calls.length === 1 ? true : undefined));

    let stopped = false;
    const stopping = sut.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    expect(queue.delete).not.toHaveBeenCalled();

    release();
    await stopping;
    expect(queue.delete).toHaveBeenCalledWith('r-slow');
    const polls = queue.receive.mock.calls.length;
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.receive.mock.calls.length).toBe(polls);
  });
});
