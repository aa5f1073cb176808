import { ApiProperty } from '@nestjs/swagger';
import { JOB_STATUSES, type JobStatus } from '#libs/contracts';
import { JobAcceptedView, JobErrorView, JobLinksView } from '../../jobs/dto/job.views.js';

const BATCH_ID_EXAMPLE = '01JD0000000000000000000000';
const TIMESTAMP_EXAMPLE = '2026-11-26T12:00:00.000Z';

export class BatchLinksView {
  @ApiProperty({ example: `/v1/batches/${BATCH_ID_EXAMPLE}`, description: 'This batch (GET)' }) self!: string;
}

/** The answer to POST /v1/batches: every job, as POST /v1/jobs answers it. */
export class BatchAcceptedView {
  @ApiProperty({ example: BATCH_ID_EXAMPLE, description: 'ULID' }) batchId!: string;
  @ApiProperty({ format: 'date-time', example: TIMESTAMP_EXAMPLE }) createdAt!: string;
  @ApiProperty({
    type: [JobAcceptedView],
    description:
      'In the order submitted. A job SageMaker refused at once is FAILED here (its `error` on GET links.self); ' +
      'the others are QUEUED',
  })
  jobs!: JobAcceptedView[];
  @ApiProperty({ type: BatchLinksView }) links!: BatchLinksView;
}

export class BatchJobView {
  @ApiProperty({ example: BATCH_ID_EXAMPLE }) jobId!: string;
  @ApiProperty({ enum: JOB_STATUSES, enumName: 'JobStatus', example: 'SUCCEEDED' }) status!: JobStatus;
  @ApiProperty({ type: JobErrorView, nullable: true, description: 'Why the job did not succeed; null otherwise' })
  error!: JobErrorView | null;
  @ApiProperty({ type: JobLinksView }) links!: JobLinksView;
}

/** Jobs of the batch per status; every status is present. */
export class BatchCountsView {
  @ApiProperty({ type: 'integer', example: 0 }) QUEUED!: number;
  @ApiProperty({ type: 'integer', example: 2 }) RUNNING!: number;
  @ApiProperty({ type: 'integer', example: 97 }) SUCCEEDED!: number;
  @ApiProperty({ type: 'integer', example: 1 }) FAILED!: number;
  @ApiProperty({ type: 'integer', example: 0 }) CANCELED!: number;
  @ApiProperty({ type: 'integer', example: 0 }) TIMED_OUT!: number;
}

export class BatchView {
  @ApiProperty({ example: BATCH_ID_EXAMPLE }) batchId!: string;
  @ApiProperty({ format: 'date-time', example: TIMESTAMP_EXAMPLE }) createdAt!: string;
  @ApiProperty({ type: 'integer', example: 100 }) jobCount!: number;
  @ApiProperty({ type: BatchCountsView }) counts!: BatchCountsView;
  @ApiProperty({ type: [BatchJobView], description: 'Every job of the batch, in the order submitted' })
  jobs!: BatchJobView[];
  @ApiProperty({ type: BatchLinksView }) links!: BatchLinksView;
}

export class BatchSummaryView {
  @ApiProperty({ example: BATCH_ID_EXAMPLE }) batchId!: string;
  @ApiProperty({ format: 'date-time', example: TIMESTAMP_EXAMPLE }) createdAt!: string;
  @ApiProperty({ type: 'integer', example: 100 }) jobCount!: number;
  @ApiProperty({ type: BatchLinksView }) links!: BatchLinksView;
}

export class BatchPageView {
  @ApiProperty({ type: [BatchSummaryView], description: 'Newest first' }) items!: BatchSummaryView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null at the end' })
  nextCursor!: string | null;
}
