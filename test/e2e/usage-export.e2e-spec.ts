import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { decodeJwt } from 'jose';
import request from 'supertest';
import { ulid } from 'ulid';
import { DependencyUnavailableError, JobRepository } from '#libs/aws';
import type { Job } from '#libs/contracts';
import { waitFor } from '#libs/testing';
import { jobIdRangeOf } from '../../apps/api/src/usage/export/job-id-range.js';
import { startApi, startWorker, tokenFor } from '../support/platform.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

interface ExportRow {
  jobId: string;
  ownerId: string;
  apiKeyId: string | null;
  modelId: string;
  status: string;
  gpuSeconds: number | null;
  usd: number | null;
  createdAt: string;
  finalizedAt: string | null;
  queueMs: number | null;
  inferenceMs: number | null;
  totalMs: number | null;
}
interface ExportEnd {
  complete: true;
  month: string;
  rows: number;
  gpuSeconds: number;
  usd: number;
}
interface Totals {
  jobs: { total: number; inFlight: number };
  gpuSeconds: number;
  usd: number;
}
interface KeyUsage extends Totals {
  keyId: string;
  name: string | null;
  committedUsd: number;
  budget: { limitUsd: number; committedUsd: number } | null;
}
interface UsageBody extends Totals {
  platform?: Totals;
  keys: KeyUsage[];
}

const STARTUP_TIMEOUT_MS = 30_000;
jest.setTimeout(40_000);

const THIS_MONTH = new Date().toISOString().slice(0, 7);
const CSV_COLUMNS =
  'jobId,ownerId,apiKeyId,modelId,status,gpuSeconds,usd,createdAt,finalizedAt,queueMs,inferenceMs,totalMs';

const micros = (usd: number): number => Math.round(usd * 1_000_000);
const millis = (seconds: number): number => Math.round(seconds * 1000);
const subOf = (token: string): string => decodeJwt(token).sub!;

/** The HTTP trailers that followed the last chunk of an answer. */
const trailersOf = (answer: request.Response): NodeJS.Dict<string> =>
  (answer as unknown as { res: IncomingMessage }).res.trailers;

/** Splits an NDJSON body into its job rows and its end line (undefined when the body has none). */
function parseNdjson(text: string): { rows: ExportRow[]; end: ExportEnd | undefined } {
  const lines = text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as ExportRow | ExportEnd);
  const last = lines.at(-1);
  const end = last && 'complete' in last ? last : undefined;
  return { rows: (end ? lines.slice(0, -1) : lines) as ExportRow[], end };
}

/** The exact sums over final rows, in micro-USD and milliseconds, as the ledger keeps them. */
function sums(rows: readonly ExportRow[]): { micros: number; gpuMs: number } {
  return rows.reduce(
    (total, row) => ({
      micros: total.micros + micros(row.usd ?? 0),
      gpuMs: total.gpuMs + millis(row.gpuSeconds ?? 0),
    }),
    { micros: 0, gpuMs: 0 },
  );
}

describe('GET /v1/usage/export', () => {
  let stack: TestStack;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  const http = () => request(api.getHttpServer());

  beforeAll(async () => {
    stack = await startTestStack();
    api = await startApi(stack.env);
    worker = await startWorker(stack.env);
  }, STARTUP_TIMEOUT_MS);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await stack?.stop();
  });

  let address: string | undefined;
  /** The api listening on a port, for a client (fetch) that reports a cut-off answer as such. */
  async function listening(): Promise<string> {
    if (address === undefined) {
      await api.listen(0, '127.0.0.1');
      address = `http://127.0.0.1:${(api.getHttpServer().address() as AddressInfo).port}`;
    }
    return address;
  }

  const get = (token: string, query: string) =>
    http()
      .get(`/v1/usage/export${query}`)
      .set('authorization', `Bearer ${token}`)
      // supertest buffers text/* only: read every answer as text
      .buffer(true)
      .parse((response, callback) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => callback(null, text));
      });

  async function exportJson(token: string, query = ''): Promise<{ rows: ExportRow[]; end: ExportEnd | undefined }> {
    const answer = await get(token, `?format=json${query}`).expect(200);
    expect(answer.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    return parseNdjson(answer.body as string);
  }

  async function usage(token: string): Promise<UsageBody> {
    return (await http().get('/v1/usage').set('authorization', `Bearer ${token}`).expect(200)).body as UsageBody;
  }

  /** Submits the bodies and waits until every job is final and settled in the caller's usage. */
  async function runJobs(token: string, bodies: object[]): Promise<string[]> {
    const ids: string[] = [];
    for (const body of bodies) {
      const answer = await http().post('/v1/jobs').set('authorization', `Bearer ${token}`).send(body).expect(202);
      ids.push((answer.body as { jobId: string }).jobId);
    }
    await waitFor(
      async () => {
        const current = await usage(token);
        return current.jobs.inFlight === 0 && current.jobs.total === bodies.length ? current : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, description: 'the jobs to finish and settle' },
    );
    return ids;
  }

  const MIXED_JOBS = [
    { prompt: 'a lighthouse' },
    { prompt: 'a harbour [fail]' },
    { prompt: 'two boats', modelId: 'stable-diffusion-2-1', numImages: 2 },
    { prompt: 'a storm [fail]', modelId: 'stability-sdxl', steps: 10 },
    { prompt: 'a gull', modelId: 'stability-sdxl', steps: 12 },
  ];

  let alice: string;
  let aliceIds: string[];

  beforeAll(async () => {
    alice = await tokenFor(stack.env, `export-alice-${ulid()}`);
    aliceIds = await runJobs(alice, MIXED_JOBS);
  }, 60_000);

  it('exports the caller’s jobs as NDJSON whose totals equal GET /v1/usage to the cent', async () => {
    const { rows, end } = await exportJson(alice);
    const mine = await usage(alice);

    expect(rows.map((row) => row.jobId)).toEqual(aliceIds);
    expect(rows.filter((row) => row.status === 'FAILED')).toHaveLength(2);
    expect(rows.every((row) => row.ownerId === subOf(alice) && row.apiKeyId === null)).toBe(true);
    expect(rows.map((row) => row.modelId)).toEqual(
      MIXED_JOBS.map((body) => ('modelId' in body ? body.modelId : 'stable-diffusion-xl')),
    );
    for (const row of rows) {
      expect(row.createdAt.slice(0, 7)).toBe(THIS_MONTH);
      expect(row.finalizedAt).not.toBeNull();
      expect(row.totalMs).toEqual(expect.any(Number));
    }
    const exported = sums(rows);
    process.stdout.write(
      `\nUsage export vs GET /v1/usage (${rows.length} jobs, 2 FAILED): export ${exported.micros} µUSD ` +
        `${exported.gpuMs} GPU ms; usage ${micros(mine.usd)} µUSD ${millis(mine.gpuSeconds)} GPU ms ` +
        `(usd ${exported.micros / 1e6} = ${mine.usd}, gpuSeconds ${exported.gpuMs / 1000} = ${mine.gpuSeconds})\n`,
    );
    expect(exported.micros).toBeGreaterThan(0);
    expect(exported.micros).toBe(micros(mine.usd));
    expect(exported.gpuMs).toBe(millis(mine.gpuSeconds));
    expect(end).toEqual({ complete: true, month: THIS_MONTH, rows: 5, gpuSeconds: mine.gpuSeconds, usd: mine.usd });
    expect(exported.micros / 1e6).toBe(mine.usd);
  });

  it('breaks usage down by API key: each key’s export rows equal its line in GET /v1/usage to the cent', async () => {
    const carol = await tokenFor(stack.env, `export-carol-${ulid()}`);
    const createKey = async (body: object): Promise<{ id: string; key: string }> =>
      (await http().post('/v1/keys').set('authorization', `Bearer ${carol}`).send(body).expect(201)).body as {
        id: string;
        key: string;
      };
    const scopes = ['jobs:write', 'usage:read'];
    const farm = await createKey({ name: 'render-farm', scopes, monthlyBudgetUsd: 5 });
    const ci = await createKey({ name: 'ci', scopes });
    const submitted: [string, object][] = [
      [carol, { prompt: 'by hand' }],
      [farm.key, { prompt: 'a barn' }],
      [farm.key, { prompt: 'a silo [fail]', modelId: 'stability-sdxl', steps: 12 }],
      [ci.key, { prompt: 'a tractor', modelId: 'stable-diffusion-2-1', numImages: 2 }],
    ];
    for (const [credential, body] of submitted) {
      await http().post('/v1/jobs').set('authorization', `Bearer ${credential}`).send(body).expect(202);
    }
    // a revoked key's usage stays: it is what its jobs cost
    await http().delete(`/v1/keys/${ci.id}`).set('authorization', `Bearer ${carol}`).expect(204);
    const settled = await waitFor(
      async () => {
        const current = await usage(carol);
        return current.jobs.inFlight === 0 && current.jobs.total === submitted.length ? current : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, description: 'carol’s jobs to finish and settle' },
    );
    const { rows } = await exportJson(carol);

    const expectedKeys = [
      { keyId: farm.id, name: 'render-farm', jobs: 2 },
      { keyId: ci.id, name: null, jobs: 1 },
    ].sort((a, b) => a.keyId.localeCompare(b.keyId));
    expect(settled.keys.map((line) => ({ keyId: line.keyId, name: line.name, jobs: line.jobs.total }))).toEqual(
      expectedKeys,
    );
    for (const line of settled.keys) {
      const keyRows = rows.filter((row) => row.apiKeyId === line.keyId);
      expect(micros(line.usd)).toBeGreaterThan(0);
      expect(sums(keyRows)).toEqual({ micros: micros(line.usd), gpuMs: millis(line.gpuSeconds) });
      expect(line.committedUsd).toBe(line.usd);
    }
    const farmLine = settled.keys.find((line) => line.keyId === farm.id)!;
    expect(farmLine.budget).toMatchObject({ limitUsd: 5, committedUsd: farmLine.usd });
    expect(settled.keys.find((line) => line.keyId === ci.id)!.budget).toBeNull();
    // the totals still cover every job, the one submitted with carol's own token too
    expect(rows.filter((row) => row.apiKeyId === null)).toHaveLength(1);
    expect(sums(rows).micros).toBe(micros(settled.usd));
    // a key with usage:read sees the same breakdown: a key acts as its owner
    expect((await usage(farm.key)).keys).toEqual(settled.keys);
  });

  it('exports the same jobs as a CSV download with the same totals', async () => {
    const answer = await get(alice, `?format=csv&month=${THIS_MONTH}`).expect(200);
    expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(answer.headers['content-disposition']).toBe(`attachment; filename="imggen-usage-${THIS_MONTH}.csv"`);
    // a complete export ends with the row count in a trailer (announced in the head)
    expect(answer.headers.trailer).toMatch(/x-export-rows/i);
    expect(trailersOf(answer)).toEqual({ 'x-export-rows': '5' });
    const text = answer.body as string;
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...lines] = text.slice(0, -2).split('\r\n');
    expect(header).toBe(CSV_COLUMNS);
    const columns = CSV_COLUMNS.split(',');
    // no value of these rows holds a comma or a quote
    const rows = lines.map(
      (line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i]!, cell])) as Record<string, string>,
    );
    expect(rows.map((row) => row.jobId)).toEqual(aliceIds);
    expect(rows.every((row) => row.apiKeyId === '')).toBe(true);
    const { rows: jsonRows } = await exportJson(alice);
    const fromCsv = rows.reduce((total, row) => total + micros(Number(row.usd)), 0);
    expect(fromCsv).toBe(sums(jsonRows).micros);
    expect(fromCsv).toBe(micros((await usage(alice)).usd));
    expect(rows.reduce((total, row) => total + millis(Number(row.gpuSeconds)), 0)).toBe(
      millis((await usage(alice)).gpuSeconds),
    );
  });

  it('exports an empty month as the end line alone, or the CSV header alone', async () => {
    expect(await exportJson(alice, '&month=2020-02')).toEqual({
      rows: [],
      end: { complete: true, month: '2020-02', rows: 0, gpuSeconds: 0, usd: 0 },
    });
    const csv = await get(alice, '?format=csv&month=2020-02').expect(200);
    expect(csv.body).toBe(`${CSV_COLUMNS}\r\n`);
  });

  it('defaults to NDJSON and this month', async () => {
    const answer = await get(alice, '').expect(200);
    expect(answer.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(parseNdjson(answer.body as string).end).toMatchObject({ month: THIS_MONTH, rows: 5 });
  });

  it('lets an admin export everyone (totals equal the platform’s) or one user; a user gets 403 for `owner`', async () => {
    const bob = await tokenFor(stack.env, `export-bob-${ulid()}`);
    const bobIds = await runJobs(bob, [{ prompt: 'a kite' }, { prompt: 'a cliff [fail]' }]);
    const admin = await tokenFor(stack.env, `export-admin-${ulid()}`, { admin: true });

    const bobOnly = await exportJson(admin, `&owner=${subOf(bob)}`);
    expect(bobOnly.rows.map((row) => row.jobId)).toEqual(bobIds);
    expect(sums(bobOnly.rows).micros).toBe(micros((await usage(bob)).usd));

    const everyone = await exportJson(admin);
    const ids = everyone.rows.map((row) => row.jobId);
    expect(ids).toEqual(expect.arrayContaining([...aliceIds, ...bobIds]));
    expect(new Set(ids).size).toBe(ids.length);
    // users in owner-id order, each user's jobs oldest first
    const owners = everyone.rows.map((row) => row.ownerId);
    expect(owners).toEqual([...owners].sort());
    const platform = (await usage(admin)).platform!;
    expect(platform.jobs.inFlight).toBe(0);
    expect(sums(everyone.rows)).toEqual({ micros: micros(platform.usd), gpuMs: millis(platform.gpuSeconds) });
    expect(everyone.end).toMatchObject({ rows: platform.jobs.total, usd: platform.usd });

    const refused = await get(alice, `?owner=${subOf(bob)}`).expect(403);
    expect(JSON.parse(refused.body as string)).toMatchObject({
      type: '/problems/forbidden',
      errors: [{ field: 'owner' }],
    });
    const ownself = await get(alice, `?owner=${subOf(alice)}&format=csv`).expect(403);
    expect(ownself.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it.each([
    ['month', '?month=2026-13'],
    ['month', '?month=202611'],
    ['month', '?month=2026-11&month=2026-10'],
    ['format', '?format=xml'],
    ['format', '?format=CSV'],
    ['format', '?format=csv&format=json'],
    ['owner', '?owner=a%20b'],
  ])('answers 400 naming %s for %s', async (field, query) => {
    const answer = await get(alice, query).expect(400);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.body as string)).toMatchObject({
      type: '/problems/validation-error',
      errors: [{ field }],
    });
  });

  describe('when DynamoDB fails', () => {
    const down = () => new DependencyUnavailableError('DynamoDB', 'DynamoDB is unavailable: connect ECONNREFUSED');
    afterEach(() => {
      jest.restoreAllMocks();
    });

    it.each(['json', 'csv'])('answers a 503 problem when it fails before the first byte (%s)', async (format) => {
      jest.spyOn(api.get(JobRepository), 'pagesByOwnerBetween').mockImplementationOnce(async function* () {
        yield* [];
        throw down();
      });
      const answer = await get(alice, `?format=${format}`).expect(503);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(answer.body as string)).toMatchObject({ type: '/problems/dependency-unavailable' });
      // nothing of the export's own head: the problem is not a download, and announces no trailer
      expect(answer.headers['content-disposition']).toBeUndefined();
      expect(answer.headers.trailer).toBeUndefined();
    });

    it.each(['json', 'csv'])(
      'cuts the answer off when it fails after the first byte: no clean end, no end line (%s)',
      async (format) => {
        const real = api.get(JobRepository);
        const firstPage = await real.pagesByOwnerBetween(subOf(alice), jobIdRangeOf(THIS_MONTH)).next();
        // the next page fails once the client has the first bytes: then the answer has started
        let firstBytesRead!: () => void;
        const started = new Promise<void>((resolve) => (firstBytesRead = resolve));
        jest.spyOn(real, 'pagesByOwnerBetween').mockImplementationOnce(async function* () {
          yield (firstPage.value as Job[]).slice(0, 2);
          await started;
          throw down();
        });
        const address = await listening();
        const response = await fetch(`${address}/v1/usage/export?format=${format}`, {
          headers: { authorization: `Bearer ${alice}` },
        });
        expect(response.status).toBe(200);
        const reader = response.body!.getReader();
        const received: string[] = [];
        const decoder = new TextDecoder();
        const readAll = async (): Promise<void> => {
          for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
            received.push(decoder.decode(chunk.value, { stream: true }));
            firstBytesRead();
          }
        };
        await expect(readAll()).rejects.toThrow(/terminated/);
        const text = received.join('');
        expect(text).toContain(aliceIds[0]);
        expect(text).not.toContain('"complete"');
      },
    );
  });

  it('needs a token', async () => {
    await http().get('/v1/usage/export').expect(401);
  });
});
