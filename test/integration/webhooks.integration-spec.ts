import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ulid } from 'ulid';
import {
  createDynamoDbDocumentClient,
  createSqsClient,
  MessageQueue,
  WebhookDeliveryRepository,
  type WebhookEventRecord,
  WebhookSecretRepository,
} from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { LocalKeyFileDataKeys, SecretEnvelope, WebhookSecrets } from '#libs/webhooks';
import { startTestStack, type TestStack } from '../support/test-stack.js';

describe('webhook adapters (fauxqs SQS, dynalite)', () => {
  let stack: TestStack;
  let queue: MessageQueue;
  let log: WebhookDeliveryRepository;
  let secretsRepository: WebhookSecretRepository;

  beforeAll(async () => {
    stack = await startTestStack();
    const aws = loadAwsConfig(stack.env);
    const resources = loadResourcesConfig(stack.env);
    // the provisioned webhook queue; no worker runs in this file
    queue = new MessageQueue(createSqsClient(aws), resources.webhookQueueUrl);
    log = new WebhookDeliveryRepository(createDynamoDbDocumentClient(aws), resources.accountsTable);
    secretsRepository = new WebhookSecretRepository(createDynamoDbDocumentClient(aws), resources.accountsTable);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('fauxqs honours DelaySeconds: a delayed message stays hidden until its delay has passed', async () => {
    const body = `delayed-${ulid()}`;
    const sentAt = Date.now();
    await queue.send(body, 2);
    const early = await queue.receive({ maxMessages: 10, waitTimeSeconds: 1 });
    expect(early.map((m) => m.body)).not.toContain(body);
    let received: { body: string } | undefined;
    while (!received && Date.now() - sentAt < 10_000) {
      received = (await queue.receive({ maxMessages: 10, waitTimeSeconds: 1 })).find((m) => m.body === body);
    }
    expect(received).toBeDefined();
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1900);
  });

  it('stores an event once (a repeat keeps the first body) and lists attempts in order, paged', async () => {
    const jobId = ulid();
    const event: WebhookEventRecord = {
      eventId: `${jobId}.completed`,
      jobId,
      ownerId: 'alice',
      type: 'job.completed',
      url: 'https://example.com/hook',
      body: '{"first":true}',
      createdAt: new Date().toISOString(),
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    };
    await expect(log.putEvent(event)).resolves.toEqual(event);
    await expect(log.putEvent({ ...event, body: '{"second":true}' })).resolves.toEqual(event);
    await expect(log.getEvent(jobId, event.eventId)).resolves.toEqual(event);
    await expect(log.getEvent(jobId, `${jobId}.queued`)).resolves.toBeUndefined();

    const ids = [ulid(), ulid(), ulid()].sort();
    for (const [index, attemptId] of ids.entries()) {
      await log.recordAttempt({
        attemptId,
        eventId: event.eventId,
        jobId,
        type: event.type,
        attempt: index + 1,
        attemptedAt: new Date().toISOString(),
        durationMs: 5,
        outcome: 'retrying',
        statusCode: 500,
        expiresAt: event.expiresAt,
      });
    }
    const first = await log.listAttempts(jobId, { limit: 2 });
    expect(first.attempts.map((a) => a.attempt)).toEqual([1, 2]);
    expect(first.hasMore).toBe(true);
    const second = await log.listAttempts(jobId, { limit: 2, after: first.attempts[1]!.attemptId });
    expect(second.attempts.map((a) => a.attempt)).toEqual([3]);
    expect(second.hasMore).toBe(false);
  });

  it('treats an event or attempt past its expiresAt as gone (dynalite never deletes it)', async () => {
    const jobId = ulid();
    const past = Math.floor(Date.now() / 1000) - 1;
    const event: WebhookEventRecord = {
      eventId: `${jobId}.queued`,
      jobId,
      ownerId: 'alice',
      type: 'job.queued',
      url: 'https://example.com/hook',
      body: '{}',
      createdAt: new Date().toISOString(),
      expiresAt: past,
    };
    await log.putEvent(event);
    await expect(log.getEvent(jobId, event.eventId)).resolves.toBeUndefined();
    await log.recordAttempt({
      attemptId: ulid(),
      eventId: event.eventId,
      jobId,
      type: event.type,
      attempt: 1,
      attemptedAt: new Date().toISOString(),
      durationMs: 1,
      outcome: 'delivered',
      expiresAt: past,
    });
    await expect(log.listAttempts(jobId, { limit: 10 })).resolves.toEqual({ attempts: [], hasMore: false });
    // a new event under the same id replaces the expired one
    const fresh = { ...event, body: '{"fresh":true}', expiresAt: past + 3600 };
    await expect(log.putEvent(fresh)).resolves.toEqual(fresh);
  });

  it('keeps secrets encrypted in the accounts table; concurrent first uses agree on one secret', async () => {
    const secrets = new WebhookSecrets(
      secretsRepository,
      new SecretEnvelope(await LocalKeyFileDataKeys.open(stack.env.WEBHOOKS_LOCAL_KEY_FILE!)),
      { rotationOverlapSeconds: 86_400 },
    );
    const owner = `owner-${ulid()}`;
    const views = await Promise.all([secrets.current(owner), secrets.current(owner), secrets.current(owner)]);
    expect(new Set(views.map((v) => v.secret)).size).toBe(1);
    const stored = await secretsRepository.get(owner);
    expect(JSON.stringify(stored)).not.toContain(views[0].secret.slice('whsec_'.length));
    const rotated = await secrets.rotate(owner);
    expect(await secrets.signingKeys(owner)).toHaveLength(2);
    expect(rotated.secret).not.toBe(views[0].secret);
  });
});
