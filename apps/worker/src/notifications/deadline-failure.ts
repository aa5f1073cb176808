import { type JobError, JobErrorCode } from '#libs/contracts';

/**
 * Whether SageMaker's failure reason says the job ran out of time, and how: still queued when its
 * RequestTTLSeconds passed (QUEUE_TIMEOUT: nothing ran), or rendering past its InvocationTimeoutSeconds
 * (INFERENCE_TIMEOUT). AWS does not document the wording of these reasons (reference/aws.md section 9, item 5):
 * this matches the stub's ("Request expired ...", "Invocation timed out ...") and the usual AWS phrasings.
 */
export function deadlineFailureOf(failureReason: string | undefined): JobError | undefined {
  if (!failureReason) {
    return undefined;
  }
  if (/\bexpired\b|RequestTTL/i.test(failureReason)) {
    return { code: JobErrorCode.QueueTimeout, message: `SageMaker expired the queued request: ${failureReason}` };
  }
  if (/\btimed?[ -]?out\b|InvocationTimeout/i.test(failureReason)) {
    return { code: JobErrorCode.InferenceTimeout, message: `The model ran out of time: ${failureReason}` };
  }
  return undefined;
}
