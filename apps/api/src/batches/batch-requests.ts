import type { JobRequest } from '#libs/contracts';
import { ProblemException } from '../problem/problem.js';
import type { CreateBatchDto } from './dto/create-batch.dto.js';

/** One job of a batch: its request, and how a 400 names its fields in the batch body. */
export interface BatchJobRequest {
  request: JobRequest;
  fieldName: (field: string) => string;
}

/**
 * The jobs a batch body asks for: one per `jobs` entry (its own fields over the shared ones) or one per prompt
 * (the shared fields). Exactly one of `jobs` and `prompts` must be given.
 */
export function batchJobRequests(body: CreateBatchDto): BatchJobRequest[] {
  // null is as good as absent, as for every optional field (class-validator's IsOptional lets it through)
  const { jobs, prompts, ...shared } = body;
  if (isGiven(jobs) && isGiven(prompts)) {
    throw ProblemException.validation([
      { field: 'prompts', message: 'give jobs (one body per job) or prompts (one prompt per job), not both' },
    ]);
  }
  const common = definedOnly(shared);
  if (isGiven(prompts)) {
    return prompts.map((prompt, index) => ({
      request: { ...common, prompt },
      fieldName: (field) => (field === 'prompt' ? `prompts[${index}]` : field),
    }));
  }
  if (!isGiven(jobs)) {
    throw ProblemException.validation([
      { field: 'jobs', message: 'jobs (one body per job) or prompts (one prompt per job) is required' },
    ]);
  }
  return jobs.map((job, index) => ({
    request: { ...common, ...definedOnly(job) } as JobRequest,
    fieldName: (field) => `jobs[${index}].${field}`,
  }));
}

/** A DTO instance declares every field (unset ones are undefined): those, and nulls, must not hide a shared value. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => isGiven(field))) as Partial<T>;
}

function isGiven<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}
