import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IMAGE_OUTCOMES,
  type ImageOutcome,
  JOB_ERROR_CODES,
  JOB_STATUSES,
  type JobErrorCode,
  JOB_SUBMISSIONS,
  type JobStatus,
  type JobSubmission,
  OUTPUT_FORMATS,
  type OutputFormat,
  QUALITIES,
  type Quality,
  WEBHOOK_EVENT_KINDS,
  type WebhookEventKind,
} from '#libs/contracts';

const JOB_ID_EXAMPLE = '01JD0000000000000000000000';
const TIMESTAMP_EXAMPLE = '2026-11-26T12:00:00.000Z';

/**
 * Response shapes of the jobs routes (DESIGN.md section 2); classes so the OpenAPI document describes them. Counts
 * and sizes are `integer`, instants `date-time`; a nullable property is "its type or null" (OpenAPI 3.1).
 */
export class JobLinksView {
  @ApiProperty({
    example: `/v1/jobs/${JOB_ID_EXAMPLE}`,
    description: 'This job: GET reads it, DELETE deletes it (with its images)',
  })
  self!: string;
  @ApiPropertyOptional({
    example: `/v1/jobs/${JOB_ID_EXAMPLE}/cancel`,
    description: 'POST cancels the job; present only while it can be canceled (QUEUED or RUNNING)',
  })
  cancel?: string;
  @ApiPropertyOptional({
    example: `/v1/jobs/${JOB_ID_EXAMPLE}/events`,
    description: 'Its live events (GET, text/event-stream); present while the job is not final',
  })
  events?: string;
}

export class JobAcceptedView {
  @ApiProperty({ example: JOB_ID_EXAMPLE, description: 'ULID; also the SageMaker inference id' })
  jobId!: string;
  @ApiProperty({ enum: JOB_STATUSES, enumName: 'JobStatus', example: 'QUEUED' }) status!: JobStatus;
  @ApiProperty({ format: 'date-time', example: TIMESTAMP_EXAMPLE }) createdAt!: string;
  @ApiProperty({
    enum: JOB_SUBMISSIONS,
    enumName: 'JobSubmission',
    example: 'confirmed',
    description:
      '`confirmed`: SageMaker took the job. `unconfirmed`: SageMaker gave no definite answer (timeout, connection ' +
      'lost, server error), so the job may or may not run: poll `links.self` and do NOT submit it again (that could ' +
      'render it twice). It ends SUCCEEDED or FAILED when SageMaker reports, or TIMED_OUT at its deadline.',
  })
  submission!: JobSubmission;
  @ApiProperty({ type: JobLinksView }) links!: JobLinksView;
}

export class JobParamsView {
  @ApiProperty({ example: 'A beautiful sunset over mountains' }) prompt!: string;
  @ApiPropertyOptional({ example: 'blurry' }) negativePrompt?: string;
  @ApiProperty({ example: 'stable-diffusion-xl' }) modelId!: string;
  @ApiProperty({ type: 'integer', example: 30 }) steps!: number;
  @ApiProperty({ type: 'integer', example: 1024 }) width!: number;
  @ApiProperty({ type: 'integer', example: 1024 }) height!: number;
  @ApiProperty({ enum: QUALITIES, example: 'standard' }) quality!: Quality;
  @ApiProperty({ type: 'number', example: 7 }) guidanceScale!: number;
  @ApiProperty({ type: 'integer', example: 42 }) seed!: number;
  @ApiProperty({ type: 'integer', example: 1 }) numImages!: number;
  @ApiProperty({ enum: OUTPUT_FORMATS, example: 'png' }) outputFormat!: OutputFormat;
  @ApiPropertyOptional({ example: 'https://example.com/hook' }) webhookUrl?: string;
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', enum: [...WEBHOOK_EVENT_KINDS] },
    example: ['completed'],
    description: 'With webhookUrl: the events sent to it',
  })
  webhookEvents?: WebhookEventKind[];
}

export class JobImageView {
  @ApiProperty({ format: 'uri', description: 'Presigned GET URL, valid for IMAGES_URL_TTL_SECONDS' }) url!: string;
  @ApiProperty({
    type: 'integer',
    example: 0,
    description: 'Its position in the batch the model rendered (its entry in `imageOutcomes.outcomes`)',
  })
  index!: number;
  @ApiProperty({ type: 'integer', example: 1024 }) width!: number;
  @ApiProperty({ type: 'integer', example: 1024 }) height!: number;
  @ApiProperty({ enum: OUTPUT_FORMATS, example: 'png' }) format!: OutputFormat;
  @ApiProperty({ type: 'integer', example: 123456 }) bytes!: number;
}

export class JobImageOutcomesView {
  @ApiProperty({ type: 'integer', example: 1, description: 'Images delivered (those in `images`)' }) ok!: number;
  @ApiProperty({ type: 'integer', example: 1, description: "Images the model's safety or content filter blocked" })
  filtered!: number;
  @ApiProperty({ type: 'integer', example: 0, description: 'Images the model failed to make' }) failed!: number;
  @ApiProperty({
    enum: IMAGE_OUTCOMES,
    enumName: 'ImageOutcome',
    isArray: true,
    example: ['ok', 'filtered'],
    description: 'One outcome per image of the batch, in order',
  })
  outcomes!: ImageOutcome[];
}

export class JobProgressView {
  @ApiProperty({
    enum: ['waiting_for_capacity', 'queued', 'running', 'done'],
    example: 'running',
    description:
      '`waiting_for_capacity`: QUEUED, and the model’s endpoint has no instance in service (scaled to zero; one is ' +
      'starting). `queued`: QUEUED behind `position` jobs. `running`: RUNNING since `startedAt`. `done`: final.',
  })
  phase!: string;
  @ApiPropertyOptional({
    type: 'integer',
    example: 3,
    description:
      'waiting_for_capacity / queued: unfinished jobs of the same model endpoint submitted before this one (all ' +
      'users; counted up to PROGRESS_POSITION_CAP)',
  })
  position?: number;
  @ApiPropertyOptional({ format: 'date-time', description: 'running: when the model started rendering' })
  startedAt?: string;
  @ApiPropertyOptional({
    type: 'integer',
    example: 12,
    description: 'running: the last step the model reported (models that report steps only)',
  })
  step?: number;
  @ApiPropertyOptional({ type: 'integer', example: 30 }) totalSteps?: number;
  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'Estimated completion: the cold start still ahead (waiting_for_capacity), the rounds of jobs ahead at the ' +
      'model’s recent inference time (queued), the pace of the reported steps or the recent inference time ' +
      '(running). An estimate: absent on a final job',
  })
  estimatedCompletionAt?: string;
}

export class JobErrorView {
  @ApiProperty({
    enum: JOB_ERROR_CODES,
    enumName: 'JobErrorCode',
    example: 'MODEL_ERROR',
    description: 'What went wrong; the README lists each code with its meaning and whether a retry can help',
  })
  code!: JobErrorCode;
  @ApiProperty({ example: 'Simulated model failure' }) message!: string;
}

export class ModelTimingsView {
  @ApiPropertyOptional({ type: 'integer', description: 'Waiting for the model to be loaded, in ms' }) loadMs?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'Waiting in the container for the GPU, in ms' })
  queueMs?: number;
  @ApiPropertyOptional({
    type: 'integer',
    description: 'Rendering the batch, in ms: what the job is charged for when present',
  })
  inferenceMs?: number;
}

export class JobTimingsView {
  @ApiProperty({ format: 'date-time', example: TIMESTAMP_EXAMPLE }) submittedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) invokedAt?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'When the model reported it started (status RUNNING)' })
  startedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) completedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) finalizedAt?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'submitted → accepted by SageMaker, in ms' }) queueMs?: number;
  @ApiPropertyOptional({
    type: 'integer',
    description: 'accepted by SageMaker → output written (backlog + rendering), in ms',
  })
  inferenceMs?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'submitted → finalized, in ms' }) totalMs?: number;
  @ApiPropertyOptional({
    type: ModelTimingsView,
    description: 'The timings the model container reports itself (the imggen container does)',
  })
  model?: ModelTimingsView;
}

export class JobCostView {
  @ApiProperty({
    type: 'number',
    example: 9.402,
    description:
      'GPU seconds: the model’s own timing when it reports one, else SageMaker’s receivedTime → eventTime ' +
      '(which includes time in the endpoint’s backlog). 0 when the job never ran.',
  })
  gpuSeconds!: number;
  @ApiProperty({
    type: 'number',
    example: 0.003678,
    description: 'Estimated USD: gpuSeconds × the model’s SageMaker hourly price, rounded up to a micro-dollar',
  })
  usd!: number;
}

export class JobCancellationView {
  @ApiProperty({ format: 'date-time', example: TIMESTAMP_EXAMPLE }) canceledAt!: string;
  @ApiProperty({ enum: ['QUEUED', 'RUNNING'], example: 'RUNNING', description: 'The state it was canceled in' })
  from!: 'QUEUED' | 'RUNNING';
  @ApiProperty({ type: 'number', example: 9.402, description: 'GPU seconds the job was estimated to take' })
  estimatedGpuSeconds!: number;
  @ApiProperty({
    type: 'number',
    example: 6.113,
    description: 'GPU seconds not spent: the estimate less those used (`cost.gpuSeconds`, the only ones charged)',
  })
  gpuSecondsSaved!: number;
  @ApiProperty({ type: 'number', example: 0.002392, description: 'USD not spent: the price of gpuSecondsSaved' })
  usdSaved!: number;
}

export class JobMetadataView {
  @ApiProperty({ example: 'stable-diffusion-xl' }) modelId!: string;
  @ApiProperty({ example: 'imggen-sdxl-async' }) endpointName!: string;
  @ApiProperty({ example: JOB_ID_EXAMPLE }) inferenceId!: string;
  @ApiProperty({ type: 'integer', example: 42 }) seed!: number;
  @ApiProperty({ type: JobTimingsView }) timings!: JobTimingsView;
  @ApiProperty({ type: JobCostView, nullable: true, description: 'Set once the job is final; null before' })
  cost!: JobCostView | null;
  @ApiProperty({
    type: JobCancellationView,
    nullable: true,
    description: 'What canceling the job saved; null unless it was canceled',
  })
  cancellation!: JobCancellationView | null;
}

export class JobView {
  @ApiProperty({ example: JOB_ID_EXAMPLE }) jobId!: string;
  @ApiProperty({ enum: JOB_STATUSES, enumName: 'JobStatus', example: 'SUCCEEDED' }) status!: JobStatus;
  @ApiProperty({ format: 'date-time', example: TIMESTAMP_EXAMPLE }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: TIMESTAMP_EXAMPLE }) updatedAt!: string;
  @ApiProperty({ type: JobParamsView }) params!: JobParamsView;
  @ApiProperty({ type: String, format: 'uri', nullable: true, description: 'Presigned URL of the first image' })
  imageUrl!: string | null;
  @ApiProperty({
    type: [JobImageView],
    description: 'The images delivered; a job whose model filtered some images of its batch keeps the others',
  })
  images!: JobImageView[];
  @ApiProperty({
    type: JobImageOutcomesView,
    nullable: true,
    description:
      'What became of each image the model was asked for: `ok` (in `images`), `filtered` (blocked by the ' +
      "model's filter) or `failed`; null until the model has answered. A job with at least one ok image " +
      'SUCCEEDS; with every image filtered it FAILS with CONTENT_FILTERED.',
  })
  imageOutcomes!: JobImageOutcomesView | null;
  @ApiProperty({ type: JobProgressView }) progress!: JobProgressView;
  @ApiProperty({ type: JobErrorView, nullable: true, description: 'Why the job did not succeed; null otherwise' })
  error!: JobErrorView | null;
  @ApiProperty({ type: JobMetadataView }) metadata!: JobMetadataView;
  @ApiPropertyOptional({
    example: JOB_ID_EXAMPLE,
    description: 'The batch the job was submitted in (GET /v1/batches/{batchId}); absent for a job submitted alone',
  })
  batchId?: string;
  @ApiPropertyOptional({
    type: 'integer',
    example: 900,
    description: 'Seconds the job may take from submission to a final state (its request’s timeoutSeconds)',
  })
  timeoutSeconds?: number;
  @ApiPropertyOptional({
    format: 'date-time',
    example: TIMESTAMP_EXAMPLE,
    description: 'createdAt + timeoutSeconds: a job not final by then ends TIMED_OUT',
  })
  deadlineAt?: string;
  @ApiPropertyOptional({
    format: 'date-time',
    example: TIMESTAMP_EXAMPLE,
    description: 'When the job, its request and its images are deleted (RETENTION_DAYS after submission)',
  })
  expiresAt?: string;
  @ApiProperty({ type: JobLinksView }) links!: JobLinksView;
}

export class JobPageView {
  @ApiProperty({ type: [JobView] }) items!: JobView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null at the end' })
  nextCursor!: string | null;
}
