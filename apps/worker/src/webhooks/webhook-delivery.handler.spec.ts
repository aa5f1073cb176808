import { describe, expect, it, jest } from '@jest/globals';
import type { PinoLogger } from 'nestjs-pino';
import type { WebhookAttemptRecord, WebhookDeliveryRepository, WebhookEventRecord } from '#libs/aws';
import { DEFAULT_RETRY_SCHEDULE, type WebhookMessage } from '#libs/webhooks';
import { WebhookDeliveryHandler } from './webhook-delivery.handler.js';
import type { WebhookResponse } from './webhook-sender.js';

const JOB = '01JD0000000000000000000000';
const EVENT: WebhookEventRecord = {
  eventId: `${JOB}.completed`,
  jobId: JOB,
  ownerId: 'alice',
  type: 'job.completed',
  url: 'https://example.com/hook',
  body: '{"type":"job.completed"}',
  createdAt: '2026-11-27T00:00:00.000Z',
  expiresAt: 2_000_000_000,
};

function setup(response: Partial<WebhookResponse>, start = new Date('2026-11-27T00:00:00Z')) {
  let now = start;
  const attempts: WebhookAttemptRecord[] = [];
  const log = {
    getEvent: jest.fn(() => Promise.resolve<WebhookEventRecord | undefined>(EVENT)),
    recordAttempt: jest.fn((attempt: WebhookAttemptRecord) => {
      attempts.push(attempt);
      return Promise.resolve();
    }),
  };
  const queue = { send: jest.fn((_body: string, _delay?: number) => Promise.resolve()) };
  const sender = { send: jest.fn(() => Promise.resolve<WebhookResponse>({ durationMs: 12, ...response })) };
  const secrets = { signingKeys: jest.fn(() => Promise.resolve([Buffer.alloc(32, 1)])) };
  const logger = { info: jest.fn(), warn: jest.fn() } as unknown as PinoLogger;
  const handler = new WebhookDeliveryHandler(
    queue,
    log as unknown as WebhookDeliveryRepository,
    secrets,
    sender,
    { retry: { ...DEFAULT_RETRY_SCHEDULE, jitterRatio: 0 }, logRetentionSeconds: 3600 },
    logger,
    () => now,
  );
  const handle = (message: WebhookMessage) =>
    handler.handle({
      messageId: 'm',
      receiptHandle: 'r',
      receiveCount: 1,
      body: JSON.stringify(message),
    });
  const sent = () =>
    queue.send.mock.calls.map(([body, delay]) => ({ message: JSON.parse(body) as WebhookMessage, delay }));
  return { handle, log, queue, sender, attempts, sent, logger, setNow: (at: Date) => (now = at) };
}

describe('WebhookDeliveryHandler', () => {
  it('a 2xx: records a delivered attempt, enqueues nothing, deletes the message', async () => {
    const { handle, attempts, sent, sender } = setup({ statusCode: 200 });
    expect(await handle({ jobId: JOB, eventId: EVENT.eventId, attempt: 1 })).toEqual({ action: 'delete' });
    expect(attempts).toEqual([
      expect.objectContaining({
        outcome: 'delivered',
        statusCode: 200,
        attempt: 1,
        durationMs: 12,
        eventId: EVENT.eventId,
      }),
    ]);
    expect(sent()).toEqual([]);
    const request = sender.send.mock.calls[0] as unknown as [{ headers: Record<string, string>; body: string }];
    expect(request[0].headers['webhook-id']).toBe(EVENT.eventId);
    expect(request[0].body).toBe(EVENT.body);
  });

  it('a failure: records when the next attempt is due and enqueues it (same event, attempt + 1)', async () => {
    const { handle, attempts, sent } = setup({ statusCode: 500, error: 'the receiver answered 500' });
    await handle({ jobId: JOB, eventId: EVENT.eventId, attempt: 1 });
    expect(attempts[0]).toMatchObject({
      outcome: 'retrying',
      statusCode: 500,
      error: 'the receiver answered 500',
      nextAttemptAt: '2026-11-27T00:00:30.000Z',
    });
    expect(sent()).toEqual([
      {
        message: {
          jobId: JOB,
          eventId: EVENT.eventId,
          attempt: 2,
          firstAttemptAt: '2026-11-27T00:00:00.000Z',
          notBefore: '2026-11-27T00:00:30.000Z',
        },
        delay: 30,
      },
    ]);
  });

  it('a delay longer than SQS allows is sent as a 900 s hop, and a hop that arrives early is re-sent, not attempted', async () => {
    const { handle, sent, sender, setNow } = setup({ statusCode: 503, error: 'x' });
    await handle({ jobId: JOB, eventId: EVENT.eventId, attempt: 5, firstAttemptAt: '2026-11-27T00:00:00.000Z' });
    const [retry] = sent();
    expect(retry!.delay).toBe(900);
    expect(retry!.message.notBefore).toBe('2026-11-27T00:40:30.000Z');
    setNow(new Date('2026-11-27T00:15:00Z'));
    sender.send.mockClear();
    await handle(retry!.message);
    expect(sender.send).not.toHaveBeenCalled();
    expect(sent()[1]).toEqual({ message: retry!.message, delay: 900 });
  });

  it('gives up (logged, recorded as failed) on the first failure 24 h after the first attempt', async () => {
    const { handle, attempts, sent, logger, setNow } = setup({ error: 'could not deliver: ECONNREFUSED' });
    setNow(new Date('2026-11-28T00:00:00Z'));
    await handle({ jobId: JOB, eventId: EVENT.eventId, attempt: 9, firstAttemptAt: '2026-11-27T00:00:00.000Z' });
    expect(attempts[0]).toMatchObject({ outcome: 'failed', attempt: 9 });
    expect(attempts[0]!.nextAttemptAt).toBeUndefined();
    expect(sent()).toEqual([]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.objectContaining({ eventId: EVENT.eventId }),
      'webhook failed for the whole retry window; giving up',
    );
  });

  it('a blocked destination is recorded and not retried', async () => {
    const { handle, attempts, sent } = setup({ blocked: true, error: 'blocked: x resolves to 10.0.0.1' });
    await handle({ jobId: JOB, eventId: EVENT.eventId, attempt: 1 });
    expect(attempts[0]).toMatchObject({ outcome: 'blocked', error: 'blocked: x resolves to 10.0.0.1' });
    expect(sent()).toEqual([]);
  });

  it('drops a message whose event is gone, and dead-letters one that is not a webhook message', async () => {
    const { handle, log, sender } = setup({ statusCode: 200 });
    log.getEvent.mockResolvedValueOnce(undefined);
    expect(await handle({ jobId: JOB, eventId: EVENT.eventId, attempt: 1 })).toEqual({ action: 'delete' });
    expect(sender.send).not.toHaveBeenCalled();
  });

  it('dead-letters a message that is not a webhook message', async () => {
    const { handle } = setup({ statusCode: 200 });
    expect(await handle({ jobId: JOB } as WebhookMessage)).toMatchObject({ action: 'dead-letter' });
  });
});
