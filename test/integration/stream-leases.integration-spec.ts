import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ulid } from 'ulid';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbDocumentClient, StreamLeases } from '#libs/aws';
import { loadAwsConfig, loadResourcesConfig } from '#libs/config';
import { startTestStack, type TestStack } from '../support/test-stack.js';

const LEASE_MS = 45_000;

describe('StreamLeases (dynalite)', () => {
  let stack: TestStack;
  let now: number;
  /** Two api instances: separate repositories over the same table, with one clock the test moves. */
  let instanceA: StreamLeases;
  let instanceB: StreamLeases;
  /** The user's leases as stored: stream id → when it runs out. */
  let storedLeases: (user: string) => Promise<Record<string, number> | undefined>;

  beforeAll(async () => {
    stack = await startTestStack();
    const documents = createDynamoDbDocumentClient(loadAwsConfig(stack.env));
    const table = loadResourcesConfig(stack.env).accountsTable;
    instanceA = new StreamLeases(documents, table, () => now);
    instanceB = new StreamLeases(documents, table, () => now);
    storedLeases = async (user) => {
      const { Item } = await documents.send(
        new GetCommand({ TableName: table, Key: { pk: 'streams', sk: `user#${user}` }, ConsistentRead: true }),
      );
      return Item?.leases as Record<string, number> | undefined;
    };
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('counts a user’s streams on every instance: the third of two is refused until one is given back', async () => {
    now = Date.now();
    const user = `user-${ulid()}`;
    await expect(instanceA.acquire(user, 'a1', 2, LEASE_MS)).resolves.toBe(true);
    await expect(instanceB.acquire(user, 'b1', 2, LEASE_MS)).resolves.toBe(true);
    await expect(instanceA.acquire(user, 'a2', 2, LEASE_MS)).resolves.toBe(false);
    await expect(instanceB.acquire(user, 'b2', 2, LEASE_MS)).resolves.toBe(false);
    // another user has slots of their own
    await expect(instanceA.acquire(`user-${ulid()}`, 'c1', 2, LEASE_MS)).resolves.toBe(true);

    await instanceB.release(user, 'b1');
    await expect(instanceA.acquire(user, 'a2', 2, LEASE_MS)).resolves.toBe(true);
    await expect(storedLeases(user)).resolves.toEqual({ a1: now + LEASE_MS, a2: now + LEASE_MS });
  });

  it('takes only the free slots when many streams open at once', async () => {
    now = Date.now();
    const user = `user-${ulid()}`;
    const taken = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        (index % 2 ? instanceA : instanceB).acquire(user, `s${index}`, 3, LEASE_MS),
      ),
    );
    expect(taken.filter(Boolean)).toHaveLength(3);
    expect(Object.keys((await storedLeases(user)) ?? {})).toHaveLength(3);
  });

  it('frees the slot of a stream whose instance died once its lease runs out, and not before', async () => {
    now = Date.now();
    const user = `user-${ulid()}`;
    await expect(instanceA.acquire(user, 'crashed', 1, LEASE_MS)).resolves.toBe(true);
    now += LEASE_MS - 1;
    await expect(instanceB.acquire(user, 'next', 1, LEASE_MS)).resolves.toBe(false);
    now += 1;
    await expect(instanceB.acquire(user, 'next', 1, LEASE_MS)).resolves.toBe(true);
    // the lease that ran out is gone from the item
    await expect(storedLeases(user)).resolves.toEqual({ next: now + LEASE_MS });
  });

  it('keeps a renewed lease: renewing moves its end, so it outlives the first one', async () => {
    now = Date.now();
    const user = `user-${ulid()}`;
    await instanceA.acquire(user, 'open', 1, LEASE_MS);
    now += LEASE_MS - 1000;
    const renewedAt = now;
    await instanceA.renew(user, 'open', LEASE_MS);
    // past the first lease's end
    now += 2000;
    await expect(instanceB.acquire(user, 'other', 1, LEASE_MS)).resolves.toBe(false);
    await expect(storedLeases(user)).resolves.toEqual({ open: renewedAt + LEASE_MS });
  });

  it('gives back and renews nothing for a user who has no item (released twice, or removed by its TTL)', async () => {
    now = Date.now();
    const user = `user-${ulid()}`;
    await expect(instanceA.release(user, 'never')).resolves.toBeUndefined();
    await expect(instanceA.renew(user, 'never', LEASE_MS)).resolves.toBeUndefined();
    await expect(storedLeases(user)).resolves.toBeUndefined();
  });
});
