import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ulid } from 'ulid';
import { createSqsClient, MessageQueue } from '#libs/aws';
import { type Env, loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { JobStatus } from '#libs/contracts';
import { waitFor } from '#libs/testing';
import { subjectFor } from '../../apps/dev-idp/src/idp.js';
import { tokenFor } from '../support/platform.js';
import { FaultInspector, summaryLine } from './support/fault-figures.js';
import { submitBatch } from './support/fault-jobs.js';
import { FaultStack, HOOK_TIMEOUT_MS } from './support/fault-stack.js';

const PER_GROUP = 10;
/** The jobs still on the GPU when the stack dies: the stub's memory is lost, the reaper ends them. */
const LOST_IN_STUB_TIMEOUT_SECONDS = 8;
const WORKER: Env = {
  WORKER_REAPER_INTERVAL_MS: '200',
  WORKER_REAPER_GRACE_SECONDS: '0',
  // what a killed worker held comes back within seconds (60 s by default)
  WORKER_VISIBILITY_TIMEOUT_SECONDS: '3',
};

describe('fault: the whole local stack is killed mid-run and started again on its data dir', () => {
  let stack: FaultStack;
  let inspector: FaultInspector;
  const startApi = (): Promise<NestFastifyApplication> => stack.api({ JOBS_MIN_TIMEOUT_SECONDS: '1' });

  beforeAll(async () => {
    // emulators in a process of their own, persisted on a temporary data dir (the `.local/` of make dev)
    stack = await FaultStack.start({ persistent: true, overrides: { STUB_BASE_INFERENCE_MS: '1500' } });
    inspector = new FaultInspector(stack);
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await FaultStack.stopAll();
  }, HOOK_TIMEOUT_MS);

  it('keeps jobs, queued notifications and images, and every job still ends final', async () => {
    const username = `restart-${ulid()}`;
    const token = await tokenFor(stack.env, username);
    const notifications = () =>
      new MessageQueue(createSqsClient(loadAwsConfig(stack.env)), loadResourcesConfig(stack.env).notificationsQueueUrl);
    const api = await startApi();
    await stack.stubProcess();
    const worker = await stack.workerProcess(WORKER);

    // done before the crash: their images must survive it
    const done = await submitBatch(
      api,
      token,
      Array.from({ length: PER_GROUP }, (_, index) => `done ${index}`),
    );
    await inspector.untilAllFinal(done, 30_000);
    // rendered, their notifications waiting in SQS while no worker runs
    await worker.kill();
    const queued = await submitBatch(
      api,
      token,
      Array.from({ length: PER_GROUP }, (_, index) => `queued ${index}`),
    );
    await waitFor(async () => ((await notifications().depth()).visible === PER_GROUP ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 100,
      description: `${PER_GROUP} notifications waiting in the queue`,
    });
    // on the stub's GPU when everything dies
    const running = await submitBatch(
      api,
      token,
      Array.from({ length: PER_GROUP }, (_, index) => `running ${index}`),
      { timeoutSeconds: LOST_IN_STUB_TIMEOUT_SECONDS },
    );

    await stack.crashAndRestart();
    // the api, the stub and the worker start again, as `make dev` starts them
    await startApi();
    await stack.stubProcess();
    await stack.workerProcess(WORKER);

    const jobIds = [...done, ...queued, ...running];
    const jobs = await inspector.untilAllFinal(jobIds, 60_000);
    const figures = await inspector.figures(jobIds);
    console.log(
      summaryLine('whole stack SIGKILL and restart', figures) +
        ` (${PER_GROUP} done before, ${PER_GROUP} waiting in SQS, ${PER_GROUP} on the stub's GPU)`,
    );

    expect(figures).toEqual({
      submitted: jobIds.length,
      finalized: jobIds.length,
      finalizedTwice: 0,
      lost: 0,
      imagesMissing: 0,
    });
    const statuses = jobs.map((job) => job.status);
    expect(statuses.slice(0, done.length + queued.length)).toEqual([
      ...done.map(() => JobStatus.Succeeded),
      // their notifications survived in the persisted queue
      ...queued.map(() => JobStatus.Succeeded),
    ]);
    // the stub kept them only in memory: the reaper times them out (one whose rendering ended before the kill, on a
    // slow machine, has its notification in the persisted queue and succeeds)
    const onGpu = statuses.slice(done.length + queued.length);
    expect(onGpu.every((status) => status === JobStatus.TimedOut || status === JobStatus.Succeeded)).toBe(true);
    expect(onGpu.filter((status) => status === JobStatus.TimedOut).length).toBeGreaterThan(0);
    expect(jobIds.filter((jobId) => stack.tap.finalizations(jobId) > 1)).toEqual([]);
    expect(await inspector.settledBookkeeping(subjectFor(username), jobs)).toEqual({
      settled: jobIds.length,
      holds: 0,
      slots: 0,
    });
  }, 240_000);
});
