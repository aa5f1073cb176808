import type { JobErrorCode } from './job-errors.js';
import type { WebhookEventKind } from './webhook.js';

/** Job lifecycle (DESIGN.md section 2). Final states never change again. */
export const JobStatus = {
  Queued: 'QUEUED',
  Running: 'RUNNING',
  Succeeded: 'SUCCEEDED',
  Failed: 'FAILED',
  Canceled: 'CANCELED',
  TimedOut: 'TIMED_OUT',
} as const;
export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus];

export const JOB_STATUSES: readonly JobStatus[] = Object.values(JobStatus);
export const ACTIVE_JOB_STATUSES: readonly JobStatus[] = [JobStatus.Queued, JobStatus.Running];
export const FINAL_JOB_STATUSES: readonly JobStatus[] = [
  JobStatus.Succeeded,
  JobStatus.Failed,
  JobStatus.Canceled,
  JobStatus.TimedOut,
];

export function isFinalStatus(status: JobStatus): boolean {
  return FINAL_JOB_STATUSES.includes(status);
}

export const QUALITIES = ['draft', 'standard', 'high'] as const;
export type Quality = (typeof QUALITIES)[number];

export const OUTPUT_FORMATS = ['png', 'jpeg', 'webp'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** What a client may send; everything but the prompt is optional and resolved from the model catalog. */
export interface JobRequest {
  prompt: string;
  negativePrompt?: string;
  modelId?: string;
  steps?: number;
  width?: number;
  height?: number;
  quality?: Quality;
  guidanceScale?: number;
  seed?: number;
  numImages?: number;
  outputFormat?: OutputFormat;
  webhookUrl?: string;
  /** Seconds from submission to a final state; the deployment bounds it (and defaults it when absent). */
  timeoutSeconds?: number;
  /** Which state changes are sent to webhookUrl (default: completed). */
  webhookEvents?: WebhookEventKind[];
}

/** The fully resolved parameters a job runs with (seed included), so any job can be reproduced. */
export interface JobParams {
  prompt: string;
  negativePrompt?: string;
  modelId: string;
  steps: number;
  width: number;
  height: number;
  quality: Quality;
  guidanceScale: number;
  seed: number;
  numImages: number;
  outputFormat: OutputFormat;
  webhookUrl?: string;
  /** Set with webhookUrl: the events chosen, or the default. */
  webhookEvents?: WebhookEventKind[];
}

/**
 * What became of one image the model was asked for: `ok` (stored), `filtered` (blocked by the model's safety or
 * content filter) or `failed` (the model could not make it). A job keeps its ok images when others are not.
 */
export const IMAGE_OUTCOMES = ['ok', 'filtered', 'failed'] as const;
export type ImageOutcome = (typeof IMAGE_OUTCOMES)[number];

export interface JobImage {
  /** S3 key in the images bucket: `images/{ownerId}/{jobId}/{index}.{ext}`. */
  key: string;
  /** Its position in the model's batch (the index of its entry in `Job.imageOutcomes`); absent on older jobs. */
  index?: number;
  width: number;
  height: number;
  format: OutputFormat;
  bytes: number;
}

export interface JobError {
  /** A code from the catalogue in job-errors.ts. */
  code: JobErrorCode;
  message: string;
}

/** The timings a model container reports itself (our own `imggen` container does), in ms. */
export interface ModelTimings {
  /** Waiting for the model to be loaded. */
  loadMs?: number;
  /** Waiting in the container for the GPU. */
  queueMs?: number;
  /** Rendering the batch. */
  inferenceMs?: number;
}

export interface JobTimings {
  submittedAt: string;
  invokedAt?: string;
  /** When the model reported it started (the job became RUNNING); a cancel charges the GPU time since then. */
  startedAt?: string;
  completedAt?: string;
  finalizedAt?: string;
  queueMs?: number;
  inferenceMs?: number;
  totalMs?: number;
  /** As the model container reported them, when it does. */
  model?: ModelTimings;
}

/**
 * What a final job cost: the GPU seconds it held its instance, priced at the model's hourly rate. `usd` is a whole
 * number of micro-dollars (so the ledger's sums are exact). A job that never ran costs 0.
 */
export interface JobCost {
  gpuSeconds: number;
  usd: number;
}

/**
 * Whether SageMaker confirmed it took the job. `unconfirmed`: InvokeEndpointAsync timed out, lost its connection
 * after the request was sent, or answered a server error, so SageMaker may or may not render it. Such a job stays
 * QUEUED and is finalized by its notification, or timed out at its deadline; it is never submitted again.
 */
export const JobSubmission = {
  Confirmed: 'confirmed',
  Unconfirmed: 'unconfirmed',
} as const;
export type JobSubmission = (typeof JobSubmission)[keyof typeof JobSubmission];
export const JOB_SUBMISSIONS: readonly JobSubmission[] = Object.values(JobSubmission);

/**
 * What canceling a job saved: the GPU time its estimate said it would take, less what it had used (its `cost`, the
 * only part charged). A job canceled while QUEUED used nothing, so it saves its whole estimate and costs 0.
 */
export interface JobCancellation {
  canceledAt: string;
  /** The state it was canceled in. */
  from: 'QUEUED' | 'RUNNING';
  estimatedGpuSeconds: number;
  gpuSecondsSaved: number;
  /** The price of the GPU seconds saved, in USD (whole micro-dollars). */
  usdSaved: number;
}

/** A job as stored in DynamoDB. */
export interface Job {
  jobId: string;
  ownerId: string;
  /** The API key that submitted the job (absent: the owner's own token): its usage and budget are charged too. */
  apiKeyId?: string;
  status: JobStatus;
  params: JobParams;
  createdAt: string;
  updatedAt: string;
  endpointName: string;
  /** Equal to jobId: the SageMaker InferenceId, so a notification maps to its job without a lookup. */
  inferenceId: string;
  /** s3:// URI of the request JSON. */
  requestLocation: string;
  /** s3:// URIs SageMaker answered with; the worker reads the object named by the notification. */
  outputLocation?: string;
  failureLocation?: string;
  /** Absent until the invocation's outcome is recorded (and on a job whose invocation was refused: it is FAILED). */
  submission?: JobSubmission;
  /** The `ok` images, in batch order. */
  images: JobImage[];
  /** One outcome per image the model answered with, in batch order; absent until the model has answered. */
  imageOutcomes?: ImageOutcome[];
  error?: JobError;
  timings: JobTimings;
  /** Set when the job becomes final (absent on a job finalized before costs were recorded). */
  cost?: JobCost;
  /** The batch (POST /v1/batches) the job was submitted in; absent for a job submitted alone. */
  batchId?: string;
  /** Seconds the job may take from submission to a final state (absent on jobs from before deadlines existed). */
  timeoutSeconds?: number;
  /** createdAt + timeoutSeconds: an unfinished job past it is made TIMED_OUT by the worker's reaper. */
  deadlineAt?: string;
  /**
   * Epoch seconds after which the job and its objects are deleted (the jobs table's TTL attribute). Past it the job
   * counts as gone even while it is still stored (DynamoDB deletes expired items up to days late).
   */
  expiresAt?: number;
  /** Set when the job was canceled. */
  cancellation?: JobCancellation;
  /** 1 at creation, +1 on every write (JobRepository does it): the `id` of the job's server-sent events. */
  version?: number;
  /** The last denoising step the model reported (models that report progress only). */
  steps?: JobStepProgress;
  /** The model's endpoint had no instance, and none starting, when the job was submitted: it waits a cold start. */
  coldStartAtSubmit?: boolean;
  /** The trace that submitted the job (when traced): the worker's finalization joins it. */
  trace?: JobTraceContext;
  /**
   * The platform usage shard that took the job's budget hold: its settlement reads that one item. Absent on jobs
   * submitted before it was recorded, whose settlement looks through every shard.
   */
  usageShard?: number;
}

/** A trace as W3C Trace Context headers (https://www.w3.org/TR/trace-context/). */
export interface JobTraceContext {
  traceparent: string;
  tracestate?: string;
}

export interface JobStepProgress {
  step: number;
  totalSteps: number;
}

/** Whether the job is past its retention (`expiresAt`), at `nowMs`. */
export function isExpiredJob(job: Pick<Job, 'expiresAt'>, nowMs: number): boolean {
  return job.expiresAt !== undefined && job.expiresAt * 1000 <= nowMs;
}

export function imageKey(ownerId: string, jobId: string, index: number, format: OutputFormat): string {
  return `images/${ownerId}/${jobId}/${index}.${format === 'jpeg' ? 'jpg' : format}`;
}

export function requestKey(jobId: string): string {
  return `requests/${jobId}.json`;
}
