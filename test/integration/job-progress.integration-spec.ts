import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PinoLogger } from 'nestjs-pino';
import { monotonicFactory, ulid } from 'ulid';
import { createDynamoDbDocumentClient, JobRepository, ModelStatsRepository, type QueueMessage } from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { type Job, JobStatus, type ProgressMessage } from '#libs/contracts';
import { JobFactory } from '#libs/testing';
import { ProgressHandler } from '../../apps/worker/src/progress/progress.handler.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

const silentLogger = {
  setContext: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
} as unknown as PinoLogger;

/** The job's version, the sparse active index and the progress relay, against dynalite. */
describe('job versions, queue positions and the progress relay (dynalite)', () => {
  let stack: TestStack;
  let jobs: JobRepository;
  let stats: ModelStatsRepository;
  let relay: ProgressHandler;

  beforeAll(async () => {
    stack = await startTestStack();
    const client = createDynamoDbDocumentClient(loadAwsConfig(stack.env));
    const resources = loadResourcesConfig(stack.env);
    jobs = new JobRepository(client, resources.jobsTable);
    stats = new ModelStatsRepository(client, resources.accountsTable);
    relay = new ProgressHandler(jobs, stats, silentLogger);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const message = (progress: Omit<ProgressMessage, 'type'>): QueueMessage => ({
    messageId: ulid(),
    receiptHandle: ulid(),
    receiveCount: 1,
    // as SNS delivers it to SQS: the envelope with the message as a string
    body: JSON.stringify({ Type: 'Notification', Message: JSON.stringify({ type: 'imggen.progress', ...progress }) }),
  });

  it('counts every write in the job’s version, and a write refused by its condition not at all', async () => {
    const job = JobFactory.create({ ownerId: `owner-${ulid()}` });
    await jobs.create(job);
    expect((await jobs.get(job.jobId))?.version).toBe(1);
    const invoked = await jobs.recordInvocation(job, {
      submission: 'confirmed',
      at: new Date().toISOString(),
      outputLocation: 's3://outputs/x.out',
    });
    expect(invoked?.version).toBe(2);
    const started = await jobs.markStarted(job, { startedAt: new Date().toISOString() });
    expect(started).toMatchObject({ status: JobStatus.Running, version: 3 });
    expect(await jobs.markStarted(job, { startedAt: new Date().toISOString() })).toBeUndefined();
    expect((await jobs.recordStep(job.jobId, { step: 5, totalSteps: 30 }))?.version).toBe(4);
    const done = await jobs.transition({
      job: job,
      from: [JobStatus.Running],
      to: JobStatus.Succeeded,
      set: { updatedAt: new Date().toISOString() },
    });
    expect(done?.version).toBe(5);
    expect(await jobs.recordStep(job.jobId, { step: 6, totalSteps: 30 })).toBeUndefined();
    expect((await jobs.get(job.jobId))?.version).toBe(5);
  });

  it('stamps updatedAt on every write, so the per-user stream finds it by the byOwnerUpdated index', async () => {
    const ownerId = `owner-${ulid()}`;
    const old = '2026-01-01T00:00:00.000Z';
    const job = JobFactory.create({ ownerId, createdAt: old, updatedAt: old });
    await jobs.create(job);
    const before = new Date(Date.now() - 1000).toISOString();
    await expect(jobs.updatedSince(ownerId, before, 10)).resolves.toEqual({ changes: [], hasMore: false });
    await jobs.markStarted(job, { startedAt: new Date().toISOString() });
    const page = await jobs.updatedSince(ownerId, before, 10);
    expect(page.changes.map((change) => change.job?.jobId)).toEqual([job.jobId]);
    expect(page.changes[0]!.job!.updatedAt > before).toBe(true);
  });

  it('counts the unfinished jobs of an endpoint before a job, up to a cap, and forgets a job once it is final', async () => {
    const endpointName = `endpoint-${ulid()}`;
    const next = monotonicFactory();
    const queue = Array.from({ length: 5 }, () => JobFactory.create({ jobId: next(), endpointName }));
    for (const job of queue) {
      await jobs.create(job);
    }
    const last = queue[4]!;
    await expect(jobs.countActiveBefore(endpointName, last.jobId, 100)).resolves.toBe(4);
    await expect(jobs.countActiveBefore(endpointName, last.jobId, 3)).resolves.toBe(3);
    await expect(jobs.countActiveBefore(endpointName, queue[0]!.jobId, 100)).resolves.toBe(0);
    await jobs.transition({
      job: queue[1]!,
      from: [JobStatus.Queued],
      to: JobStatus.Failed,
    });
    await expect(jobs.countActiveBefore(endpointName, last.jobId, 100)).resolves.toBe(3);
    // a running job still holds its place ahead
    await jobs.markStarted(queue[0]!, { startedAt: new Date().toISOString() });
    await expect(jobs.countActiveBefore(endpointName, last.jobId, 100)).resolves.toBe(3);
  });

  it('relays started and steps forward only: duplicates and late steps change nothing, final jobs are left alone', async () => {
    const job = JobFactory.create({ ownerId: `owner-${ulid()}` });
    await jobs.create(job);
    const at = (ms: number) => new Date(Date.parse('2026-11-26T12:00:00.000Z') + ms).toISOString();

    // a step that outran its "started" starts the job too
    await expect(
      relay.handle(message({ inferenceId: job.jobId, event: 'step', step: 10, totalSteps: 30, at: at(500) })),
    ).resolves.toEqual({ action: 'delete' });
    let stored = await jobs.get(job.jobId);
    expect(stored).toMatchObject({ status: JobStatus.Running, steps: { step: 10, totalSteps: 30 }, version: 2 });
    expect(stored?.timings.startedAt).toBe(at(500));

    // the late "started" and an older step change nothing
    await relay.handle(message({ inferenceId: job.jobId, event: 'started', step: 0, totalSteps: 30, at: at(0) }));
    await relay.handle(message({ inferenceId: job.jobId, event: 'step', step: 5, totalSteps: 30, at: at(250) }));
    await relay.handle(message({ inferenceId: job.jobId, event: 'step', step: 10, totalSteps: 30, at: at(500) }));
    stored = await jobs.get(job.jobId);
    expect(stored).toMatchObject({ steps: { step: 10 }, version: 2 });

    await relay.handle(message({ inferenceId: job.jobId, event: 'step', step: 20, totalSteps: 30, at: at(750) }));
    expect(await jobs.get(job.jobId)).toMatchObject({ steps: { step: 20 }, version: 3 });

    await jobs.transition({
      job: job,
      from: [JobStatus.Running],
      to: JobStatus.Succeeded,
    });
    await relay.handle(message({ inferenceId: job.jobId, event: 'step', step: 29, totalSteps: 30, at: at(900) }));
    expect(await jobs.get(job.jobId)).toMatchObject({ status: JobStatus.Succeeded, steps: { step: 20 }, version: 4 });
  });

  it('drops malformed messages and messages of unknown jobs', async () => {
    await expect(
      relay.handle({ messageId: 'm', receiptHandle: 'r', receiveCount: 1, body: '{"Type":"Notification"' }),
    ).resolves.toEqual({ action: 'delete' });
    await expect(
      relay.handle(message({ inferenceId: ulid(), event: 'started', at: new Date().toISOString() })),
    ).resolves.toEqual({ action: 'delete' });
  });

  it('learns the cold start from a job submitted to an endpoint with no instance', async () => {
    const modelId = `model-${ulid()}`;
    const invokedAt = '2026-11-26T12:00:00.000Z';
    const job = JobFactory.create({
      coldStartAtSubmit: true,
      timings: { submittedAt: invokedAt, invokedAt },
      params: { ...JobFactory.create().params, modelId },
    });
    await jobs.create(job);
    await relay.handle(message({ inferenceId: job.jobId, event: 'started', at: '2026-11-26T12:00:42.000Z' }));
    await expect(stats.get(modelId)).resolves.toMatchObject({ coldStartMs: 42_000, coldStartSamples: 1 });
  });

  it('keeps a model’s averages in one item: the mean of the first samples, then exponentially weighted', async () => {
    const modelId = `model-${ulid()}`;
    await stats.record(modelId, 'inference', 1);
    await stats.record(modelId, 'inference', 2);
    await expect(stats.get(modelId)).resolves.toMatchObject({ inferenceFactor: 1.5, inferenceSamples: 2 });
    for (let sample = 0; sample < 20; sample += 1) {
      await stats.record(modelId, 'inference', 3);
    }
    const after = await stats.get(modelId);
    expect(after.inferenceFactor).toBeGreaterThan(2.95);
    expect(after.inferenceSamples).toBe(22);
    // concurrent samples are not lost to each other
    const concurrent = `model-${ulid()}`;
    await Promise.all([1, 1, 1].map((sample) => stats.record(concurrent, 'coldStart', sample * 1000)));
    await expect(stats.get(concurrent)).resolves.toMatchObject({ coldStartMs: 1000, coldStartSamples: 3 });
  });

  it('announces each change it writes as a webhook event: running once, then each step forward', async () => {
    const announced: [string, string, object][] = [];
    const webhooks = {
      jobChanged: (job: Job, kind: string, change: object = {}) => {
        announced.push([job.jobId, kind, change]);
        return Promise.resolve(undefined);
      },
    };
    const announcing = new ProgressHandler(jobs, stats, silentLogger, webhooks);
    const job = JobFactory.create({ ownerId: `owner-${ulid()}` });
    await jobs.create(job);
    const at = () => new Date().toISOString();
    const base = { inferenceId: job.jobId };
    await announcing.handle(message({ ...base, event: 'started', at: at() }));
    await announcing.handle(message({ ...base, event: 'step', at: at(), step: 4, totalSteps: 20 }));
    // a duplicate and a late step change nothing, so they announce nothing
    await announcing.handle(message({ ...base, event: 'step', at: at(), step: 4, totalSteps: 20 }));
    await announcing.handle(message({ ...base, event: 'step', at: at(), step: 2, totalSteps: 20 }));
    await announcing.handle(message({ ...base, event: 'started', at: at() }));

    expect(announced).toEqual([
      [job.jobId, 'running', { version: 2 }],
      [job.jobId, 'progress', { step: 4, totalSteps: 20 }],
    ]);
  });
});
