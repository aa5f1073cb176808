import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { ulid } from 'ulid';
import { LOCAL_CLIENT_ID } from '#libs/config';
import { type RunningDevIdp, startDevIdp } from '../../apps/dev-idp/src/idp.js';
import { mintBadToken, type TokenKit, tokenKit } from '../support/hostile/bad-tokens.js';
import { preview } from '../support/hostile/json-text.js';
import {
  badBatchBodies,
  badBatchReads,
  badDeliveryRequests,
  badJobBodies,
  badJobBytes,
  badExportQueries,
  badJobIds,
  badKeyBodies,
  badKeyRequests,
  badListQueries,
  badTokens,
  type HostileRequest,
  oversizedHeads,
  validJobWithARefusingHeader,
} from '../support/hostile/requests.js';
import { RawHttpClient, type RawResponse } from '../support/hostile/send.js';
import { countStored, type StoredCounts } from '../support/hostile/stored-counts.js';
import { startApi } from '../support/platform.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

/** Fixed, so a failure is reproducible; fast-check prints the seed and path of any counterexample. */
const SEED = 20_261_127;
const BODY_LIMIT_BYTES = 8192;

/** Runs per kind of bad request: 2,370 requests in all. */
const RUNS = {
  jobBodies: 350,
  jobBytes: 200,
  refusingHeaders: 200,
  listQueries: 200,
  exportQueries: 150,
  jobIds: 200,
  tokens: 300,
  keyBodies: 150,
  keyRequests: 100,
  oversizedHeads: 20,
  batchBodies: 250,
  batchReads: 100,
  deliveryRequests: 150,
};

/** Per property: generous for a loaded 2-core machine (the whole file takes well under a minute on it). */
const PROPERTY_TIMEOUT_MS = 60_000;
/** Emulators, provisioning, two identity providers, the api and two API keys: seconds, more on a busy machine. */
const STARTUP_TIMEOUT_MS = 30_000;

const RFC_9457_MEMBERS = ['type', 'title', 'status', 'detail', 'instance'] as const;

/**
 * Property-based: generated bad requests (fast-check) against the running api over HTTP, on the real stack, signed
 * tokens from an identity provider the api trusts. For every one: a 4xx (never a 5xx), an application/problem+json
 * body with the RFC 9457 members, and nothing stored (tables' items and buckets' objects counted before and after).
 */
describe('hostile input, generated', () => {
  let stack: TestStack;
  let idp: RunningDevIdp;
  let idpDataDir: string;
  let api: NestFastifyApplication;
  let client: RawHttpClient;
  let kit: TokenKit;
  let userToken: string;
  let adminToken: string;
  let storedBefore: StoredCounts;
  const tally = { tried: 0, serverErrors: 0, statuses: new Map<number, number>() };

  beforeAll(async () => {
    stack = await startTestStack();
    idpDataDir = await mkdtemp(path.join(os.tmpdir(), 'imggen-hostile-idp-'));
    // an identity provider whose private key the test holds, to sign tokens bad in every way but the signature
    const issuer = 'http://hostile-idp.imggen.test';
    idp = await startDevIdp({ port: 0, issuer, clientId: LOCAL_CLIENT_ID, dataDir: idpDataDir });
    api = await startApi(stack.env, {
      AUTH_ISSUER: issuer,
      AUTH_JWKS_URI: `${idp.url}/.well-known/jwks.json`,
      API_BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES),
    });
    await api.listen(0, '127.0.0.1');
    const { port } = api.getHttpServer().address() as AddressInfo;
    client = new RawHttpClient(new URL(`http://127.0.0.1:${port}`));
    userToken = await idp.mintToken(`hostile-${ulid()}`);
    adminToken = await idp.mintToken(`hostile-admin-${ulid()}`, { admin: true });
    kit = await tokenKit({
      issuer,
      clientId: LOCAL_CLIENT_ID,
      dataDir: idpDataDir,
      validToken: userToken,
      apiKeys: await apiKeysOf(port, userToken),
    });
    storedBefore = await countStored(stack.env);
  }, STARTUP_TIMEOUT_MS);

  afterAll(async () => {
    const storedAfter = stack ? await countStored(stack.env) : {};
    const written = Object.entries(storedAfter).reduce(
      (sum, [store, count]) => sum + count - (storedBefore?.[store] ?? 0),
      0,
    );
    const statuses = [...tally.statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
    process.stdout.write(
      `\nHostile input: ${tally.tried} generated requests tried, ${tally.serverErrors} answered 5xx, ` +
        `${written} items/objects written (statuses: ${statuses.join(' ')})\n`,
    );
    client?.close();
    await api?.close();
    await idp?.close();
    await stack?.stop();
    await rm(idpDataDir, { recursive: true, force: true });
  });

  async function authorizationFor(request: HostileRequest): Promise<string> {
    const { credentials } = request;
    switch (credentials.kind) {
      case 'user':
        return `Bearer ${userToken}`;
      case 'admin':
        return `Bearer ${adminToken}`;
      case 'bad token':
        return credentials.authorization(await mintBadToken(kit, credentials.recipe));
    }
  }

  /** Sends one generated request and throws, describing it, unless the api refused it properly. */
  async function expectRefused(request: HostileRequest): Promise<void> {
    const headers = { ...request.headers, authorization: await authorizationFor(request) };
    const response = await client.send({ ...request, headers });
    tally.tried += 1;
    tally.statuses.set(response.status, (tally.statuses.get(response.status) ?? 0) + 1);
    if (response.status >= 500) {
      tally.serverErrors += 1;
    }
    const failure = whyNotAProperRefusal(response);
    if (failure) {
      const sent = request.body ? ` with body ${preview(request.body.toString('utf8'))}` : '';
      throw new Error(
        `${failure}\n  sent: ${request.method} ${preview(request.path)}${sent}\n  headers: ${preview(JSON.stringify(headers), 400)}` +
          `\n  answer: ${response.status} ${preview(response.body, 400)}`,
      );
    }
  }

  const property = (requests: fc.Arbitrary<HostileRequest>, numRuns: number) =>
    fc.assert(fc.asyncProperty(requests, expectRefused), { seed: SEED, numRuns });

  it(
    'refuses POST /v1/jobs bodies with wrong types, bad values, unknown and prototype keys',
    async () => {
      await property(badJobBodies, RUNS.jobBodies);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'refuses POST /v1/batches bodies with a bad job or prompt, a bad shared field, or a bad list (or both, or neither)',
    async () => {
      await property(badBatchBodies, RUNS.batchBodies);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'answers GET /v1/batches/{batchId} for ids of no batch, and GET /v1/batches with bad parameters, with a problem',
    async () => {
      await property(badBatchReads, RUNS.batchReads);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'refuses POST /v1/jobs bytes that are not a JSON job: broken, cut short, invalid UTF-8, oversized',
    async () => {
      await property(badJobBytes(BODY_LIMIT_BYTES), RUNS.jobBytes);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'refuses a valid job sent with a refusing header (a content type that is not JSON, or none; a bad Idempotency-Key)',
    async () => {
      await property(validJobWithARefusingHeader, RUNS.refusingHeaders);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'refuses GET /v1/jobs with bad limit, cursor, status or owner parameters',
    async () => {
      await property(badListQueries, RUNS.listQueries);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'refuses GET /v1/usage/export with a bad month or format, or an ordinary user’s owner parameter',
    async () => {
      await property(badExportQueries, RUNS.exportQueries);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'answers GET, GET .../events (with and without a Last-Event-ID), POST .../cancel and DELETE /v1/jobs/{jobId} for ids of no job with a problem',
    async () => {
      await property(badJobIds, RUNS.jobIds);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'refuses every route for tokens that are expired, not yet valid, forged, tampered with or garbage',
    async () => {
      await property(badTokens, RUNS.tokens);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'refuses POST /v1/keys bodies with a bad name, scopes, expiry, budget or rate, or a field it does not take',
    async () => {
      await property(badKeyBodies, RUNS.keyBodies);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'answers DELETE /v1/keys/{id} for ids of no key of the caller’s, and GET /v1/keys with bad parameters',
    async () => {
      await property(badKeyRequests, RUNS.keyRequests);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'answers GET /v1/jobs/{jobId}/deliveries and POST .../deliveries/{deliveryId}/redeliver for ids of no job or event',
    async () => {
      await property(badDeliveryRequests, RUNS.deliveryRequests);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'answers requests whose head is over Node’s 16 KB limit with a problem (431)',
    async () => {
      await property(oversizedHeads, RUNS.oversizedHeads);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it('stored nothing and answered no 5xx over all of them', async () => {
    expect(tally.tried).toBeGreaterThanOrEqual(1000);
    expect(tally.serverErrors).toBe(0);
    expect(await countStored(stack.env)).toEqual(storedBefore);
  });
});

/** Two keys of the caller's, made before anything is counted: one left valid (never used), one revoked. */
async function apiKeysOf(port: number, token: string): Promise<{ valid: string; revoked: string }> {
  const base = `http://127.0.0.1:${port}/v1/keys`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const create = async (name: string) => {
    const response = await fetch(base, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name, scopes: ['jobs:read', 'jobs:write'] }),
    });
    if (response.status !== 201) {
      throw new Error(`POST /v1/keys answered ${response.status}`);
    }
    return (await response.json()) as { id: string; key: string };
  };
  const valid = await create('valid');
  const revoked = await create('revoked');
  const revocation = await fetch(`${base}/${revoked.id}`, {
    method: 'DELETE',
    headers: { authorization: headers.authorization },
  });
  if (revocation.status !== 204) {
    throw new Error(`DELETE /v1/keys answered ${revocation.status}`);
  }
  return { valid: valid.key, revoked: revoked.key };
}

function whyNotAProperRefusal(response: RawResponse): string | undefined {
  if (response.status < 400 || response.status >= 500) {
    return `expected a 4xx, got ${response.status}`;
  }
  const contentType = String(response.headers['content-type'] ?? '');
  if (!contentType.startsWith('application/problem+json')) {
    return `expected application/problem+json, got ${contentType || 'no content type'}`;
  }
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(response.body) as Record<string, unknown>;
  } catch {
    return 'the body is not JSON';
  }
  // Node's parser refuses an oversized head before there is a URL to name as the instance
  const required =
    response.status === 431 ? RFC_9457_MEMBERS.filter((member) => member !== 'instance') : RFC_9457_MEMBERS;
  const missing = required.filter((member) => problem[member] === undefined);
  if (missing.length > 0) {
    return `the problem lacks ${missing.join(', ')}`;
  }
  if (problem.status !== response.status) {
    return `the problem's status ${String(problem.status)} is not the answer's ${response.status}`;
  }
  return undefined;
}
