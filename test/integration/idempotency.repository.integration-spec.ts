import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ulid } from 'ulid';
import {
  createDynamoDbDocumentClient,
  type IdempotencyClaim,
  IdempotencyRepository,
  IdempotencyState,
} from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { startTestStack, type TestStack } from '../support/test-stack.js';

const NOW = 1_790_000_000;
const answer = {
  status: 202,
  body: '{"jobId":"01JD0000000000000000000000"}',
  location: '/v1/jobs/01JD0000000000000000000000',
};

describe('IdempotencyRepository (dynalite)', () => {
  let stack: TestStack;
  let repository: IdempotencyRepository;

  beforeAll(async () => {
    stack = await startTestStack();
    const aws = loadAwsConfig(stack.env);
    repository = new IdempotencyRepository(
      createDynamoDbDocumentClient(aws),
      loadResourcesConfig(stack.env).accountsTable,
    );
  });

  afterAll(async () => {
    await stack?.stop();
  });

  function claimOf(overrides: Partial<IdempotencyClaim> = {}): IdempotencyClaim {
    return {
      ownerId: `owner-${ulid()}`,
      key: 'abc-123',
      fingerprint: 'f'.repeat(64),
      claimToken: ulid(),
      expiresAt: NOW + 300,
      now: NOW,
      createdAt: '2026-09-21T00:00:00.000Z',
      ...overrides,
    };
  }

  it('claims a key once, reads it back, completes it with its answer', async () => {
    const claim = claimOf();
    await expect(repository.claim(claim)).resolves.toBe(true);
    await expect(repository.claim({ ...claim, claimToken: 'second' })).resolves.toBe(false);
    const stored = {
      ownerId: claim.ownerId,
      key: claim.key,
      fingerprint: claim.fingerprint,
      state: IdempotencyState.InProgress,
      claimToken: claim.claimToken,
      expiresAt: claim.expiresAt,
      createdAt: claim.createdAt,
    };
    await expect(repository.get(claim.ownerId, claim.key)).resolves.toEqual(stored);

    await expect(repository.complete(claim.ownerId, claim.key, claim.claimToken, answer, NOW + 86_400)).resolves.toBe(
      true,
    );
    await expect(repository.get(claim.ownerId, claim.key)).resolves.toEqual({
      ...stored,
      state: IdempotencyState.Completed,
      expiresAt: NOW + 86_400,
      answer,
    });
    await expect(repository.get(claim.ownerId, 'another-key')).resolves.toBeUndefined();
  });

  it('keeps keys per owner', async () => {
    const alice = claimOf();
    const bob = claimOf({ key: alice.key });
    await expect(repository.claim(alice)).resolves.toBe(true);
    await expect(repository.claim(bob)).resolves.toBe(true);
  });

  it('of parallel claims on one key, exactly one wins', async () => {
    const base = claimOf();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => repository.claim({ ...base, claimToken: ulid() })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('replaces a record only once it has expired: expiring this second is still live', async () => {
    const first = claimOf({ expiresAt: NOW });
    await repository.claim(first);
    await expect(repository.claim({ ...first, claimToken: 'second', now: NOW })).resolves.toBe(false);
    await expect(repository.claim({ ...first, claimToken: 'third', now: NOW + 1 })).resolves.toBe(true);
    await expect(repository.get(first.ownerId, first.key)).resolves.toMatchObject({ claimToken: 'third' });
  });

  it('replaces an expired completed record with a new claim', async () => {
    const first = claimOf();
    await repository.claim(first);
    await repository.complete(first.ownerId, first.key, first.claimToken, answer, NOW - 1);
    const second = { ...first, claimToken: 'second', fingerprint: 'other' };
    await expect(repository.claim(second)).resolves.toBe(true);
    const record = await repository.get(first.ownerId, first.key);
    expect(record).toMatchObject({ state: IdempotencyState.InProgress, fingerprint: 'other' });
    expect(record).not.toHaveProperty('answer');
  });

  it('completes and releases only with the claim token, and only while in progress', async () => {
    const claim = claimOf();
    await repository.claim(claim);
    await expect(repository.complete(claim.ownerId, claim.key, 'not-mine', answer, NOW + 1)).resolves.toBe(false);
    await expect(repository.release(claim.ownerId, claim.key, 'not-mine')).resolves.toBe(false);
    await expect(repository.get(claim.ownerId, claim.key)).resolves.toMatchObject({
      state: IdempotencyState.InProgress,
    });

    await repository.complete(claim.ownerId, claim.key, claim.claimToken, answer, NOW + 1);
    // a completed answer stays: neither a second completion nor a release touches it
    await expect(repository.complete(claim.ownerId, claim.key, claim.claimToken, answer, NOW + 2)).resolves.toBe(false);
    await expect(repository.release(claim.ownerId, claim.key, claim.claimToken)).resolves.toBe(false);
    await expect(repository.get(claim.ownerId, claim.key)).resolves.toMatchObject({ expiresAt: NOW + 1, answer });
  });

  it('releases its own claim, after which the key can be claimed again', async () => {
    const claim = claimOf();
    await repository.claim(claim);
    await expect(repository.release(claim.ownerId, claim.key, claim.claimToken)).resolves.toBe(true);
    await expect(repository.get(claim.ownerId, claim.key)).resolves.toBeUndefined();
    await expect(repository.claim({ ...claim, claimToken: 'again' })).resolves.toBe(true);
  });

  it('reports a missing table as an error, not as a lost claim', async () => {
    const broken = new IdempotencyRepository(createDynamoDbDocumentClient(loadAwsConfig(stack.env)), 'no-such-table');
    await expect(broken.claim(claimOf())).rejects.toThrow();
    await expect(broken.complete('o', 'k', 't', answer, NOW)).rejects.toThrow();
    await expect(broken.release('o', 'k', 't')).rejects.toThrow();
    await expect(broken.get('o', 'k')).rejects.toThrow();
  });
});
