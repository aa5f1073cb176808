import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ulid } from 'ulid';
import { JobStatus } from '#libs/contracts';
import { waitFor } from '#libs/testing';
import { subjectFor } from '../../apps/dev-idp/src/idp.js';
import { tokenFor } from '../support/platform.js';
import { FaultInspector, summaryLine } from './support/fault-figures.js';
import { submitBatch } from './support/fault-jobs.js';
import { FaultStack, HOOK_TIMEOUT_MS } from './support/fault-stack.js';

const TIMEOUT_SECONDS = 20;
/**
 * Within the invocation timeout the api passes (the stub, like SageMaker, does not start what cannot finish in
 * time), and before the deadline: without the kill, every job would succeed.
 */
const INFERENCE_MS = 14_000;
const RUNNING_JOBS = 5;

describe('fault: the SageMaker stub goes down', () => {
  let stack: FaultStack;
  let api: NestFastifyApplication;
  let inspector: FaultInspector;

  beforeAll(async () => {
    stack = await FaultStack.start({ overrides: { STUB_PROGRESS_INTERVAL_MS: '250' } });
    // deadlines of seconds, swept every 100 ms with no grace: TIMED_OUT comes right at the deadline
    api = await stack.api({ JOBS_MIN_TIMEOUT_SECONDS: '1' });
    await stack.inProcessWorker({ WORKER_REAPER_INTERVAL_MS: '100', WORKER_REAPER_GRACE_SECONDS: '0' });
    inspector = new FaultInspector(stack);
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await FaultStack.stopAll();
  }, HOOK_TIMEOUT_MS);

  it('at submit (process killed): 503 for a job, and nothing is left half-written or held', async () => {
    const username = `down-${ulid()}`;
    const token = await tokenFor(stack.env, username);
    const stub = await stack.stubProcess();
    await stub.kill();

    const refused = await request(api.getHttpServer())
      .post('/v1/jobs')
      .set('authorization', `Bearer ${token}`)
      .send({ prompt: 'a lighthouse', modelId: 'sdxl-turbo' });
    // the whole answer, so that another status says why
    expect({ status: refused.status, body: refused.body as unknown }).toMatchObject({ status: 503 });
    expect(refused.headers['retry-after']).toBe('5');
    const { jobId } = refused.body as { jobId: string };
    // a batch is taken (202), each of its jobs refused the same way
    const batch = await submitBatch(api, token, ['a harbour', 'a storm', 'a tide']);
    const jobIds = [jobId, ...batch];

    const jobs = await inspector.read(jobIds);
    const figures = await inspector.figures(jobIds);
    console.log(summaryLine('stub down at submit', figures) + ' (1 job answered 503, a batch of 3 all refused)');

    // never left QUEUED for a notification that cannot come: FAILED at once, at no cost
    expect(figures).toEqual({ submitted: 4, finalized: 4, finalizedTwice: 0, lost: 0, imagesMissing: 0 });
    expect(jobs.map((job) => [job.status, job.error?.code, job.cost?.usd])).toEqual(
      jobIds.map(() => [JobStatus.Failed, 'INFERENCE_UNAVAILABLE', 0]),
    );
    expect(jobIds.map((id) => stack.tap.finalizations(id))).toEqual([1, 1, 1, 1]);
    // slot in flight and budget hold given back, the usage settled at $0
    expect(await inspector.settledBookkeeping(subjectFor(username), jobs)).toEqual({ settled: 4, holds: 0, slots: 0 });
    const usage = await request(api.getHttpServer()).get('/v1/usage').set('authorization', `Bearer ${token}`);
    expect(usage.body).toMatchObject({ usd: 0, jobs: { total: 4, inFlight: 0, byStatus: { FAILED: 4 } } });
  }, 90_000);

  it('mid-inference (process killed): the jobs end TIMED_OUT at their deadline, settled once', async () => {
    const username = `midway-${ulid()}`;
    const stub = await stack.stubProcess({ STUB_BASE_INFERENCE_MS: String(INFERENCE_MS) });
    const jobIds = await submitBatch(
      api,
      await tokenFor(stack.env, username),
      Array.from({ length: RUNNING_JOBS }, (_, index) => `a long night ${index}`),
      { timeoutSeconds: TIMEOUT_SECONDS },
    );
    await waitFor(
      async () => {
        const jobs = await inspector.read(jobIds);
        return jobs.every((job) => job.status === JobStatus.Running) ? true : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 50, description: 'every job RUNNING' },
    );
    await stub.kill();

    const jobs = await inspector.untilAllFinal(jobIds, 45_000);
    const figures = await inspector.figures(jobIds);
    const lateMs = jobs.map((job) => Date.parse(job.timings.finalizedAt!) - Date.parse(job.deadlineAt!));
    console.log(
      summaryLine('stub SIGKILL mid-inference', figures) +
        ` (TIMED_OUT ${Math.min(...lateMs)}–${Math.max(...lateMs)} ms after the deadline)`,
    );

    expect(figures).toEqual({
      submitted: RUNNING_JOBS,
      finalized: RUNNING_JOBS,
      finalizedTwice: 0,
      lost: 0,
      imagesMissing: 0,
    });
    expect(jobs.map((job) => [job.status, job.error?.code])).toEqual(
      jobIds.map(() => [JobStatus.TimedOut, 'TIMED_OUT']),
    );
    for (const late of lateMs) {
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(3_000);
    }
    expect(jobIds.map((id) => stack.tap.finalizations(id))).toEqual(jobIds.map(() => 1));
    expect(await inspector.settledBookkeeping(subjectFor(username), jobs)).toEqual({
      settled: RUNNING_JOBS,
      holds: 0,
      slots: 0,
    });
  }, 90_000);
});
