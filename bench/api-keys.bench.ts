/**
 * npm run bench:keys: what verifying an API key adds to a request, on this machine, against the emulators.
 *
 * 1. in process: ApiKeyVerifier.verify on a cache hit (parse, CRC-32, HMAC-SHA256, constant-time compare) and on a
 *    miss (the same plus one DynamoDB GetItem on dynalite), next to TokenVerifier.verify of a JWT (RS256, JWKS cached);
 * 2. over HTTP: GET /v1/models (guard, rate-limit counter, handler) with a JWT, with a key whose entry is cached,
 *    and with keys used for the first time (a cache miss each).
 *
 * Requests are sequential, so the figures are latencies, not throughput. Figures go to stdout.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { PinoLogger } from 'nestjs-pino';
import { ApiKeyRepository, createDynamoDbDocumentClient } from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { TokenVerifier } from '../apps/api/src/auth/token-verifier.js';
import { loadApiConfig } from '../apps/api/src/config/api.config.js';
import { generateApiKey } from '../apps/api/src/keys/api-key-format.js';
import { ApiKeyHasher } from '../apps/api/src/keys/api-key-hasher.js';
import { ApiKeyVerifier } from '../apps/api/src/keys/api-key-verifier.js';
import { startApi, tokenFor } from '../test/support/platform.js';
import { startTestStack } from '../test/support/test-stack.js';

const RUNS = Number(process.env.BENCH_KEY_RUNS ?? 300);

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  const f = (n: number) => (n < 1 ? n.toFixed(3) : n.toFixed(2));
  return `p50 ${f(at(50))} ms  p95 ${f(at(95))} ms  p99 ${f(at(99))} ms`;
}

async function timed(runs: number, task: (index: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let index = 0; index < runs; index += 1) {
    const started = performance.now();
    await task(index);
    times.push(performance.now() - started);
  }
  return times;
}

const stack = await startTestStack();
let api: NestFastifyApplication | undefined;
try {
  const config = loadApiConfig(stack.env);
  const repository = new ApiKeyRepository(
    createDynamoDbDocumentClient(loadAwsConfig(stack.env)),
    loadResourcesConfig(stack.env).accountsTable,
  );
  const logger = { setContext: () => undefined, warn: () => undefined } as unknown as PinoLogger;
  const verifier = new ApiKeyVerifier(repository, logger, config);
  const hasher = new ApiKeyHasher(config.apiKeys.secret);
  const token = await tokenFor(stack.env, 'bench-keys');
  const ownerId = 'bench-keys';

  async function storedKeys(count: number): Promise<string[]> {
    const keys: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const { keyId, key } = generateApiKey();
      await repository.create({
        keyId,
        ownerId,
        ownerUsername: ownerId,
        ownerGroups: [],
        name: `bench ${index}`,
        scopes: ['jobs:read'],
        hash: hasher.hash(key),
        createdAt: new Date().toISOString(),
      });
      keys.push(key);
    }
    return keys;
  }

  console.log(`imggen API key verification — Node ${process.version}, ${RUNS} sequential runs each`);

  const [hitKey] = await storedKeys(1);
  await verifier.verify(hitKey!);
  const hits = await timed(RUNS, () => verifier.verify(hitKey!));
  const missKeys = await storedKeys(RUNS);
  const misses = await timed(RUNS, (index) => verifier.verify(missKeys[index]!));
  const tokens = new TokenVerifier(config);
  await tokens.verify(token);
  const jwts = await timed(RUNS, () => tokens.verify(token));
  console.log('\n1. in process');
  console.log(`   JWT (TokenVerifier)          ${summary(jwts)}`);
  console.log(`   API key, cache hit           ${summary(hits)}`);
  console.log(`   API key, miss (GetItem)      ${summary(misses)}`);

  api = await startApi(stack.env, {}, { checkContract: false });
  await api.listen(0, '127.0.0.1');
  const url = `${await api.getUrl()}/v1/models`;
  const get = async (credential: string) => {
    const response = await fetch(url, { headers: { authorization: `Bearer ${credential}` } });
    if (response.status !== 200) {
      throw new Error(`GET /v1/models answered ${response.status}`);
    }
    await response.arrayBuffer();
  };
  const [httpKey] = await storedKeys(1);
  await timed(30, () => get(token)); // warm-up
  await get(httpKey!);
  const httpJwt = await timed(RUNS, () => get(token));
  const httpHit = await timed(RUNS, () => get(httpKey!));
  const firstUse = await storedKeys(RUNS);
  const httpMiss = await timed(RUNS, (index) => get(firstUse[index]!));
  console.log('\n2. over HTTP: GET /v1/models');
  console.log(`   JWT                          ${summary(httpJwt)}`);
  console.log(`   API key, cache hit           ${summary(httpHit)}`);
  console.log(`   API key, first use (miss)    ${summary(httpMiss)}`);
} finally {
  await api?.close();
  await stack.stop();
}
