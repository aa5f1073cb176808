import { text } from 'node:stream/consumers';
import { describe, expect, it } from '@jest/globals';
import { DependencyUnavailableError } from '#libs/aws';
import { csvStream, ndjsonStream } from './usage-export.encoders.js';
import type { UsageExportRow } from './usage-export.row.js';

const HEADER = 'jobId,ownerId,apiKeyId,modelId,status,gpuSeconds,usd,createdAt,finalizedAt,queueMs,inferenceMs,totalMs';

function row(overrides: Partial<UsageExportRow> = {}): UsageExportRow {
  return {
    jobId: '01JD0000000000000000000000',
    ownerId: 'alice',
    apiKeyId: null,
    modelId: 'stable-diffusion-xl',
    status: 'SUCCEEDED',
    gpuSeconds: 9.402,
    usd: 0.003678,
    createdAt: '2026-11-26T12:00:00.000Z',
    finalizedAt: '2026-11-26T12:00:10.000Z',
    queueMs: 0,
    inferenceMs: 9402,
    totalMs: 10_000,
    ...overrides,
  };
}

async function* rowsOf(rows: UsageExportRow[], failAfter?: number): AsyncGenerator<UsageExportRow> {
  for (const [index, item] of rows.entries()) {
    if (index === failAfter) {
      throw new DependencyUnavailableError('DynamoDB', 'DynamoDB is unavailable');
    }
    yield item;
  }
}

/** The first cell of each data line. */
const firstCells = (csv: string): string[] =>
  csv
    .split('\r\n')
    .slice(1, -1)
    .map((line) => line.slice(0, line.indexOf(',', line.startsWith('"') ? line.indexOf('"', 1) : 0)));

describe('usage export encoders', () => {
  it('writes RFC 4180 CSV: a header row, CRLF line ends, empty cells for nulls, numbers as they are', async () => {
    const csv = await text(csvStream(rowsOf([row(), row({ status: 'RUNNING', gpuSeconds: null, usd: null })])));
    expect(csv).toBe(
      `${HEADER}\r\n` +
        '01JD0000000000000000000000,alice,,stable-diffusion-xl,SUCCEEDED,9.402,0.003678,2026-11-26T12:00:00.000Z,' +
        '2026-11-26T12:00:10.000Z,0,9402,10000\r\n' +
        '01JD0000000000000000000000,alice,,stable-diffusion-xl,RUNNING,,,2026-11-26T12:00:00.000Z,' +
        '2026-11-26T12:00:10.000Z,0,9402,10000\r\n',
    );
  });

  it('quotes a cell holding a comma, a quote or a line break, and doubles its quotes', async () => {
    const csv = await text(
      csvStream(
        rowsOf([
          row({ jobId: 'a,b' }),
          row({ jobId: 'say "hi"' }),
          row({ jobId: 'two\r\nlines' }),
          row({ jobId: 'lone\nfeed' }),
          row({ jobId: 'lone\rreturn' }),
        ]),
      ),
    );
    expect(csv).toContain('\r\n"a,b",alice,');
    expect(csv).toContain('\r\n"say ""hi""",alice,');
    expect(csv).toContain('\r\n"two\r\nlines",alice,');
    expect(csv).toContain('\r\n"lone\nfeed",alice,');
    expect(csv).toContain('\r\n"lone\rreturn",alice,');
  });

  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '＝1', '＋1', '－1', '＠x'])(
    'makes a text cell starting like a formula (%j) text with a leading quote',
    async (value) => {
      const csv = await text(csvStream(rowsOf([row({ jobId: value, ownerId: value, apiKeyId: value })])));
      const line = csv.split('\r\n')[1]!;
      // a cell holding a carriage return is quoted as well
      const cell = value.startsWith('\r') ? `"'${value}"` : `'${value}`;
      expect(line.startsWith(`${cell},${cell},${cell},`)).toBe(true);
    },
  );

  it('never touches a number cell, nor a text cell with a formula character later on', async () => {
    const csv = await text(csvStream(rowsOf([row({ jobId: 'a=b', gpuSeconds: -1, usd: 0 })])));
    expect(firstCells(csv)).toEqual(['a=b']);
    expect(csv).toContain(',SUCCEEDED,-1,0,');
  });

  it('writes the header alone when there is no row', async () => {
    await expect(text(csvStream(rowsOf([])))).resolves.toBe(`${HEADER}\r\n`);
  });

  it('cuts the CSV off (an error, not an end) when the rows fail part-way', async () => {
    const stream = csvStream(rowsOf([row(), row(), row()], 2));
    const received: string[] = [];
    stream.on('data', (chunk: Buffer) => received.push(chunk.toString()));
    await expect(new Promise((resolve, reject) => stream.on('end', resolve).on('error', reject))).rejects.toThrow(
      DependencyUnavailableError,
    );
    expect(received.join('')).toContain(HEADER);
  });

  it('writes NDJSON: one row per line, then the end line with the count and the final jobs’ totals', async () => {
    const rows = [
      row({ gpuSeconds: 0.1, usd: 0.000001 }),
      row({ status: 'QUEUED', gpuSeconds: null, usd: null }),
      row({ gpuSeconds: 0.2, usd: 0.000002 }),
    ];
    const lines = (await text(ndjsonStream(rowsOf(rows), '2026-11'))).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, 3).map((line) => JSON.parse(line) as unknown)).toEqual(rows);
    expect(JSON.parse(lines[3]!)).toEqual({
      complete: true,
      month: '2026-11',
      rows: 3,
      gpuSeconds: 0.3,
      usd: 0.000003,
    });
  });

  it('leaves out the NDJSON end line when the rows fail part-way: the stream errors instead', async () => {
    const stream = ndjsonStream(rowsOf([row(), row()], 1), '2026-11');
    const received: string[] = [];
    stream.on('data', (chunk: Buffer | string) => received.push(chunk.toString()));
    await expect(new Promise((resolve, reject) => stream.on('end', resolve).on('error', reject))).rejects.toThrow(
      DependencyUnavailableError,
    );
    expect(received.join('')).not.toContain('"complete"');
  });
});
