import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, ValidateNested } from 'class-validator';
import { CreateJobDto } from '../../jobs/dto/create-job.dto.js';
import { IsText, textProblem } from '../../jobs/dto/constraints.js';
import { REQUEST_BOUNDS as B } from '../../jobs/dto/request-bounds.js';
import { MAX_BATCH_JOBS } from '../batches.config.js';

/**
 * POST /v1/batches body: `jobs` (each a POST /v1/jobs body) or `prompts` (one job per prompt), not both. The other
 * fields are shared: each job takes them unless it sets its own. Bodies are limited to 8 KB (API_BODY_LIMIT_BYTES),
 * so `prompts` with shared fields is how a large batch fits.
 */
export class CreateBatchDto extends OmitType(CreateJobDto, ['prompt'] as const) {
  @ApiPropertyOptional({
    type: [CreateJobDto],
    minItems: 1,
    maxItems: MAX_BATCH_JOBS,
    description:
      'The jobs, each a POST /v1/jobs body; the shared fields fill in what a job leaves out. A 400 names a bad ' +
      'field with its index, e.g. `jobs[3].steps`',
  })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => CreateJobDto)
  @ArrayMaxSize(MAX_BATCH_JOBS, { message: `jobs must hold at most ${MAX_BATCH_JOBS} jobs` })
  @ArrayMinSize(1, { message: 'jobs must hold at least one job' })
  @IsArray({ message: 'jobs must be an array of job bodies' })
  jobs?: CreateJobDto[];

  @ApiPropertyOptional({
    type: [String],
    minItems: 1,
    maxItems: MAX_BATCH_JOBS,
    example: ['A lighthouse at dawn', 'A lighthouse at dusk'],
    description: `One job per prompt (each at most ${B.promptLength} characters), all with the shared fields`,
  })
  @IsOptional()
  @IsText({ maxLength: B.promptLength }, { each: true, message: eachPromptMessage })
  @ArrayMaxSize(MAX_BATCH_JOBS, { message: `prompts must hold at most ${MAX_BATCH_JOBS} prompts` })
  @ArrayMinSize(1, { message: 'prompts must hold at least one prompt' })
  @IsArray({ message: 'prompts must be an array of strings' })
  prompts?: string[];
}

/** `each` reports on the array as a whole: say which prompt is at fault, and what is wrong with it. */
function eachPromptMessage({ value }: { value: unknown }): string {
  const prompts = Array.isArray(value) ? (value as unknown[]) : [];
  const bounds = { maxLength: B.promptLength };
  const index = prompts.findIndex((prompt) => textProblem(prompt, bounds) !== undefined);
  return `prompts[${index}] ${textProblem(prompts[index], bounds) ?? 'is not valid'}`;
}
