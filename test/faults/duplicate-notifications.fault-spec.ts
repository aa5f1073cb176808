import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ulid } from 'ulid';
import { createSqsClient, MessageQueue } from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { waitFor } from '#libs/testing';
import type { RunningStub } from '../../apps/sagemaker-stub/src/server.js';
import { subjectFor } from '../../apps/dev-idp/src/idp.js';
import { tokenFor } from '../support/platform.js';
import { FaultInspector, summaryLine } from './support/fault-figures.js';
import { expectedOutcomes, outcomes, plannedJobs, submitBatch } from './support/fault-jobs.js';
import { FaultStack, HOOK_TIMEOUT_MS } from './support/fault-stack.js';
import { drain, shuffled } from './support/redelivery.js';

const JOBS = 50;
const SEED = 20261127;

describe('fault: every notification delivered twice and out of order', () => {
  let stack: FaultStack;
  let api: NestFastifyApplication;
  let stub: RunningStub;
  let inspector: FaultInspector;

  beforeAll(async () => {
    // a little inference time, so the model reports "started" (and maybe a step) before its result
    stack = await FaultStack.start({ overrides: { STUB_BASE_INFERENCE_MS: '300', STUB_PROGRESS_INTERVAL_MS: '250' } });
    stub = await stack.inProcessStub();
    api = await stack.api();
    inspector = new FaultInspector(stack);
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await FaultStack.stopAll();
  }, HOOK_TIMEOUT_MS);

  it('gives the same final states as one delivery in order, each job finalized once', async () => {
    const username = `dup-${ulid()}`;
    const plan = plannedJobs(JOBS, 'a harbour');
    const aws = loadAwsConfig(stack.env);
    const resources = loadResourcesConfig(stack.env);
    const sqs = createSqsClient(aws);
    const notifications = new MessageQueue(sqs, resources.notificationsQueueUrl);
    const progress = new MessageQueue(sqs, resources.progressQueueUrl!);
    const deadLetters = new MessageQueue(sqs, resources.deadLetterQueueUrl!);

    // no worker yet: every message the model side sends waits in its queue
    const jobIds = await submitBatch(
      api,
      await tokenFor(stack.env, username),
      plan.map((job) => job.prompt),
    );
    await stub.idle();
    await waitFor(async () => ((await notifications.depth()).visible === JOBS ? true : undefined), {
      description: `${JOBS} notifications in the queue`,
    });
    const sent = {
      notifications: await drain(notifications),
      progress: await drain(progress),
    };
    expect(sent.notifications).toHaveLength(JOBS);

    // each message twice, notifications and progress shuffled together; half the notifications' two copies side by
    // side, so one worker handles both at the same moment (a race only the conditional write decides)
    const units = [
      ...sent.notifications
        .flatMap((body, index) => (index % 2 === 0 ? [[body, body]] : [[body], [body]]))
        .map((bodies) => bodies.map((body) => ({ queue: notifications, body }))),
      ...[...sent.progress, ...sent.progress].map((body) => [{ queue: progress, body }]),
    ];
    for (const { queue, body } of shuffled(units, SEED).flat()) {
      await queue.send(body);
    }
    await stack.inProcessWorker();
    const workerStarted = Date.now();
    // a copy that hit a transient error waits out its backoff; a loaded machine (load 12 on 2 cores) has been seen to
    // need more than a minute
    const jobs = await inspector.untilAllFinal(jobIds, 120_000);
    const finalAfterMs = Date.now() - workerStarted;
    // the late copies, progress ones included, have all been handled too
    await waitFor(
      async () => {
        const depths = await Promise.all([notifications.depth(), progress.depth()]);
        return depths.every((depth) => depth.visible + depth.inFlight === 0) ? true : undefined;
      },
      // a copy that lost a race may be retried with backoff (1 s, 2 s, 4 s, ... under TEST_ENV) before it goes
      { timeoutMs: 90_000, intervalMs: 200, description: 'both queues to be empty' },
    );
    const after = await inspector.read(jobIds);
    const figures = await inspector.figures(jobIds);
    console.log(
      summaryLine('every notification twice, shuffled', figures) +
        ` (${sent.notifications.length} notifications and ${sent.progress.length} progress messages, each sent twice;` +
        ` all final ${finalAfterMs} ms after the worker started)`,
    );

    expect(figures).toEqual({ submitted: JOBS, finalized: JOBS, finalizedTwice: 0, lost: 0, imagesMissing: 0 });
    expect(jobIds.map((jobId) => stack.tap.finalizations(jobId))).toEqual(jobIds.map(() => 1));
    expect(outcomes(jobs)).toEqual(expectedOutcomes(plan));
    // the late copies changed nothing
    expect(outcomes(after)).toEqual(outcomes(jobs));
    expect(after.map((job) => job.version)).toEqual(jobs.map((job) => job.version));
    expect(await inspector.settledBookkeeping(subjectFor(username), jobs)).toEqual({
      settled: JOBS,
      holds: 0,
      slots: 0,
    });
    await expect(deadLetters.depth()).resolves.toEqual({ visible: 0, inFlight: 0 });
  }, 300_000);
});
