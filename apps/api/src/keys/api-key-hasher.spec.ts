import * as crypto from 'node:crypto';
import { describe, expect, it, jest } from '@jest/globals';
import { ApiKeyHasher } from './api-key-hasher.js';

const SECRET = 's'.repeat(32);

describe(ApiKeyHasher.name, () => {
  it('stores an HMAC-SHA256 under the secret: never the key, different under another secret', () => {
    const key = 'igk_live_01JD0000000000000000000000_secret';
    const hash = new ApiKeyHasher(SECRET).hash(key);
    expect(Buffer.from(hash, 'base64url')).toHaveLength(32);
    expect(hash).not.toContain('secret');
    expect(new ApiKeyHasher('t'.repeat(32)).hash(key)).not.toBe(hash);
    expect(new ApiKeyHasher(SECRET).hash(key)).toBe(hash);
  });

  it('matches the right key only', () => {
    const hasher = new ApiKeyHasher(SECRET);
    const hash = hasher.hash('igk_live_a');
    expect(hasher.matches('igk_live_a', hash)).toBe(true);
    expect(hasher.matches('igk_live_b', hash)).toBe(false);
    expect(hasher.matches('igk_live_a', 'c2hvcnQ')).toBe(false);
  });

  it('refuses a secret shorter than 32 characters', () => {
    expect(() => new ApiKeyHasher('s'.repeat(31))).toThrow(RangeError);
  });
});

describe('ApiKeyHasher and constant time', () => {
  it('compares with crypto.timingSafeEqual', async () => {
    const timingSafeEqual = jest.fn(crypto.timingSafeEqual);
    jest.unstable_mockModule('node:crypto', () => ({ ...crypto, timingSafeEqual }));
    const { ApiKeyHasher: Mocked } = await import(`./api-key-hasher.js?mocked=${Date.now()}`);
    const hasher = new (Mocked as typeof ApiKeyHasher)(SECRET);
    expect(hasher.matches('igk_live_a', hasher.hash('igk_live_a'))).toBe(true);
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
  });
});
