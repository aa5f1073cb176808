import { isFinalStatus, type Job, JobStatus } from '#libs/contracts';
import type { EndpointCapacity } from '#libs/aws';

export type ProgressPhase = 'waiting_for_capacity' | 'queued' | 'running' | 'done';

/** The `progress` object of a job view. */
export interface JobProgress {
  phase: ProgressPhase;
  /** queued / waiting_for_capacity: unfinished jobs of the same endpoint submitted before this one (capped). */
  position?: number;
  /** running: when the model reported it started. */
  startedAt?: string;
  step?: number;
  totalSteps?: number;
  /** When the job should be done: absent when nothing is known to base it on, and on a final job. */
  estimatedCompletionAt?: string;
}

/** What an ETA is computed from, besides the job. */
export interface EtaInputs {
  now: number;
  /** Expected inference time of one job of the model (observed average, else the catalog's estimate). */
  inferenceMs: number;
  /** Expected cold start of the model's endpoint (observed average, else the catalog's coldStartSeconds). */
  coldStartMs: number;
  /** Undefined when DescribeEndpoint could not be asked. */
  capacity?: EndpointCapacity;
  /** Unfinished jobs of the endpoint before this one (queued jobs only). */
  position?: number;
}

const iso = (ms: number): string => new Date(Math.round(ms)).toISOString();

/**
 * The honest phase of a job and its ETA:
 * - final: `done`;
 * - RUNNING: from `startedAt`, at the pace of the steps reported so far, else one average inference;
 * - QUEUED on an endpoint with no instance in service: `waiting_for_capacity`, ETA = what is left of a cold start
 *   (counted from the job's invocation) + the rounds of work ahead;
 * - QUEUED otherwise: `queued`; the `position` jobs ahead run `instances x concurrency` at a time, so the job
 *   finishes after `floor(position / slots) + 1` average inferences.
 */
export function progressOf(job: Job, inputs: EtaInputs): JobProgress {
  if (isFinalStatus(job.status)) {
    return job.status === JobStatus.Succeeded
      ? { phase: 'done', step: job.params.steps, totalSteps: job.params.steps }
      : { phase: 'done' };
  }
  const { now, inferenceMs, coldStartMs, capacity, position } = inputs;
  if (job.status === JobStatus.Running) {
    const startedAt = job.timings.startedAt;
    const steps = job.steps;
    const progress: JobProgress = {
      phase: 'running',
      ...(startedAt ? { startedAt } : {}),
      ...(steps ? { step: steps.step, totalSteps: steps.totalSteps } : { totalSteps: job.params.steps }),
    };
    if (!startedAt) {
      return progress;
    }
    const started = Date.parse(startedAt);
    const elapsed = Math.max(0, now - started);
    const byPace = steps && steps.step > 0 ? (elapsed * steps.totalSteps) / steps.step : undefined;
    // never in the past while the job runs: at the earliest, now
    const estimate = Math.max(now, started + (byPace ?? inferenceMs));
    return { ...progress, estimatedCompletionAt: iso(estimate) };
  }
  const ahead = position ?? 0;
  const slots = capacity ? Math.max(1, capacity.currentInstances) * Math.max(1, capacity.concurrencyPerInstance) : 1;
  const work = (Math.floor(ahead / slots) + 1) * inferenceMs;
  const positioned = position !== undefined ? { position } : {};
  if (capacity && capacity.currentInstances === 0) {
    const since = Date.parse(job.timings.invokedAt ?? job.timings.submittedAt);
    const coldLeft = Math.max(0, coldStartMs - Math.max(0, now - since));
    return { phase: 'waiting_for_capacity', ...positioned, estimatedCompletionAt: iso(now + coldLeft + work) };
  }
  return { phase: 'queued', ...positioned, estimatedCompletionAt: iso(now + work) };
}
