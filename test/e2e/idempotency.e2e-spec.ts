import type { AddressInfo } from 'node:net';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ulid } from 'ulid';
import {
  createDynamoDbDocumentClient,
  createS3Client,
  IdempotencyRepository,
  InferenceClient,
  type StoredAnswer,
} from '#libs/aws';
import { type Env, loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { requestFingerprint } from '../../apps/api/src/idempotency/fingerprint.js';
import { subjectFor } from '../../apps/dev-idp/src/idp.js';
import { unreachableUrl } from '../support/closed-port.js';
import { startApi, tokenFor } from '../support/platform.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

interface Answer {
  status: number;
  headers: Headers;
  /** The body as sent, byte for byte. */
  text: string;
  json: Record<string, unknown>;
}

interface Problem {
  type: string;
  status: number;
  errors?: Array<{ field: string; message: string }>;
  jobId?: string;
}

const BODY = { prompt: 'a lighthouse at dawn', width: 512, height: 512, seed: 42 };
const NOW = (): number => Math.floor(Date.now() / 1000);

describe('Idempotency-Key on POST /v1/jobs (api + dynalite + stub, over HTTP)', () => {
  let stack: TestStack;
  let api: NestFastifyApplication;
  let baseUrl: string;
  let keys: IdempotencyRepository;

  beforeAll(async () => {
    stack = await startTestStack();
    ({ app: api, baseUrl } = await listening(stack.env));
    keys = new IdempotencyRepository(
      createDynamoDbDocumentClient(loadAwsConfig(stack.env)),
      loadResourcesConfig(stack.env).accountsTable,
    );
  });

  afterAll(async () => {
    await api?.close();
    await stack?.stop();
  });

  /** A real listening api, so that parallel requests are parallel connections. */
  async function listening(env: Env, overrides: Env = {}): Promise<{ app: NestFastifyApplication; baseUrl: string }> {
    const app = await startApi(env, overrides);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    return { app, baseUrl: `http://127.0.0.1:${port}` };
  }

  async function post(token: string, body: object | string, key?: string, url: string = baseUrl): Promise<Answer> {
    const response = await fetch(`${url}/v1/jobs`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(key === undefined ? {} : { 'idempotency-key': key }),
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      json: JSON.parse(text) as Record<string, unknown>,
    };
  }

  async function jobIdsOf(token: string): Promise<string[]> {
    const response = await fetch(`${baseUrl}/v1/jobs?limit=100`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: Array<{ jobId: string }> }).items.map((job) => job.jobId);
  }

  async function requestObjects(): Promise<number> {
    const s3 = createS3Client(loadAwsConfig(stack.env));
    let count = 0;
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: loadResourcesConfig(stack.env).requestsBucket,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      count += page.KeyCount ?? 0;
      token = page.NextContinuationToken;
    } while (token);
    return count;
  }

  async function itemCount(table: string): Promise<number> {
    const client = createDynamoDbDocumentClient(loadAwsConfig(stack.env));
    const result = await client.send(new ScanCommand({ TableName: table, Select: 'COUNT', ConsistentRead: true }));
    return result.Count ?? 0;
  }

  /** Idempotency records only: the accounts table also holds usage, which every accepted job writes. */
  async function idempotencyRecords(): Promise<number> {
    const client = createDynamoDbDocumentClient(loadAwsConfig(stack.env));
    const result = await client.send(
      new ScanCommand({
        TableName: loadResourcesConfig(stack.env).accountsTable,
        Select: 'COUNT',
        ConsistentRead: true,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': { S: 'idempotency#' } },
      }),
    );
    return result.Count ?? 0;
  }

  /** Everything a submission writes: job rows, request objects, idempotency records. */
  async function written(): Promise<number[]> {
    const resources = loadResourcesConfig(stack.env);
    return [await itemCount(resources.jobsTable), await idempotencyRecords(), await requestObjects()];
  }

  /** A record as another request (or yesterday) left it, written straight to the table. */
  async function writeRecord(
    ownerId: string,
    key: string,
    record: { expiresAt: number; answer?: StoredAnswer; body?: object },
  ): Promise<void> {
    const claimToken = ulid();
    const claimed = await keys.claim({
      ownerId,
      key,
      fingerprint: requestFingerprint(record.body ?? BODY),
      claimToken,
      expiresAt: record.expiresAt,
      now: NOW(),
      createdAt: new Date().toISOString(),
    });
    expect(claimed).toBe(true);
    if (record.answer) {
      expect(await keys.complete(ownerId, key, claimToken, record.answer, record.expiresAt)).toBe(true);
    }
  }

  /** A user of its own per test; `id` is the token's `sub`, as the api sees it. */
  async function user(): Promise<{ id: string; token: string }> {
    const username = `idem-${ulid()}`;
    return { id: subjectFor(username), token: await tokenFor(stack.env, username) };
  }

  it('makes one job and one invocation of 16 parallel requests with one key; the others replay it', async () => {
    const { token } = await user();
    const key = `"burst-${ulid()}"`;
    const invocations = jest.spyOn(api.get(InferenceClient), 'invokeAsync');
    const objectsBefore = await requestObjects();
    try {
      const answers = await Promise.all(Array.from({ length: 16 }, () => post(token, BODY, key)));

      const accepted = answers.filter((answer) => answer.status === 202);
      const conflicts = answers.filter((answer) => answer.status === 409);
      expect(accepted.length + conflicts.length).toBe(16);
      expect(accepted.length).toBeGreaterThanOrEqual(1);
      const jobIds = new Set(accepted.map((answer) => answer.json.jobId));
      expect(jobIds.size).toBe(1);
      const [jobId] = [...jobIds] as string[];
      // exactly one answer is the original; every other 202 is a replay of it, byte for byte
      expect(accepted.filter((answer) => answer.headers.get('idempotent-replayed') === null)).toHaveLength(1);
      for (const answer of accepted) {
        expect(answer.text).toBe(accepted[0]!.text);
        expect(answer.headers.get('location')).toBe(`/v1/jobs/${jobId}`);
        expect(['true', null]).toContain(answer.headers.get('idempotent-replayed'));
      }
      for (const conflict of conflicts) {
        expect(conflict.json).toMatchObject({ status: 409, type: '/problems/idempotency-key-in-use' });
        expect(conflict.headers.get('retry-after')).toBe('1');
      }

      expect(await jobIdsOf(token)).toEqual([jobId]);
      expect(await requestObjects()).toBe(objectsBefore + 1);
      expect(invocations).toHaveBeenCalledTimes(1);
    } finally {
      invocations.mockRestore();
    }
  });

  it('replays the original answer exactly (status, body, Location), whatever the key order and whitespace', async () => {
    const { token } = await user();
    const key = `replay-${ulid()}`;
    const first = await post(token, BODY, key);
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    const again = await post(
      token,
      '{ "seed": 42, "height": 512,\n  "width": 512, "prompt": "a lighthouse at dawn" }',
      key,
    );

    expect(again.status).toBe(202);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('location')).toBe(`/v1/jobs/${String(first.json.jobId)}`);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    // the quoted (Structured Fields) form of the same key is the same key
    const quoted = await post(token, BODY, `"${key}"`);
    expect([quoted.status, quoted.text, quoted.headers.get('idempotent-replayed')]).toEqual([202, first.text, 'true']);
    expect(await jobIdsOf(token)).toEqual([first.json.jobId]);
  });

  it('answers 422 to the same key with a different body, and creates nothing', async () => {
    const { token } = await user();
    const key = `reuse-${ulid()}`;
    const first = await post(token, BODY, key);
    expect(first.status).toBe(202);
    const before = await written();

    const reused = await post(token, { ...BODY, seed: 43 }, key);

    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(reused.json).toMatchObject({ status: 422, type: '/problems/idempotency-key-reused', instance: '/v1/jobs' });
    expect(await written()).toEqual(before);
    expect(await jobIdsOf(token)).toEqual([first.json.jobId]);
  });

  it('keeps keys per user: the same key from two users makes two jobs', async () => {
    const alice = await user();
    const bob = await user();
    const key = `shared-${ulid()}`;

    const [fromAlice, fromBob] = await Promise.all([post(alice.token, BODY, key), post(bob.token, BODY, key)]);

    expect([fromAlice.status, fromBob.status]).toEqual([202, 202]);
    expect(fromAlice.json.jobId).not.toBe(fromBob.json.jobId);
    expect([fromAlice.headers.get('idempotent-replayed'), fromBob.headers.get('idempotent-replayed')]).toEqual([
      null,
      null,
    ]);
    expect(await jobIdsOf(alice.token)).toEqual([fromAlice.json.jobId]);
    expect(await jobIdsOf(bob.token)).toEqual([fromBob.json.jobId]);
  });

  it('no longer replays a record past its expiresAt (that DynamoDB has not deleted yet)', async () => {
    const { id, token } = await user();
    const stored = (jobId: string): StoredAnswer => ({
      status: 202,
      body: JSON.stringify({
        jobId,
        status: 'QUEUED',
        createdAt: new Date().toISOString(),
        submission: 'confirmed',
        links: { self: `/v1/jobs/${jobId}` },
      }),
      location: `/v1/jobs/${jobId}`,
    });
    // still live: the record written this way is what gets replayed
    const live = ulid();
    await writeRecord(id, 'live', { expiresAt: NOW() + 60, answer: stored(live) });
    const replayed = await post(token, BODY, 'live');
    expect([replayed.status, replayed.json.jobId, replayed.headers.get('idempotent-replayed')]).toEqual([
      202,
      live,
      'true',
    ]);

    const expired = ulid();
    await writeRecord(id, 'expired', {
      expiresAt: NOW() - 1,
      answer: stored(expired),
      body: { prompt: 'another body' },
    });

    const fresh = await post(token, BODY, 'expired');

    expect(fresh.status).toBe(202);
    expect(fresh.json.jobId).not.toBe(expired);
    expect(fresh.headers.get('idempotent-replayed')).toBeNull();
    expect(await jobIdsOf(token)).toEqual([fresh.json.jobId]);
    // and the new answer is the one kept now
    const again = await post(token, BODY, 'expired');
    expect([again.json.jobId, again.headers.get('idempotent-replayed')]).toEqual([fresh.json.jobId, 'true']);
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['256 characters quoted', `"${'k'.repeat(256)}"`],
    ['a space inside', 'abc 123'],
    ['an unterminated quoted string', '"abc'],
    ['a quoted string with parameters', '"abc";v=1'],
    ['a list', '"abc", "def"'],
    ['non-ASCII', 'clé'],
  ])('answers 400 naming the header for a key that is %s, and writes nothing', async (_label, value) => {
    const { token } = await user();
    const before = await written();

    const refused = await post(token, BODY, value);

    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = refused.json as unknown as Problem;
    expect(problem.type).toBe('/problems/validation-error');
    expect(problem.errors?.[0]?.field).toBe('Idempotency-Key');
    expect(await written()).toEqual(before);
  });

  it('accepts a 255-character key', async () => {
    const { token } = await user();
    const longest = `${ulid()}${'k'.repeat(255 - 26)}`;
    const first = await post(token, BODY, longest);
    const again = await post(token, BODY, `"${longest}"`);
    expect([first.status, again.status, again.headers.get('idempotent-replayed')]).toEqual([202, 202, 'true']);
  });

  it('behaves as before without the header: two requests, two jobs', async () => {
    const { token } = await user();
    const before = await idempotencyRecords();
    const [first, second] = [await post(token, BODY), await post(token, BODY)];
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(first.json.jobId).not.toBe(second.json.jobId);
    expect(await idempotencyRecords()).toBe(before);
  });

  describe('while the first request with the key is still running', () => {
    let impatient: { app: NestFastifyApplication; baseUrl: string };

    beforeAll(async () => {
      impatient = await listening(stack.env, { IDEMPOTENCY_WAIT_MS: '300' });
    });

    afterAll(async () => {
      await impatient?.app.close();
    });

    it('waits for it, then answers 409 with Retry-After and creates nothing', async () => {
      const { id, token } = await user();
      await writeRecord(id, 'running', { expiresAt: NOW() + 300 });
      const before = await written();
      const started = Date.now();

      const conflict = await post(token, BODY, 'running', impatient.baseUrl);

      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(conflict.status).toBe(409);
      expect(conflict.headers.get('retry-after')).toBe('1');
      expect(conflict.json).toMatchObject({ status: 409, type: '/problems/idempotency-key-in-use' });
      expect(await written()).toEqual(before);
    });
  });

  describe('when the first request ends in an error answer', () => {
    let degraded: { app: NestFastifyApplication; baseUrl: string };

    beforeAll(async () => {
      degraded = await listening(stack.env, { AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: await unreachableUrl() });
    });

    afterAll(async () => {
      await degraded?.app.close();
    });

    it('keeps no answer: a retry with the same key runs again', async () => {
      const { token } = await user();
      const key = `retry-${ulid()}`;

      const refused = await post(token, BODY, key, degraded.baseUrl);
      expect(refused.status).toBe(503);
      const failedJobId = (refused.json as unknown as Problem).jobId;

      const retried = await post(token, BODY, key);
      expect(retried.status).toBe(202);
      expect(retried.headers.get('idempotent-replayed')).toBeNull();
      expect(retried.json.jobId).not.toBe(failedJobId);
      const replay = await post(token, BODY, key);
      expect([replay.json.jobId, replay.headers.get('idempotent-replayed')]).toEqual([retried.json.jobId, 'true']);
    });
  });
});
