import type { Job } from '#libs/contracts';

/**
 * Told when a job has reached a final state, whoever made it final (the worker from a notification, the api on a
 * refused submission; later cancel and the deadline reaper). Quota and budget bookkeeping hang off it.
 *
 * Delivery is at least once: a retried queue message or a duplicate notification reports the same job again, so
 * every report after the first must change nothing. A listener that throws makes the whole report fail (the worker
 * then retries the message), so the report is repeated until every listener has seen it.
 */
export interface JobFinalListener {
  jobFinal(job: Job): Promise<void>;
}

/** Nest token for the `JobFinalListener[]` a process wires in. */
export const JOB_FINAL_LISTENERS = Symbol('JOB_FINAL_LISTENERS');

/** Tells every listener, one after another; the first failure stops the report and is thrown. */
export async function reportFinal(listeners: readonly JobFinalListener[], job: Job): Promise<void> {
  for (const listener of listeners) {
    await listener.jobFinal(job);
  }
}
