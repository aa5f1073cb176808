import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { OwnerParam } from '../../auth/owner-param.decorator.js';
import { USAGE_EXPORT_FORMATS, type UsageExportFormat } from '../export/usage-export.encoders.js';

/** GET /v1/usage/export query. Parameters it does not name are ignored. */
export class UsageExportQuery {
  @ApiPropertyOptional({
    example: '2026-11',
    pattern: '^\\d{4}-(0[1-9]|1[0-2])$',
    description:
      'The month (UTC) whose jobs to export: jobs count in the month they were created in. Default: this month',
  })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM' })
  @IsString({ message: 'month must be given once, as YYYY-MM' })
  month?: string;

  @ApiPropertyOptional({
    enum: USAGE_EXPORT_FORMATS,
    default: 'json',
    description: '`json`: NDJSON (application/x-ndjson), `csv`: RFC 4180 CSV (text/csv) as a download',
  })
  @IsOptional()
  @IsIn(USAGE_EXPORT_FORMATS, { message: 'format must be csv or json' })
  @IsString({ message: 'format must be given once, as csv or json' })
  format?: UsageExportFormat;

  @OwnerParam(
    'export this user’s jobs. Without it an administrator’s export covers every user with usage in the month; ' +
      'anyone else’s covers their own jobs.',
  )
  owner?: string;
}
