import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ulid } from 'ulid';
import { createDynamoDbDocumentClient, type UsageItemKey, UsageLedger } from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { JobStatus } from '#libs/contracts';
import { startTestStack, type TestStack } from '../support/test-stack.js';

describe('UsageLedger (dynalite)', () => {
  let stack: TestStack;
  let ledger: UsageLedger;

  beforeAll(async () => {
    stack = await startTestStack();
    ledger = new UsageLedger(
      createDynamoDbDocumentClient(loadAwsConfig(stack.env)),
      loadResourcesConfig(stack.env).accountsTable,
    );
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const userKey = (month = '2026-11'): UsageItemKey => ({ month, scope: { kind: 'user', ownerId: `u-${ulid()}` } });

  it('reserves on a new item, holds the same job once however often asked, and releases it once', async () => {
    const key = userKey();
    await expect(ledger.reserve(key, 'job-1', 300)).resolves.toBe(true);
    // the SDK's retry of a write whose answer was lost: held already, so "reserved", and nothing added
    await expect(ledger.reserve(key, 'job-1', 300, 300)).resolves.toBe(true);
    await expect(ledger.get(key)).resolves.toMatchObject({ committedMicros: 300, inFlight: 1 });
    await expect(ledger.release(key, 'job-1', 300)).resolves.toBe(true);
    await expect(ledger.release(key, 'job-1', 300)).resolves.toBe(false);
    await expect(ledger.get(key)).resolves.toMatchObject({ committedMicros: 0, inFlight: 0 });
  });

  it('refuses a hold that would take the committed amount past the budget', async () => {
    const key = userKey();
    await expect(ledger.reserve(key, 'a', 400, 1000)).resolves.toBe(true);
    await expect(ledger.reserve(key, 'b', 600, 1000)).resolves.toBe(true);
    await expect(ledger.reserve(key, 'c', 1, 1000)).resolves.toBe(false);
    // an estimate above the whole budget never fits, even on an empty item
    await expect(ledger.reserve(userKey(), 'd', 1001, 1000)).resolves.toBe(false);
    await expect(ledger.get(key)).resolves.toMatchObject({ committedMicros: 1000, inFlight: 2 });
  });

  it('settles a job exactly once: the real cost replaces the hold, a duplicate changes nothing', async () => {
    const key = userKey();
    await ledger.reserve(key, 'job', 5000, 10_000);
    const settlement = { status: JobStatus.Succeeded, actual: { gpuMs: 1234, costMicros: 483 } };
    await expect(ledger.settle(key, 'job', settlement)).resolves.toBe('settled');
    await expect(ledger.settle(key, 'job', settlement)).resolves.toBe('not-held');
    await expect(ledger.get(key)).resolves.toEqual({
      month: '2026-11',
      scope: key.scope,
      jobs: { SUCCEEDED: 1, FAILED: 0, CANCELED: 0, TIMED_OUT: 0 },
      inFlight: 0,
      gpuMs: 1234,
      costMicros: 483,
      committedMicros: 483,
    });
  });

  it('settles concurrent duplicates once', async () => {
    const key = userKey();
    await ledger.reserve(key, 'job', 700);
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () =>
        ledger.settle(key, 'job', { status: JobStatus.Failed, actual: { gpuMs: 10, costMicros: 4 } }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === 'settled')).toHaveLength(1);
    await expect(ledger.get(key)).resolves.toMatchObject({
      jobs: { FAILED: 1 },
      gpuMs: 10,
      costMicros: 4,
      committedMicros: 4,
    });
  });

  it('keeps the reservation as the cost when the real cost is unknown', async () => {
    const key = userKey();
    await ledger.reserve(key, 'job', 900);
    await ledger.settle(key, 'job', { status: JobStatus.TimedOut });
    await expect(ledger.get(key)).resolves.toMatchObject({
      jobs: { TIMED_OUT: 1 },
      costMicros: 900,
      committedMicros: 900,
    });
  });

  it('lets 50 parallel reservations commit at most the budget', async () => {
    const key = userKey();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) => ledger.reserve(key, `job-${index}`, 100, 1_050)),
    );
    expect(results.filter(Boolean)).toHaveLength(10);
    await expect(ledger.get(key)).resolves.toMatchObject({ committedMicros: 1000, inFlight: 10 });
  });

  it('keeps the platform in shards: a job settles in the shard that holds it, once; the totals add every shard', async () => {
    const month = '2031-01';
    const shard = (number: number): UsageItemKey => ({ month, scope: { kind: 'platform', shard: number } });
    await ledger.reserve(shard(0), 'a', 100, 150);
    await expect(ledger.reserve(shard(0), 'b', 100, 150)).resolves.toBe(false);
    await expect(ledger.reserve(shard(15), 'b', 100, 150)).resolves.toBe(true);
    await ledger.reserve(shard(7), 'c', 40);
    const platform = { month, scope: { kind: 'platform' as const } };
    await expect(ledger.get(platform)).resolves.toMatchObject({ committedMicros: 240, inFlight: 3 });
    expect((await ledger.getPlatformShards(month)).map((record) => record.scope)).toEqual(
      [0, 7, 15].map((number) => ({ kind: 'platform', shard: number })),
    );

    const succeeded = { status: JobStatus.Succeeded, actual: { gpuMs: 9, costMicros: 7 } };
    await expect(ledger.settle(platform, 'b', succeeded)).resolves.toBe('settled');
    await expect(ledger.settle(platform, 'b', succeeded)).resolves.toBe('not-held');
    await expect(ledger.settle(platform, 'nobody', succeeded)).resolves.toBe('not-held');
    await expect(ledger.get(shard(15))).resolves.toMatchObject({ committedMicros: 7, inFlight: 0, gpuMs: 9 });
    // a job that recorded its shard settles there, with one read of that item; any other shard holds nothing of it
    await expect(ledger.settle(shard(7), 'a', succeeded)).resolves.toBe('not-held');
    await expect(ledger.settle(shard(7), 'c', succeeded)).resolves.toBe('settled');
    await expect(ledger.get(platform)).resolves.toMatchObject({
      jobs: { SUCCEEDED: 2 },
      committedMicros: 114,
      costMicros: 14,
      inFlight: 1,
    });
    await expect(ledger.get(shard(16))).rejects.toThrow(RangeError);
  });

  it('pages the month’s users in owner order, apart from the platform item and other months', async () => {
    const month = '2031-02';
    const owners = ['ann', 'bob', 'cid', 'dee', 'eve'];
    for (const ownerId of owners) {
      await ledger.reserve({ month, scope: { kind: 'user', ownerId } }, 'j', 1);
    }
    await ledger.reserve({ month, scope: { kind: 'platform', shard: 3 } }, 'j', 1);
    await ledger.reserve({ month: '2031-03', scope: { kind: 'user', ownerId: 'zed' } }, 'j', 1);

    const first = await ledger.listUsers(month, { limit: 2 });
    expect(first.users.map((user) => user.scope)).toEqual([
      { kind: 'user', ownerId: 'ann' },
      { kind: 'user', ownerId: 'bob' },
    ]);
    const rest = await ledger.listUsers(month, { limit: 10, after: first.nextAfter! });
    expect(rest.users.map((user) => (user.scope.kind === 'user' ? user.scope.ownerId : 'platform'))).toEqual([
      'cid',
      'dee',
      'eve',
    ]);
    expect(rest.nextAfter).toBeUndefined();
  });

  it('lists one owner’s API key items of the month, in key id order, apart from users, other owners and months', async () => {
    const month = '2031-04';
    const key = (ownerId: string, keyId: string): UsageItemKey => ({ month, scope: { kind: 'key', ownerId, keyId } });
    await ledger.reserve(key('ann', 'K2'), 'j1', 5);
    await ledger.reserve(key('ann', 'K1'), 'j2', 7);
    await ledger.reserve(key('annie', 'K3'), 'j3', 1);
    await ledger.reserve(key('bob', 'K4'), 'j4', 1);
    await ledger.reserve({ month, scope: { kind: 'user', ownerId: 'ann' } }, 'j1', 12);
    await ledger.reserve({ month: '2031-05', scope: { kind: 'key', ownerId: 'ann', keyId: 'K5' } }, 'j5', 1);

    const keys = await ledger.listKeys(month, 'ann');
    expect(keys.map((record) => [record.scope, record.committedMicros, record.inFlight])).toEqual([
      [{ kind: 'key', ownerId: 'ann', keyId: 'K1' }, 7, 1],
      [{ kind: 'key', ownerId: 'ann', keyId: 'K2' }, 5, 1],
    ]);
    await expect(ledger.listKeys(month, 'cid')).resolves.toEqual([]);
    // the owner's users-listing is unchanged by key items
    expect((await ledger.listUsers(month, { limit: 10 })).users.map((user) => user.scope)).toEqual([
      { kind: 'user', ownerId: 'ann' },
    ]);
  });
});
