import { type ObjectStore, tryParseS3Uri } from '#libs/aws';
import { failureLocationOf, type Job, JobStatus, type SageMakerNotification } from '#libs/contracts';

/** Final states whose job no longer wants a result: one that still arrives is thrown away. */
const DISCARDS_LATE_RESULTS: readonly string[] = [JobStatus.TimedOut];

/**
 * A result SageMaker delivers for a job already given up on (TIMED_OUT): its output or failure object is deleted,
 * as nobody will read it. The notification is then done with (deleted, not retried, not dead-lettered).
 */
export async function discardLateResult(
  objects: Pick<ObjectStore, 'delete'>,
  job: Job,
  notification: SageMakerNotification,
): Promise<boolean> {
  if (!DISCARDS_LATE_RESULTS.includes(job.status)) {
    return false;
  }
  const uris =
    notification.invocationStatus === 'Completed'
      ? [notification.responseParameters?.outputLocation ?? job.outputLocation]
      : [failureLocationOf(notification) ?? job.failureLocation];
  for (const uri of uris) {
    const location = uri ? tryParseS3Uri(uri) : undefined;
    if (location) {
      await objects.delete(location);
    }
  }
  return true;
}
