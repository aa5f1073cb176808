import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsIntegerInRange } from '../../jobs/dto/constraints.js';

export const DEFAULT_USERS_PAGE_SIZE = 100;
export const MAX_USERS_PAGE_SIZE = 500;

/** GET /v1/usage query. */
export class UsageQuery {
  @ApiPropertyOptional({
    example: '2026-11',
    pattern: '^\\d{4}-(0[1-9]|1[0-2])$',
    description: 'Default: this month (UTC)',
  })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM' })
  @IsString({ message: 'month must be given once, as YYYY-MM' })
  month?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_USERS_PAGE_SIZE,
    default: DEFAULT_USERS_PAGE_SIZE,
    description: 'Admins: how many users per page of the breakdown',
  })
  @IsOptional()
  @Type(() => Number)
  @IsIntegerInRange(1, MAX_USERS_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'Admins: the previous answer’s `users.nextCursor`, as is' })
  @IsOptional()
  @MaxLength(2048, { message: 'cursor is not valid for this listing' })
  @IsString({ message: 'cursor must be given once, as a string' })
  cursor?: string;
}
