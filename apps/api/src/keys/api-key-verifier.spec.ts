import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { PinoLogger } from 'nestjs-pino';
import { type ApiKeyRecord, ApiKeyRepository } from '#libs/aws';
import { type AutoMocked, automock } from '#libs/testing';
import { InvalidTokenError } from '../auth/token-verifier.js';
import type { ApiConfig } from '../config/api.config.js';
import { formatApiKey, generateApiKey } from './api-key-format.js';
import { randomBytes } from 'node:crypto';
import { ApiKeyHasher } from './api-key-hasher.js';
import { ApiKeyVerifier, type Clock, LAST_USED_RESOLUTION_MS } from './api-key-verifier.js';

const SECRET = 'k'.repeat(32);
const TTL_MS = 5000;
const config = { apiKeys: { secret: SECRET, cacheTtlMs: TTL_MS } } as ApiConfig;
const T0 = Date.parse('2026-11-27T01:00:00.000Z');

describe(ApiKeyVerifier.name, () => {
  let keys: AutoMocked<ApiKeyRepository>;
  let clock: Clock & { at: number };
  let sut: ApiKeyVerifier;
  let key: string;
  let record: ApiKeyRecord;
  const logger = { setContext: jest.fn(), warn: jest.fn() } as unknown as PinoLogger;

  beforeEach(() => {
    keys = automock(ApiKeyRepository);
    keys.touch.mockResolvedValue(true);
    clock = { at: T0, now: () => clock.at };
    sut = new ApiKeyVerifier(keys as unknown as ApiKeyRepository, logger, config, clock);
    const generated = generateApiKey();
    key = generated.key;
    record = {
      keyId: generated.keyId,
      ownerId: 'alice-id',
      ownerUsername: 'alice',
      ownerGroups: ['pro'],
      name: 'ci',
      scopes: ['jobs:read'],
      hash: new ApiKeyHasher(SECRET).hash(key),
      createdAt: new Date(T0).toISOString(),
      requestsPerMinute: 10,
    };
    keys.findById.mockResolvedValue(record);
  });

  const refused = async (presented: string) => {
    const error = await sut.verify(presented).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(InvalidTokenError);
    return error as InvalidTokenError;
  };

  it('acts as the owner with the key’s scopes and limits', async () => {
    await expect(sut.verify(key)).resolves.toEqual({
      id: 'alice-id',
      username: 'alice',
      groups: ['pro'],
      apiKey: { id: record.keyId, scopes: ['jobs:read'], requestsPerMinute: 10 },
    });
    expect(keys.findById).toHaveBeenCalledWith(record.keyId);
  });

  it('reads the table once per key for the TTL, again once it has passed', async () => {
    await sut.verify(key);
    clock.at += TTL_MS;
    await sut.verify(key);
    expect(keys.findById).toHaveBeenCalledTimes(1);
    clock.at += 1;
    await sut.verify(key);
    expect(keys.findById).toHaveBeenCalledTimes(2);
  });

  it('shares one read between concurrent requests of an uncached key', async () => {
    await Promise.all([sut.verify(key), sut.verify(key), sut.verify(key)]);
    expect(keys.findById).toHaveBeenCalledTimes(1);
  });

  it('refuses a key revoked on another instance once the TTL has passed, not before', async () => {
    await sut.verify(key);
    keys.findById.mockResolvedValue(undefined);
    clock.at += TTL_MS;
    await expect(sut.verify(key)).resolves.toBeDefined();
    clock.at += 1;
    await refused(key);
  });

  it('refuses a key revoked on this instance at once (forget)', async () => {
    await sut.verify(key);
    keys.findById.mockResolvedValue(undefined);
    sut.forget(record.keyId);
    await refused(key);
  });

  it('refuses the right id with a wrong secret (a valid checksum), even when the id is cached', async () => {
    await sut.verify(key);
    expect((await refused(formatApiKey(record.keyId, randomBytes(32)))).message).toBe('unknown or revoked API key');
    expect(keys.findById).toHaveBeenCalledTimes(1);
  });

  it('refuses a well-formed key with a checksum that holds but a secret that does not match', async () => {
    const stranger = generateApiKey();
    keys.findById.mockResolvedValue({ ...record, keyId: stranger.keyId });
    expect((await refused(stranger.key)).message).toBe('unknown or revoked API key');
  });

  it('refuses malformed keys and keys with a wrong checksum without reading the table', async () => {
    await refused('igk_live_nonsense');
    await refused(`${key.slice(0, -1)}${key.endsWith('0') ? '1' : '0'}`);
    expect(keys.findById).not.toHaveBeenCalled();
  });

  it('remembers an unknown key id for the TTL too', async () => {
    keys.findById.mockResolvedValue(undefined);
    await refused(key);
    await refused(key);
    expect(keys.findById).toHaveBeenCalledTimes(1);
  });

  it('refuses an expired key, by the clock, even while cached', async () => {
    keys.findById.mockResolvedValue({ ...record, keyExpiresAt: new Date(T0 + 1000).toISOString() });
    await expect(sut.verify(key)).resolves.toBeDefined();
    clock.at += 1000;
    expect((await refused(key)).message).toBe('API key expired');
  });

  it('records the last use at most once a minute per key', async () => {
    await sut.verify(key);
    clock.at += LAST_USED_RESOLUTION_MS - 1;
    await sut.verify(key);
    expect(keys.touch.mock.calls).toEqual([
      ['alice-id', record.keyId, new Date(T0).toISOString(), new Date(T0 - LAST_USED_RESOLUTION_MS).toISOString()],
    ]);
    clock.at += 1;
    await sut.verify(key);
    expect(keys.touch).toHaveBeenCalledTimes(2);
  });

  it('lets a table failure through (503), and a failed last-use write only costs the record', async () => {
    keys.touch.mockRejectedValue(new Error('throttled'));
    await expect(sut.verify(key)).resolves.toBeDefined();
    keys.findById.mockRejectedValue(new Error('down'));
    const other = generateApiKey().key;
    await expect(sut.verify(other)).rejects.toThrow('down');
  });
});
