import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { USAGE_EXPORT_COLUMNS, type UsageExportRow, UsageExportTally } from './usage-export.row.js';

export const USAGE_EXPORT_FORMATS = ['csv', 'json'] as const;
export type UsageExportFormat = (typeof USAGE_EXPORT_FORMATS)[number];

export const CSV_MEDIA_TYPE = 'text/csv';
export const NDJSON_MEDIA_TYPE = 'application/x-ndjson';

/** The last NDJSON line of a complete export: a client that does not find it got a cut-short answer. */
export interface UsageExportEnd {
  complete: true;
  month: string;
  rows: number;
  /** Over the final jobs exported, summed as GET /v1/usage sums them. */
  gpuSeconds: number;
  usd: number;
}

/**
 * RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they hold a comma, a quote or a line break.
 * Formula injection: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return (or their full-width
 * forms) gets a leading `'`, so a spreadsheet shows it as text instead of evaluating it. Numbers are never changed.
 * Empty cells are null values (a job in flight has no cost or end yet).
 */
export function csvStream(rows: AsyncIterable<UsageExportRow>): Readable {
  const csv = stringify({
    header: true,
    columns: [...USAGE_EXPORT_COLUMNS],
    record_delimiter: 'windows',
    // with a record delimiter set, csv-stringify would otherwise leave a lone CR or LF in a cell unquoted
    quote_record_delimiter: true,
    escape_formulas: true,
  });
  const source = Readable.from(rows, { objectMode: true });
  // pipeline destroys the CSV stream with the source's error, and the answer is cut off rather than ended
  pipeline(source, csv, () => undefined);
  return csv;
}

/** NDJSON: one row object per line, then the `UsageExportEnd` line. */
export function ndjsonStream(rows: AsyncIterable<UsageExportRow>, month: string): Readable {
  return Readable.from(ndjsonLines(rows, month), { objectMode: false });
}

async function* ndjsonLines(rows: AsyncIterable<UsageExportRow>, month: string): AsyncGenerator<string> {
  const tally = new UsageExportTally();
  for await (const row of rows) {
    tally.add(row);
    yield `${JSON.stringify(row)}\n`;
  }
  const end: UsageExportEnd = {
    complete: true,
    month,
    rows: tally.rows,
    gpuSeconds: tally.gpuSeconds,
    usd: tally.usd,
  };
  yield `${JSON.stringify(end)}\n`;
}
