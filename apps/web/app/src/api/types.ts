// The api's types, generated from openapi.json by `npm run openapi:write` (a unit test fails when they are stale).
import type { components, paths } from '../../../../../examples/typescript-client/imggen-api';

export type { paths };
type Schemas = components['schemas'];
export type JobParams = Schemas['JobParamsView'];
export type CreateJob = Schemas['CreateJobDto'];
export type JobEstimate = Schemas['JobEstimateView'];
export type Model = Schemas['ModelView'];
export type Usage = Schemas['UsageView'];
export type Problem = Schemas['ProblemView'];
export type JobStatus = Schemas['JobStatus'];

/**
 * The job view plus what the lifecycle routes add to it (issue 7): links appear only when the action is
 * possible, so the dashboard shows cancel / delete / live updates exactly when the api offers them.
 */
export type Job = Omit<Schemas['JobView'], 'links' | 'progress'> & {
  links: Schemas['JobView']['links'] & { cancel?: string; delete?: string; events?: string };
  progress: Schemas['JobProgressView'] & {
    /** Position among the endpoint's unfinished jobs (1 = next). */
    position?: number;
    /** Seconds until done, as the api estimates them. */
    etaSeconds?: number;
  };
};

export const FINAL_STATUSES: readonly JobStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELED', 'TIMED_OUT'];
export const isActive = (job: Pick<Job, 'status'>): boolean => !FINAL_STATUSES.includes(job.status);
