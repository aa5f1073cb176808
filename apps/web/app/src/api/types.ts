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
/** A job as GET /v1/jobs/{jobId}, the listing and the event streams send it. */
export type Job = Schemas['JobView'];
export type JobProgress = Schemas['JobProgressView'];
export type ImageOutcome = Schemas['ImageOutcome'];

export const FINAL_STATUSES: readonly JobStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELED', 'TIMED_OUT'];
export const isActive = (job: Pick<Job, 'status'>): boolean => !FINAL_STATUSES.includes(job.status);
