import { ApiProperty } from '@nestjs/swagger';
import { JOB_STATUSES, type JobStatus } from '#libs/contracts';
import type { UsageExportEnd } from '../export/usage-export.encoders.js';
import type { UsageExportRow } from '../export/usage-export.row.js';

const nullableInteger = (description: string, example: number | null) =>
  ApiProperty({ type: 'integer', nullable: true, example, description });

/** One NDJSON line of GET /v1/usage/export: a job (the CSV has the same columns in this order). */
export class UsageExportRowView implements UsageExportRow {
  @ApiProperty({ example: '01JD0000000000000000000000' }) jobId!: string;
  @ApiProperty({ example: 'b5d0c8f4-0000-5000-8000-000000000001', description: 'The job’s owner (user id)' })
  ownerId!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'The API key the job was submitted with; null for a user’s token',
  })
  apiKeyId!: string | null;
  @ApiProperty({ example: 'stable-diffusion-xl' }) modelId!: string;
  @ApiProperty({ enum: JOB_STATUSES, example: 'SUCCEEDED' }) status!: JobStatus;
  @ApiProperty({
    type: 'number',
    nullable: true,
    example: 9.402,
    description: 'GPU seconds charged; null while the job is in flight',
  })
  gpuSeconds!: number | null;
  @ApiProperty({
    type: 'number',
    nullable: true,
    example: 0.003678,
    description: 'USD charged (whole micro-dollars); null while the job is in flight',
  })
  usd!: number | null;
  @ApiProperty({ format: 'date-time', example: '2026-11-26T12:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-11-26T12:00:10.000Z' })
  finalizedAt!: string | null;
  @nullableInteger('Submitted → accepted by SageMaker, in ms', 120) queueMs!: number | null;
  @nullableInteger('Accepted by SageMaker → output written (backlog + rendering), in ms', 9402) inferenceMs!:
    number | null;
  @nullableInteger('Submitted → finalized, in ms', 10020) totalMs!: number | null;
}

/** The last NDJSON line of a complete export; an answer without it was cut short. */
export class UsageExportEndView implements UsageExportEnd {
  @ApiProperty({ enum: [true], example: true }) complete!: true;
  @ApiProperty({ example: '2026-11' }) month!: string;
  @ApiProperty({ type: 'integer', example: 43, description: 'Job lines before this one' }) rows!: number;
  @ApiProperty({ type: 'number', example: 384.2, description: 'GPU seconds of the final jobs exported' })
  gpuSeconds!: number;
  @ApiProperty({ type: 'number', example: 0.150266, description: 'USD of the final jobs exported' }) usd!: number;
}
