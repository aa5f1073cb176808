import { type JobCost, type JobParams, microsToUsd, usdToMicros } from '#libs/contracts';
import type { ModelDefinition } from './model-definition.js';

export type EstimatedWork = Pick<JobParams, 'steps' | 'width' | 'height' | 'numImages'>;

export interface CostEstimate {
  /** GPU seconds the job should hold the instance (warm instance, no queueing). */
  gpuSeconds: number;
  /** Their price in whole micro-USD, rounded up: what a submission reserves against the budgets. */
  micros: number;
  usd: number;
}

const SECONDS_PER_HOUR = 3600;

/** USD (as whole micro-dollars) of `gpuSeconds` on an instance billed `hourlyUsd` per hour. */
export function priceOfGpuSeconds(gpuSeconds: number, hourlyUsd: number): number {
  return usdToMicros((gpuSeconds * hourlyUsd) / SECONDS_PER_HOUR);
}

/** Estimated GPU time and price of resolved params on `model` (see ModelTiming for the formula). */
export function estimateCost(model: Pick<ModelDefinition, 'hosting' | 'timing'>, work: EstimatedWork): CostEstimate {
  const megapixels = (work.width * work.height) / 1_000_000;
  const perImage =
    model.timing.overheadSecondsPerImage + model.timing.secondsPerStepMegapixel * work.steps * megapixels;
  // a batch costs about images x one image on a GPU; millisecond precision is all the ledger keeps
  const gpuSeconds = Math.round(work.numImages * perImage * 1000) / 1000;
  const micros = priceOfGpuSeconds(gpuSeconds, model.hosting.hourlyUsd);
  return { gpuSeconds, micros, usd: microsToUsd(micros) };
}

/** What a finished job held the GPU for, as the notification and the model report it. */
export interface GpuTime {
  /** The model's own timing, when its output carries one (no codec's does yet). */
  modelSeconds?: number;
  /** SageMaker's receivedTime → eventTime of the notification. */
  inferenceMs?: number;
}

/**
 * The cost of a finished job: the model's own timing when there is one, else the notification's receivedTime →
 * eventTime (which includes time spent in the endpoint's backlog, so it errs high). No timing: it did not run, 0.
 * `model` undefined (no longer in the catalog): the GPU time is known but not its price, so 0 USD.
 */
export function jobCost(model: Pick<ModelDefinition, 'hosting'> | undefined, time: GpuTime): JobCost {
  const gpuMs = time.modelSeconds !== undefined ? Math.round(time.modelSeconds * 1000) : (time.inferenceMs ?? 0);
  const gpuSeconds = gpuMs / 1000;
  const micros = model ? priceOfGpuSeconds(gpuSeconds, model.hosting.hourlyUsd) : 0;
  return { gpuSeconds, usd: microsToUsd(micros) };
}

/** A job that never reached the GPU (a refused submission). */
export const NO_COST: JobCost = Object.freeze({ gpuSeconds: 0, usd: 0 });
