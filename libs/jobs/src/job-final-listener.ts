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
  /** Told only once every other listener has taken the report (SettledMarker: the report is then complete). */
  readonly afterOthers?: boolean;
}

/** Nest token for the `JobFinalListener[]` a process wires in. */
export const JOB_FINAL_LISTENERS = Symbol('JOB_FINAL_LISTENERS');

/**
 * Tells every listener at once (each keeps its own items: nothing orders them), then, once all have taken it, the
 * `afterOthers` ones. A failure is thrown after the others have finished, so a retried report finds each listener
 * either done or not started.
 */
export async function reportFinal(listeners: readonly JobFinalListener[], job: Job): Promise<void> {
  await allOrFirstError(
    listeners.filter((listener) => !listener.afterOthers).map((listener) => listener.jobFinal(job)),
  );
  await allOrFirstError(listeners.filter((listener) => listener.afterOthers).map((listener) => listener.jobFinal(job)));
}

/** Waits for every promise; then throws the first rejection (in the given order), if any. */
export async function allOrFirstError<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const outcomes = await Promise.allSettled(promises);
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) {
    throw failed.reason;
  }
  return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<T>).value);
}
