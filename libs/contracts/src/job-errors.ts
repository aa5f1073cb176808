/**
 * The one catalogue of the codes a FAILED (or otherwise unsuccessful) job can carry in `error.code`. Every part of
 * the platform (api, worker, codecs, SageMaker adapter) uses these; the OpenAPI document shows them as an enum and
 * the README lists them with their meaning.
 */
export const JobErrorCode = {
  ModelError: 'MODEL_ERROR',
  ModelOutputInvalid: 'MODEL_OUTPUT_INVALID',
  ContentFiltered: 'CONTENT_FILTERED',
  ModelUnknown: 'MODEL_UNKNOWN',
  OutputUnreadable: 'OUTPUT_UNREADABLE',
  EndpointNotFound: 'ENDPOINT_NOT_FOUND',
  InferenceRejected: 'INFERENCE_REJECTED',
  InferenceUnavailable: 'INFERENCE_UNAVAILABLE',
  TimedOut: 'TIMED_OUT',
  QueueTimeout: 'QUEUE_TIMEOUT',
  InferenceTimeout: 'INFERENCE_TIMEOUT',
  Canceled: 'CANCELED',
  BatchIncomplete: 'BATCH_INCOMPLETE',
} as const;
export type JobErrorCode = (typeof JobErrorCode)[keyof typeof JobErrorCode];

export interface JobErrorDescription {
  meaning: string;
  /** Whether submitting the same job again can succeed (the fault was transient, not in the request or setup). */
  retryable: boolean;
}

export const JOB_ERROR_CATALOGUE: Readonly<Record<JobErrorCode, JobErrorDescription>> = {
  MODEL_ERROR: { meaning: 'The model failed while rendering and gave this reason.', retryable: true },
  MODEL_OUTPUT_INVALID: {
    meaning: 'The model answered, but its answer held no usable image (malformed or not an image).',
    retryable: false,
  },
  CONTENT_FILTERED: {
    meaning: "The model's content filter blocked the prompt or the image; change the prompt.",
    retryable: false,
  },
  MODEL_UNKNOWN: { meaning: 'The job names a model that is no longer in the catalog.', retryable: false },
  OUTPUT_UNREADABLE: {
    meaning: 'The model reported success, but its output could not be found or read where it said it was.',
    retryable: true,
  },
  ENDPOINT_NOT_FOUND: {
    meaning: "The model's SageMaker endpoint does not exist: a configuration problem on the platform's side.",
    retryable: false,
  },
  INFERENCE_REJECTED: { meaning: 'SageMaker refused the invocation as invalid.', retryable: false },
  INFERENCE_UNAVAILABLE: {
    meaning: 'SageMaker could not take the job (throttled or not ready); nothing was rendered.',
    retryable: true,
  },
  TIMED_OUT: { meaning: 'The job did not finish before its deadline.', retryable: true },
  QUEUE_TIMEOUT: {
    meaning: 'The job waited for a GPU until its deadline and was never started; nothing was rendered.',
    retryable: true,
  },
  INFERENCE_TIMEOUT: {
    meaning: 'The model took longer than the job’s timeout to render it; raise timeoutSeconds or ask for less work.',
    retryable: false,
  },
  CANCELED: { meaning: 'The job was canceled by its owner.', retryable: false },
  BATCH_INCOMPLETE: {
    meaning: 'Its batch could not be written in full, so none of the batch was started; submit the batch again.',
    retryable: true,
  },
};

export const JOB_ERROR_CODES: readonly JobErrorCode[] = Object.values(JobErrorCode);

export function isJobErrorCode(value: string): value is JobErrorCode {
  return (JOB_ERROR_CODES as readonly string[]).includes(value);
}
