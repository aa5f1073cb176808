import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  JOB_STATUSES,
  JOB_SUBMISSIONS,
  type JobStatus,
  type JobSubmission,
  OUTPUT_FORMATS,
  type OutputFormat,
  QUALITIES,
  type Quality,
} from '#libs/contracts';

/** Response shapes of the jobs routes (DESIGN.md section 2); classes so the OpenAPI document describes them. */
export class JobLinksView {
  @ApiProperty({ example: '/v1/jobs/01JD0000000000000000000000' }) self!: string;
  @ApiProperty({ example: '/v1/jobs/01JD0000000000000000000000/events' }) events!: string;
  @ApiProperty({ example: '/v1/jobs/01JD0000000000000000000000/cancel' }) cancel!: string;
}

export class JobAcceptedView {
  @ApiProperty({ example: '01JD0000000000000000000000', description: 'ULID; also the SageMaker inference id' })
  jobId!: string;
  @ApiProperty({ enum: JOB_STATUSES, example: 'QUEUED' }) status!: JobStatus;
  @ApiProperty({ example: '2026-11-26T12:00:00.000Z' }) createdAt!: string;
  @ApiProperty({
    enum: JOB_SUBMISSIONS,
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
  @ApiProperty() prompt!: string;
  @ApiPropertyOptional() negativePrompt?: string;
  @ApiProperty({ example: 'stable-diffusion-xl' }) modelId!: string;
  @ApiProperty({ example: 30 }) steps!: number;
  @ApiProperty({ example: 1024 }) width!: number;
  @ApiProperty({ example: 1024 }) height!: number;
  @ApiProperty({ enum: QUALITIES }) quality!: Quality;
  @ApiProperty({ example: 7 }) guidanceScale!: number;
  @ApiProperty({ example: 42 }) seed!: number;
  @ApiProperty({ example: 1 }) numImages!: number;
  @ApiProperty({ enum: OUTPUT_FORMATS }) outputFormat!: OutputFormat;
  @ApiPropertyOptional() webhookUrl?: string;
}

export class JobImageView {
  @ApiProperty({ description: 'Presigned GET URL, valid for IMAGES_URL_TTL_SECONDS' }) url!: string;
  @ApiProperty({ example: 1024 }) width!: number;
  @ApiProperty({ example: 1024 }) height!: number;
  @ApiProperty({ enum: OUTPUT_FORMATS }) format!: OutputFormat;
  @ApiProperty({ example: 123456 }) bytes!: number;
}

export class JobProgressView {
  @ApiProperty({ enum: ['waiting_for_capacity', 'queued', 'running', 'done'] }) phase!: string;
  @ApiPropertyOptional() step?: number;
  @ApiPropertyOptional() totalSteps?: number;
}

export class JobErrorView {
  @ApiProperty({ example: 'MODEL_ERROR' }) code!: string;
  @ApiProperty() message!: string;
}

export class JobTimingsView {
  @ApiProperty() submittedAt!: string;
  @ApiPropertyOptional() invokedAt?: string;
  @ApiPropertyOptional() completedAt?: string;
  @ApiPropertyOptional() finalizedAt?: string;
  @ApiPropertyOptional({ description: 'submitted → accepted by SageMaker' }) queueMs?: number;
  @ApiPropertyOptional({ description: 'accepted by SageMaker → output written (backlog + rendering)' })
  inferenceMs?: number;
  @ApiPropertyOptional({ description: 'submitted → finalized' }) totalMs?: number;
}

export class JobMetadataView {
  @ApiProperty() modelId!: string;
  @ApiProperty() endpointName!: string;
  @ApiProperty() inferenceId!: string;
  @ApiProperty() seed!: number;
  @ApiProperty({ type: JobTimingsView }) timings!: JobTimingsView;
}

export class JobView {
  @ApiProperty() jobId!: string;
  @ApiProperty({ enum: JOB_STATUSES }) status!: JobStatus;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ type: JobParamsView }) params!: JobParamsView;
  @ApiProperty({ type: String, nullable: true, description: 'Presigned URL of the first image' })
  imageUrl!: string | null;
  @ApiProperty({ type: [JobImageView] }) images!: JobImageView[];
  @ApiProperty({ type: JobProgressView }) progress!: JobProgressView;
  @ApiProperty({ type: JobErrorView, nullable: true }) error!: JobErrorView | null;
  @ApiProperty({ type: JobMetadataView }) metadata!: JobMetadataView;
  @ApiProperty({ type: JobLinksView }) links!: JobLinksView;
}

export class JobPageView {
  @ApiProperty({ type: [JobView] }) items!: JobView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null at the end' })
  nextCursor!: string | null;
}
