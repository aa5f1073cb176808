import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { CANCELLATION_TOKEN, isCancellationFailure } from '#libs/contracts';
import { serverFormatFor } from '../formats/format-registry.js';
import { MemoryPayloadStore } from '../testing/memory-adapters.js';
import { CancelWatch } from './cancel-watch.js';
import { ManualClock } from './clock.js';
import { CANCELED_STATUS, runModel, simulateSteps } from './model-runner.js';
import { modelFailureReason } from './notification.js';

const logger = pino({ level: 'silent' });
// 10 steps at 256x256: 1000 ms base + 0 per step, so each step is 100 ms
const timing = { baseInferenceMs: 1000, msPerStepMegapixel: 0 };
const request = Buffer.from(
  JSON.stringify({ text_prompts: [{ text: 'a cat' }], width: 256, height: 256, steps: 10, seed: 3 }),
);
const MARKER = 's3://requests/cancel/job-1';

function watch(clock: ManualClock, store: MemoryPayloadStore, intervalMs = 0): CancelWatch {
  return new CancelWatch({ markerUri: 's3://requests/cancel/', intervalMs }, (l) => store.exists(l), clock, logger);
}

function invoke(clock: ManualClock, store: MemoryPayloadStore, intervalMs = 0) {
  return runModel(
    {
      format: serverFormatFor('jumpstart-sdxl'),
      body: request,
      contentType: 'application/json',
      timeoutMs: 60_000,
      shouldStop: watch(clock, store, intervalMs).stopCheckFor('job-1'),
    },
    timing,
    clock,
    new AbortController().signal,
  );
}

describe('cancel markers in the stub', () => {
  it('stops between steps once the marker appears, answering the cancel error the worker recognises', async () => {
    const clock = new ManualClock(0);
    const store = new MemoryPayloadStore();
    const outcome = invoke(clock, store);
    await clock.advance(350);
    store.objects.set(MARKER, { body: Buffer.from('{}'), contentType: 'application/json' });
    await clock.advance(100);

    const result = await outcome;
    expect(result.reply.statusCode).toBe(CANCELED_STATUS);
    expect(result.errorMessage).toBe(
      `Inference canceled after 4 of 10 steps: the platform left a cancel marker (${CANCELLATION_TOKEN})`,
    );
    // SageMaker's failureReason carries the model's message
    expect(isCancellationFailure(modelFailureReason(result.reply.statusCode, result.errorMessage))).toBe(true);
    expect(result.inferenceMs).toBeLessThan(1000);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('does not start at all when the marker is there first', async () => {
    const clock = new ManualClock(0);
    const store = new MemoryPayloadStore();
    store.objects.set(MARKER, { body: Buffer.from('{}'), contentType: 'application/json' });
    const result = await invoke(clock, store);
    expect(result.errorMessage).toMatch(/^Inference canceled before it started/);
    expect(result.inferenceMs).toBe(0);
  });

  it('runs every step to the end without a marker', async () => {
    const clock = new ManualClock(0);
    const store = new MemoryPayloadStore();
    const outcome = invoke(clock, store);
    await clock.advance(1000);
    expect((await outcome).reply.statusCode).toBe(200);
  });

  it('asks S3 at most once per interval', async () => {
    const clock = new ManualClock(0);
    const store = new MemoryPayloadStore();
    let asked = 0;
    const counting = new CancelWatch(
      { markerUri: 's3://requests/cancel/', intervalMs: 250 },
      async (location) => {
        asked += 1;
        return store.exists(location);
      },
      clock,
      logger,
    );
    const steps = simulateSteps(clock, 1000, 10, new AbortController().signal, counting.stopCheckFor('job-1'));
    await clock.advance(1000);
    await expect(steps).resolves.toBeUndefined();
    // after steps 1 (t=100), 4 (t=400) and 7 (t=700); never after the last
    expect(asked).toBe(3);
  });

  it('runs on when the marker cannot be checked', async () => {
    const clock = new ManualClock(0);
    const failing = new CancelWatch(
      { markerUri: 's3://requests/cancel/', intervalMs: 0 },
      () => Promise.reject(new Error('S3 down')),
      clock,
      logger,
    );
    await expect(failing.isCanceled('job-1')).resolves.toBe(false);
  });
});
