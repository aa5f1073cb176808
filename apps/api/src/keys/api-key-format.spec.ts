import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { API_KEY_PREFIX, generateApiKey, looksLikeApiKey, parseApiKey } from './api-key-format.js';

const KEY_SHAPE = /^igk_live_[0-9A-HJKMNP-TV-Z]{26}_[0-9A-Za-z]{49}$/;

describe('API key format', () => {
  it('is igk_live_<ULID>_<43 base62 secret characters><6 checksum characters>', () => {
    const { keyId, key } = generateApiKey();
    expect(key).toMatch(KEY_SHAPE);
    expect(key.startsWith(`${API_KEY_PREFIX}${keyId}_`)).toBe(true);
    expect(looksLikeApiKey(key)).toBe(true);
    expect(parseApiKey(key)).toEqual({ keyId });
  });

  it('carries all 256 bits of the random secret: different bytes, different keys; all-zero and all-one bytes fit', () => {
    const zeros = generateApiKey(() => new Uint8Array(32)).key;
    const ones = generateApiKey(() => new Uint8Array(32).fill(255)).key;
    expect(zeros).toMatch(KEY_SHAPE);
    expect(ones).toMatch(KEY_SHAPE);
    const secretOf = (key: string) => key.slice(36, 79);
    expect(secretOf(zeros)).toBe('0'.repeat(43));
    expect(secretOf(ones)).not.toBe(secretOf(zeros));
    const secrets = new Set(Array.from({ length: 200 }, () => secretOf(generateApiKey().key)));
    expect(secrets.size).toBe(200);
  });

  it('refuses a key whose checksum does not hold (any one character changed)', () => {
    const { key } = generateApiKey();
    fc.assert(
      fc.property(fc.integer({ min: 9, max: key.length - 1 }), fc.constantFrom(...'0aZ9xQ'), (index, char) => {
        fc.pre(key[index] !== char);
        const changed = `${key.slice(0, index)}${char}${key.slice(index + 1)}`;
        // a changed id or secret breaks the CRC-32; a changed checksum no longer matches
        expect(parseApiKey(changed)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['empty', ''],
    ['the prefix alone', 'igk_live_'],
    ['a test prefix', generateApiKey().key.replace('igk_live_', 'igk_test_')],
    ['cut short', generateApiKey().key.slice(0, -1)],
    ['one character more', `${generateApiKey().key}a`],
    [
      'a lower-case id',
      generateApiKey().key.replace(/^igk_live_(\w{26})/, (_m, id: string) => `igk_live_${id.toLowerCase()}`),
    ],
    ['white space inside', generateApiKey().key.replace('_', ' ')],
  ])('refuses %s', (_case, key) => {
    expect(parseApiKey(key)).toBeUndefined();
  });

  it('tells keys from JWTs by their prefix', () => {
    expect(looksLikeApiKey('eyJhbGciOiJSUzI1NiJ9.e30.sig')).toBe(false);
    expect(looksLikeApiKey('igk_anything')).toBe(true);
  });
});
