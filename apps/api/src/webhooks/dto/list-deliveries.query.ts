import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsIntegerInRange } from '../../jobs/dto/constraints.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../jobs/dto/list-jobs.query.js';

/** GET /v1/jobs/{jobId}/deliveries query, paged like GET /v1/jobs. */
export class ListDeliveriesQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsIntegerInRange(1, MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'The previous page’s nextCursor, as is' })
  @IsOptional()
  @MaxLength(256, { message: 'cursor is not valid for this listing' })
  @IsString({ message: 'cursor must be given once, as a string' })
  cursor?: string;
}
