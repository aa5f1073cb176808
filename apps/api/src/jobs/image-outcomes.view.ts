import { type ImageOutcome, type Job, JobStatus } from '#libs/contracts';
import type { JobImageOutcomesView } from './dto/job.views.js';

/**
 * What became of each image of a job's batch, counted. Null until the model answered; a job stored before outcomes
 * were recorded delivered every image it has.
 */
export function imageOutcomesOf(job: Pick<Job, 'status' | 'images' | 'imageOutcomes'>): JobImageOutcomesView | null {
  const outcomes: ImageOutcome[] | undefined =
    job.imageOutcomes ?? (job.status === JobStatus.Succeeded ? job.images.map(() => 'ok') : undefined);
  if (!outcomes) {
    return null;
  }
  const count = (outcome: ImageOutcome): number => outcomes.filter((value) => value === outcome).length;
  return { ok: count('ok'), filtered: count('filtered'), failed: count('failed'), outcomes: [...outcomes] };
}
