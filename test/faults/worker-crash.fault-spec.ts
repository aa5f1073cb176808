import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ulid } from 'ulid';
import { createSqsClient, MessageQueue } from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { waitFor } from '#libs/testing';
import { subjectFor } from '../../apps/dev-idp/src/idp.js';
import { tokenFor } from '../support/platform.js';
import { FaultInspector, summaryLine } from './support/fault-figures.js';
import { expectedOutcomes, outcomes, plannedJobs, submitBatch } from './support/fault-jobs.js';
import { FaultStack, HOOK_TIMEOUT_MS } from './support/fault-stack.js';

const JOBS = 50;
/** Kill the worker once this many jobs are final (and it holds messages): mid-batch. */
const KILL_AFTER = 15;

describe('fault: the worker is SIGKILLed in the middle of a batch', () => {
  let stack: FaultStack;
  let api: NestFastifyApplication;
  let inspector: FaultInspector;

  beforeAll(async () => {
    stack = await FaultStack.start({
      overrides: {
        // each job takes the stub a moment, so the worker is killed with work in its hands
        STUB_BASE_INFERENCE_MS: '150',
        // what the killed worker received comes back to the next one within seconds (60 s by default)
        WORKER_VISIBILITY_TIMEOUT_SECONDS: '3',
      },
    });
    await stack.inProcessStub();
    api = await stack.api();
    inspector = new FaultInspector(stack);
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await FaultStack.stopAll();
  }, HOOK_TIMEOUT_MS);

  it('a new worker brings all 50 jobs to their final state, each finalized once, no image missing', async () => {
    const username = `crash-${ulid()}`;
    const plan = plannedJobs(JOBS, 'a lighthouse');
    const queue = new MessageQueue(
      createSqsClient(loadAwsConfig(stack.env)),
      loadResourcesConfig(stack.env).notificationsQueueUrl,
    );
    const first = await stack.workerProcess();

    const jobIds = await submitBatch(
      api,
      await tokenFor(stack.env, username),
      plan.map((job) => job.prompt),
    );
    const atKill = await waitFor(
      async () => {
        const finalized = stack.tap.total;
        const depth = await queue.depth();
        return finalized >= KILL_AFTER && depth.inFlight > 0 ? { finalized, held: depth.inFlight } : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 10, description: `${KILL_AFTER} jobs final and messages in the worker's hands` },
    );
    await first.kill();
    const finalAtKill = stack.tap.total;
    expect(finalAtKill).toBeLessThan(JOBS);

    await stack.workerProcess();
    const jobs = await inspector.untilAllFinal(jobIds, 60_000);
    const figures = await inspector.figures(jobIds);
    console.log(
      summaryLine('worker SIGKILL mid-batch', figures) +
        ` (killed after ${finalAtKill} finalizations, holding ${atKill.held} messages)`,
    );

    expect(figures).toEqual({ submitted: JOBS, finalized: JOBS, finalizedTwice: 0, lost: 0, imagesMissing: 0 });
    expect(outcomes(jobs)).toEqual(expectedOutcomes(plan));
    expect(jobIds.map((jobId) => stack.tap.finalizations(jobId))).toEqual(jobIds.map(() => 1));
    expect(await inspector.settledBookkeeping(subjectFor(username), jobs)).toEqual({
      settled: JOBS,
      holds: 0,
      slots: 0,
    });
  }, 180_000);
});
