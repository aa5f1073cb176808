import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  Matches,
} from 'class-validator';
import { API_SCOPES, type ApiScope } from '../../auth/scopes.js';
import { IsIntegerInRange, IsNumberInRange, IsText } from '../../jobs/dto/constraints.js';

export const KEY_NAME_MAX_LENGTH = 100;
const RFC_3339_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
/** A key may live at most a year: a long-lived credential should still be rotated. */
export const MAX_KEY_LIFETIME_DAYS = 366;
export const MAX_KEY_BUDGET_USD = 1_000_000;
export const MAX_KEY_REQUESTS_PER_MINUTE = 100_000;

/** POST /v1/keys body. */
export class CreateApiKeyDto {
  @ApiProperty({
    example: 'ci-nightly',
    minLength: 1,
    maxLength: KEY_NAME_MAX_LENGTH,
    description: 'To tell your keys apart: one line of at most 100 characters, not only white space',
  })
  @IsDefined({ message: 'name is required' })
  @Matches(/^[^\t\n\r\u2028\u2029]*$/u, { message: 'name must be one line' })
  @IsText({ maxLength: KEY_NAME_MAX_LENGTH })
  name!: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: [...API_SCOPES] },
    minItems: 1,
    uniqueItems: true,
    example: ['jobs:read', 'jobs:write'],
    description:
      'What the key may do: `jobs:write` submits jobs and estimates, `jobs:read` reads jobs and models, ' +
      '`usage:read` reads GET /v1/usage',
  })
  @IsDefined({ message: 'scopes is required' })
  @IsIn(API_SCOPES, { each: true, message: `each scope must be one of ${API_SCOPES.join(', ')}` })
  @ArrayUnique({ message: 'scopes must not repeat a scope' })
  @ArrayMaxSize(API_SCOPES.length, { message: 'scopes must not repeat a scope' })
  @ArrayNotEmpty({ message: 'scopes must name at least one scope' })
  @IsArray({ message: 'scopes must be an array of scopes' })
  scopes!: ApiScope[];

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2027-06-01T00:00:00Z',
    description: `When the key stops working: in the future, at most ${MAX_KEY_LIFETIME_DAYS} days ahead. Default: never`,
  })
  @IsOptional()
  @Matches(RFC_3339_DATE_TIME, { message: 'expiresAt must be an RFC 3339 date-time such as 2027-06-01T00:00:00Z' })
  @IsString({ message: 'expiresAt must be an RFC 3339 date-time such as 2027-06-01T00:00:00Z' })
  expiresAt?: string;

  @ApiPropertyOptional({
    example: 25,
    minimum: 0.000001,
    maximum: MAX_KEY_BUDGET_USD,
    description: 'USD per calendar month (UTC) this key’s jobs may commit, on top of your own budget. Default: none',
  })
  @IsOptional()
  @IsNumberInRange(0.000001, MAX_KEY_BUDGET_USD)
  monthlyBudgetUsd?: number;

  @ApiPropertyOptional({
    type: 'integer',
    example: 60,
    minimum: 1,
    maximum: MAX_KEY_REQUESTS_PER_MINUTE,
    description: 'Requests per minute this key may make, on top of your own limit. Default: none',
  })
  @IsOptional()
  @IsIntegerInRange(1, MAX_KEY_REQUESTS_PER_MINUTE)
  requestsPerMinute?: number;
}
