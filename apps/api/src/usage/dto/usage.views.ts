import { ApiProperty } from '@nestjs/swagger';
import { JobParamsView } from '../../jobs/dto/job.views.js';

const RESET_EXAMPLE = '2026-12-01T00:00:00.000Z';

export class JobsByStatusView {
  @ApiProperty({ type: 'integer', example: 40 }) SUCCEEDED!: number;
  @ApiProperty({ type: 'integer', example: 2 }) FAILED!: number;
  @ApiProperty({ type: 'integer', example: 0 }) CANCELED!: number;
  @ApiProperty({ type: 'integer', example: 0 }) TIMED_OUT!: number;
}

export class JobCountsView {
  @ApiProperty({ type: 'integer', example: 43, description: 'Jobs submitted this month (final + in flight)' })
  total!: number;
  @ApiProperty({ type: 'integer', example: 1, description: 'Jobs not final yet (their estimate is reserved)' })
  inFlight!: number;
  @ApiProperty({ type: JobsByStatusView, description: 'Final jobs per status' }) byStatus!: JobsByStatusView;
}

export class BudgetView {
  @ApiProperty({ type: 'number', example: 25, description: 'The monthly budget, USD' }) limitUsd!: number;
  @ApiProperty({
    type: 'number',
    example: 0.154,
    description: 'What final jobs cost plus what jobs in flight reserved (their estimates), USD',
  })
  committedUsd!: number;
  @ApiProperty({ type: 'number', example: 24.846, description: 'limitUsd − committedUsd, never below 0' })
  remainingUsd!: number;
  @ApiProperty({ format: 'date-time', example: RESET_EXAMPLE, description: '00:00 UTC on the first of next month' })
  resetsAt!: string;
}

export class UsageTotalsView {
  @ApiProperty({ type: JobCountsView }) jobs!: JobCountsView;
  @ApiProperty({ type: 'number', example: 384.2, description: 'GPU seconds of the final jobs' }) gpuSeconds!: number;
  @ApiProperty({
    type: 'number',
    example: 0.150266,
    description: 'What the final jobs cost, USD (GPU seconds × the model’s SageMaker hourly price)',
  })
  usd!: number;
}

export class PlatformUsageView extends UsageTotalsView {
  @ApiProperty({ type: BudgetView, nullable: true, description: 'MONTHLY_BUDGET_USD; null when none is set' })
  budget!: BudgetView | null;
}

export class UserUsageView extends UsageTotalsView {
  @ApiProperty({ example: '3f1c2a9e-0000-4000-8000-000000000000' }) ownerId!: string;
  @ApiProperty({ type: 'number', example: 0.154, description: 'Final costs plus reservations in flight, USD' })
  committedUsd!: number;
}

export class UserUsagePageView {
  @ApiProperty({ type: [UserUsageView], description: 'Users with usage this month, in owner id order' })
  items!: UserUsageView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next users; null at the end' })
  nextCursor!: string | null;
}

export class ApiKeyUsageView extends UsageTotalsView {
  @ApiProperty({ example: '01JD8Z4Q6C2M3N4P5Q6R7S8T9V', description: 'The API key the jobs were submitted with' })
  keyId!: string;
  @ApiProperty({ type: String, nullable: true, example: 'render-farm', description: 'Its name; null once revoked' })
  name!: string | null;
  @ApiProperty({ type: 'number', example: 0.154, description: 'Final costs plus reservations in flight, USD' })
  committedUsd!: number;
  @ApiProperty({ type: BudgetView, nullable: true, description: 'The key’s own monthly budget; null when it has none' })
  budget!: BudgetView | null;
}

export class UsageView extends UsageTotalsView {
  @ApiProperty({ example: '2026-11', description: 'The month (UTC) this covers; jobs count in the month created' })
  month!: string;
  @ApiProperty({ type: BudgetView, nullable: true, description: 'Your monthly budget; null when you have none' })
  budget!: BudgetView | null;
  @ApiProperty({
    type: [ApiKeyUsageView],
    description:
      'Your usage broken down by the API keys that submitted jobs this month (revoked ones too), in key id order; ' +
      'jobs submitted with a signed-in token count only in the totals',
  })
  keys!: ApiKeyUsageView[];
  @ApiProperty({ type: PlatformUsageView, required: false, description: 'Admins only: the whole platform' })
  platform?: PlatformUsageView;
  @ApiProperty({ type: UserUsagePageView, required: false, description: 'Admins only: usage per user' })
  users?: UserUsagePageView;
}

export class CostEstimateView {
  @ApiProperty({ type: 'number', example: 9.402, description: 'GPU seconds the job should take on a warm instance' })
  gpuSeconds!: number;
  @ApiProperty({ type: 'number', example: 0.003678, description: 'Their price, USD: what a submission reserves' })
  usd!: number;
  @ApiProperty({ example: 'ml.g5.xlarge' }) instanceType!: string;
  @ApiProperty({ type: 'number', example: 1.408, description: 'SageMaker hosting price of the instance, USD/h' })
  hourlyUsd!: number;
}

export class WaitEstimateView {
  @ApiProperty({ type: 'number', example: 9.402, description: 'Seconds until done when an instance is up and idle' })
  warmSeconds!: number;
  @ApiProperty({
    type: 'number',
    example: 369.402,
    description: 'Seconds until done when the endpoint has scaled to zero (plus the model’s cold start)',
  })
  coldSeconds!: number;
}

export class EstimateBudgetView {
  @ApiProperty({
    type: 'number',
    nullable: true,
    example: 24.846,
    description: 'USD left this month in the tighter of your budget and the platform’s; null when neither is set',
  })
  remainingUsd!: number | null;
  @ApiProperty({ example: true, description: 'Whether this job fits what is left (else POST /v1/jobs answers 429)' })
  fits!: boolean;
  @ApiProperty({ format: 'date-time', example: RESET_EXAMPLE }) resetsAt!: string;
}

export class JobEstimateView {
  @ApiProperty({ type: JobParamsView, description: 'The parameters the job would run with (the seed is drawn)' })
  params!: JobParamsView;
  @ApiProperty({ type: CostEstimateView }) cost!: CostEstimateView;
  @ApiProperty({ type: WaitEstimateView }) wait!: WaitEstimateView;
  @ApiProperty({ type: EstimateBudgetView }) budget!: EstimateBudgetView;
}
