import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { monotonicFactory, ulid } from 'ulid';
import { type ApiKeyRecord, ApiKeyRepository, createDynamoDbDocumentClient } from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { startTestStack, type TestStack } from '../support/test-stack.js';

describe('ApiKeyRepository (accounts table on dynalite)', () => {
  let stack: TestStack;
  let keys: ApiKeyRepository;
  let client: ReturnType<typeof createDynamoDbDocumentClient>;
  let table: string;

  beforeAll(async () => {
    stack = await startTestStack();
    client = createDynamoDbDocumentClient(loadAwsConfig(stack.env));
    table = loadResourcesConfig(stack.env).accountsTable;
    keys = new ApiKeyRepository(client, table);
  });

  afterAll(async () => {
    client?.destroy();
    await stack?.stop();
  });

  const recordOf = (ownerId: string, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
    keyId: ulid(),
    ownerId,
    ownerUsername: 'alice',
    ownerGroups: [],
    name: 'ci',
    scopes: ['jobs:read', 'jobs:write'],
    hash: 'aGFzaA',
    createdAt: new Date().toISOString(),
    ...overrides,
  });

  it('stores a key as a listing item and a lookup item, found by its id with one GetItem', async () => {
    const owner = `owner-${ulid()}`;
    const record = recordOf(owner, {
      keyExpiresAt: '2027-01-01T00:00:00.000Z',
      monthlyBudgetUsd: 5,
      requestsPerMinute: 9,
    });
    await keys.create(record);
    await expect(keys.findById(record.keyId)).resolves.toEqual(record);
    await expect(keys.findById(ulid())).resolves.toBeUndefined();
    const items = (await client.send(new ScanCommand({ TableName: table }))).Items ?? [];
    const mine = items.filter((item) => item.keyId === record.keyId);
    expect(mine.map((item) => String(item.pk)).sort()).toEqual([`apikey#${owner}`, `apikeyid#${record.keyId}`]);
    // the hash only: nothing in the items looks like a key
    expect(JSON.stringify(mine)).not.toContain('igk_');
  });

  it('lists an owner’s keys newest first, page by page, and no one else’s', async () => {
    const owner = `owner-${ulid()}`;
    const created: ApiKeyRecord[] = [];
    // ids in creation order even within one millisecond
    const nextId = monotonicFactory();
    for (let i = 0; i < 5; i += 1) {
      const record = recordOf(owner, { keyId: nextId(), name: `key ${i}` });
      created.push(record);
      await keys.create(record);
    }
    await keys.create(recordOf(`someone-${ulid()}`));
    const first = await keys.listByOwner(owner, { limit: 2 });
    expect(first.hasMore).toBe(true);
    const second = await keys.listByOwner(owner, { limit: 2, after: first.keys.at(-1)!.keyId });
    const third = await keys.listByOwner(owner, { limit: 2, after: second.keys.at(-1)!.keyId });
    expect(third.hasMore).toBe(false);
    const listed = [...first.keys, ...second.keys, ...third.keys].map((key) => key.name);
    expect(listed).toEqual(['key 4', 'key 3', 'key 2', 'key 1', 'key 0']);
    await expect(keys.listByOwner(owner, { limit: 5 })).resolves.toMatchObject({ hasMore: false });
  });

  it('revokes only the owner’s key: both items go; another owner’s attempt changes nothing', async () => {
    const owner = `owner-${ulid()}`;
    const record = recordOf(owner);
    await keys.create(record);
    await expect(keys.revoke(`mallory-${ulid()}`, record.keyId)).resolves.toBe(false);
    await expect(keys.findById(record.keyId)).resolves.toEqual(record);
    await expect(keys.revoke(owner, record.keyId)).resolves.toBe(true);
    await expect(keys.findById(record.keyId)).resolves.toBeUndefined();
    await expect(keys.listByOwner(owner, { limit: 10 })).resolves.toEqual({ keys: [], hasMore: false });
    await expect(keys.revoke(owner, record.keyId)).resolves.toBe(false);
  });

  it('records the last use at most once per interval, however many instances race, and never for a revoked key', async () => {
    const owner = `owner-${ulid()}`;
    const record = recordOf(owner);
    await keys.create(record);
    const at = (ms: number) => new Date(Date.parse('2026-11-27T01:00:00.000Z') + ms).toISOString();
    const writes = await Promise.all(
      Array.from({ length: 5 }, () =>
        new ApiKeyRepository(client, table).touch(owner, record.keyId, at(0), at(-60_000)),
      ),
    );
    expect(writes.filter(Boolean)).toHaveLength(1);
    await expect(keys.touch(owner, record.keyId, at(30_000), at(-30_000))).resolves.toBe(false);
    await expect(keys.touch(owner, record.keyId, at(60_001), at(1))).resolves.toBe(true);
    expect((await keys.listByOwner(owner, { limit: 1 })).keys[0]!.lastUsedAt).toBe(at(60_001));
    await keys.revoke(owner, record.keyId);
    await expect(keys.touch(owner, record.keyId, at(200_000), at(140_000))).resolves.toBe(false);
    await expect(keys.listByOwner(owner, { limit: 1 })).resolves.toEqual({ keys: [], hasMore: false });
  });
});
