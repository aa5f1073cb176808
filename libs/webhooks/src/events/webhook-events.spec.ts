import { describe, expect, it, jest } from '@jest/globals';
import type { WebhookDeliveryRepository, WebhookEventRecord } from '#libs/aws';
import { JobStatus } from '#libs/contracts';
import { JobFactory, JobParamsFactory } from '#libs/testing';

const aJob = (overrides: Parameters<typeof JobFactory.create>[0] = {}) => JobFactory.create(overrides);
import { WebhookEvents } from './webhook-events.js';

function setup() {
  const stored = new Map<string, WebhookEventRecord>();
  const log = {
    putEvent: jest.fn((event: WebhookEventRecord) => {
      const existing = stored.get(event.eventId);
      if (!existing) {
        stored.set(event.eventId, event);
      }
      return Promise.resolve(existing ?? event);
    }),
    getEvent: jest.fn((_jobId: string, eventId: string) => Promise.resolve(stored.get(eventId))),
  };
  const queue = { send: jest.fn((_body: string) => Promise.resolve()) };
  const at = new Date('2026-11-27T00:00:00Z');
  const events = new WebhookEvents(
    log as unknown as WebhookDeliveryRepository,
    queue,
    { retentionSeconds: 3600 },
    () => at,
  );
  const sent = () => queue.send.mock.calls.map(([body]) => JSON.parse(body) as { eventId: string; attempt: number });
  return { events, stored, queue, sent };
}

const hook = { webhookUrl: 'https://example.com/hook' };

describe('WebhookEvents', () => {
  it('publishes nothing for a job without a webhook, or for an event it did not choose', async () => {
    const { events, queue } = setup();
    await events.jobFinal(aJob({ status: JobStatus.Succeeded }));
    await events.jobChanged(
      aJob({ params: JobParamsFactory.create({ ...hook, webhookEvents: ['completed'] }) }),
      'queued',
    );
    expect(queue.send).not.toHaveBeenCalled();
  });

  it('completed (any final state): stores the job as it is and enqueues attempt 1 under <jobId>.completed', async () => {
    const { events, stored, sent } = setup();
    const job = aJob({ status: JobStatus.Failed, params: JobParamsFactory.create(hook) });
    await events.jobFinal(job);
    const eventId = `${job.jobId}.completed`;
    expect(sent()).toEqual([{ jobId: job.jobId, eventId, attempt: 1 }]);
    const event = stored.get(eventId)!;
    expect(event).toMatchObject({ ownerId: job.ownerId, url: hook.webhookUrl, type: 'job.completed' });
    expect(event.expiresAt).toBe(Date.parse('2026-11-27T00:00:00Z') / 1000 + 3600);
    expect(JSON.parse(event.body)).toMatchObject({
      type: 'job.completed',
      timestamp: '2026-11-27T00:00:00.000Z',
      data: { jobId: job.jobId, status: 'FAILED', links: { self: `/v1/jobs/${job.jobId}` } },
    });
    expect(event.body).not.toContain('X-Amz-Signature');
  });

  it('a repeated report keeps the first body and enqueues the same event id (receivers dedupe on webhook-id)', async () => {
    const { events, stored, sent } = setup();
    const job = aJob({ status: JobStatus.Succeeded, params: JobParamsFactory.create(hook) });
    await events.jobFinal(job);
    const first = stored.get(`${job.jobId}.completed`)!.body;
    await events.jobFinal({ ...job, updatedAt: 'later' });
    expect(stored.get(`${job.jobId}.completed`)!.body).toBe(first);
    expect(sent().map((m) => m.eventId)).toEqual([`${job.jobId}.completed`, `${job.jobId}.completed`]);
  });

  it('the progress relay’s entry point: running by version, progress by step, each a stable id', async () => {
    const { events, stored } = setup();
    const job = aJob({
      status: JobStatus.Running,
      params: JobParamsFactory.create({ ...hook, webhookEvents: ['queued', 'running', 'progress', 'completed'] }),
    });
    expect(await events.jobChanged(job, 'queued')).toBe(`${job.jobId}.queued`);
    expect(await events.jobChanged(job, 'running', { version: 3 })).toBe(`${job.jobId}.running.3`);
    expect(await events.jobChanged(job, 'progress', { step: 7, totalSteps: 20 })).toBe(`${job.jobId}.progress.7`);
    expect(JSON.parse(stored.get(`${job.jobId}.progress.7`)!.body).data.progress).toEqual({ step: 7, totalSteps: 20 });
  });

  it('redelivers a stored event from attempt 1 with the same id, and refuses an unknown one', async () => {
    const { events, sent } = setup();
    const job = aJob({ status: JobStatus.Succeeded, params: JobParamsFactory.create(hook) });
    await events.jobFinal(job);
    expect(await events.redeliver(job.jobId, `${job.jobId}.completed`)).toBe(true);
    expect(await events.redeliver(job.jobId, `${job.jobId}.queued`)).toBe(false);
    expect(sent()).toEqual([
      { jobId: job.jobId, eventId: `${job.jobId}.completed`, attempt: 1 },
      { jobId: job.jobId, eventId: `${job.jobId}.completed`, attempt: 1 },
    ]);
  });
});
