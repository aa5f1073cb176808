import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import type { AuthUser } from '../../auth/auth-user.js';
import { RequireScope } from '../../auth/scopes.js';
import { CurrentUser } from '../../auth/current-user.decorator.js';
import { ApiProblemResponses } from '../../problem/api-problem-responses.decorator.js';
import { UsageExportQuery } from '../dto/usage-export.query.js';
import { UsageExportEndView, UsageExportRowView } from '../dto/usage-export.views.js';
import { CSV_MEDIA_TYPE, csvStream, NDJSON_MEDIA_TYPE, ndjsonStream } from './usage-export.encoders.js';
import { USAGE_EXPORT_COLUMNS } from './usage-export.row.js';
import { UsageExportService } from './usage-export.service.js';

/** HTTP trailer sent after the last byte of a complete export: how many job rows it holds. */
export const EXPORT_ROWS_TRAILER = 'X-Export-Rows';

const CSV_EXAMPLE =
  `${USAGE_EXPORT_COLUMNS.join(',')}\r\n` +
  '01JD0000000000000000000000,b5d0c8f4-0000-5000-8000-000000000001,,stable-diffusion-xl,SUCCEEDED,9.402,0.003678,' +
  '2026-11-26T12:00:00.000Z,2026-11-26T12:00:10.020Z,120,9402,10020\r\n';

@ApiTags('usage')
@ApiBearerAuth()
@ApiExtraModels(UsageExportRowView, UsageExportEndView)
@Controller('v1/usage/export')
export class UsageExportController {
  constructor(private readonly exports: UsageExportService) {}

  @RequireScope('usage:read')
  @Get()
  @ApiOperation({
    operationId: 'exportUsage',
    summary: 'Export a month’s jobs, one row per job (admins: every user’s, or one user’s with `owner`)',
    description:
      'Streamed as it is read. `format=json` (the default) is NDJSON: one job object per line, then a last line ' +
      '`{"complete":true,"month",…,"rows":N,"gpuSeconds","usd"}` whose totals over the final jobs equal GET ' +
      '/v1/usage’s. `format=csv` is RFC 4180 with a header row, sent as a download; a text cell starting with ' +
      "`=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'` (formula injection). An export that " +
      'fails part-way is cut off: the chunked answer ends without its final chunk (clients report an error), the ' +
      `NDJSON end line is missing, and the \`${EXPORT_ROWS_TRAILER}\` trailer is not sent. A failure before the ` +
      'first byte is a 503 problem.',
  })
  @ApiResponse({
    status: 200,
    description: 'The month’s jobs, oldest first per user (users in id order)',
    headers: {
      Trailer: {
        description: `Announces the \`${EXPORT_ROWS_TRAILER}\` trailer: the number of job rows, sent after the last chunk of a complete export`,
        schema: { type: 'string', example: EXPORT_ROWS_TRAILER },
      },
      'Content-Disposition': {
        description: 'CSV only: `attachment; filename="imggen-usage-<month>.csv"`',
        schema: { type: 'string', example: 'attachment; filename="imggen-usage-2026-11.csv"' },
      },
    },
    content: {
      [NDJSON_MEDIA_TYPE]: {
        schema: {
          description: 'Each line: a job, or (the last line) the end of a complete export',
          oneOf: [{ $ref: getSchemaPath(UsageExportRowView) }, { $ref: getSchemaPath(UsageExportEndView) }],
        },
      },
      [CSV_MEDIA_TYPE]: {
        schema: { type: 'string', description: `Columns: ${USAGE_EXPORT_COLUMNS.join(', ')}` },
        example: CSV_EXAMPLE,
      },
    },
  })
  @ApiProblemResponses(400, 401, 403, 429, 503)
  async export(
    @CurrentUser() user: AuthUser,
    @Query() query: UsageExportQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Readable> {
    const opened = await this.exports.open(user, query);
    let rows = 0;
    const counted = countRows(opened.rows, () => (rows += 1));
    const body = query.format === 'csv' ? csvStream(counted) : ndjsonStream(counted, opened.month);
    if (query.format === 'csv') {
      void reply
        .type(`${CSV_MEDIA_TYPE}; charset=utf-8`)
        .header('content-disposition', `attachment; filename="imggen-usage-${opened.month}.csv"`);
    } else {
      void reply.type(`${NDJSON_MEDIA_TYPE}; charset=utf-8`);
    }
    void reply
      .header('cache-control', 'no-store')
      .trailer(EXPORT_ROWS_TRAILER, (_reply, _payload, done) => done(null, String(rows)));
    return body;
  }
}

async function* countRows<T>(rows: AsyncIterable<T>, onRow: () => unknown): AsyncGenerator<T> {
  for await (const row of rows) {
    onRow();
    yield row;
  }
}
