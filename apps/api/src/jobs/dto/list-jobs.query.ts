import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { JOB_STATUSES, type JobStatus } from '#libs/contracts';
import { OwnerParam } from '../../auth/owner-param.decorator.js';
import { IsIntegerInRange } from './constraints.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** GET /v1/jobs query. Parameters it does not name (cache busters such as `_=123`) are ignored. */
export class ListJobsQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsIntegerInRange(1, MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({
    description: 'The previous page’s nextCursor, as is: opaque, valid only for the same user and status filter',
  })
  @IsOptional()
  // constraints run bottom-up: the type check first
  @MaxLength(2048, { message: 'cursor is not valid for this listing' })
  @IsString({ message: 'cursor must be given once, as a string' })
  cursor?: string;

  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @IsOptional()
  @IsIn(JOB_STATUSES)
  status?: JobStatus;

  @OwnerParam('list this user’s jobs instead of your own.')
  owner?: string;
}
