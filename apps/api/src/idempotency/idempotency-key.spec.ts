import { describe, expect, it } from '@jest/globals';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_PATTERN,
  IDEMPOTENT_REPLAYED_HEADER,
  InvalidIdempotencyKeyError,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  parseIdempotencyKey,
} from './idempotency-key.js';

const longest = 'k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH);
const tooLong = 'k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1);

/** [header value, key] */
const VALID: Array<[string, string]> = [
  ['"8e03978e-40d5-43e8-bc93-6894a57f9324"', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
  ['8e03978e-40d5-43e8-bc93-6894a57f9324', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
  ['abc-123', 'abc-123'],
  ['k', 'k'],
  ['"k"', 'k'],
  [longest, longest],
  [`"${longest}"`, longest],
  // the edges of visible ASCII, bare and quoted
  ['!', '!'],
  ['~', '~'],
  ['"!~"', '!~'],
  // escapes in a quoted string; the 255 characters are counted after unescaping
  ['"a\\"b"', 'a"b'],
  ['"a\\\\b"', 'a\\b'],
  [`"${'k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH - 1)}\\""`, `${'k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH - 1)}"`],
  // a quote after the first character is just a character of a bare key
  ['ab"c', 'ab"c'],
  // surrounding whitespace is not part of a field value
  ['  abc-123 ', 'abc-123'],
  [' "abc-123"\t', 'abc-123'],
];

const INVALID: Array<[string, string]> = [
  ['empty', ''],
  ['whitespace only', '   '],
  ['empty quoted string', '""'],
  ['256 characters bare', tooLong],
  ['256 characters quoted', `"${tooLong}"`],
  ['a space inside a bare key', 'abc 123'],
  ['a space inside a quoted key', '"abc 123"'],
  ['a tab', 'abc\t123'],
  ['a control character', 'abc\u0001'],
  ['DEL', 'abc\u007f'],
  ['non-ASCII', 'clé'],
  ['non-ASCII quoted', '"clé"'],
  ['an unterminated quoted string', '"abc'],
  ['a bare key starting with a quote', '"abc"def'],
  ['a quoted string with parameters', '"abc";v=1'],
  ['a list of quoted strings', '"abc", "def"'],
  ['a bad escape', '"a\\b"'],
  ['two lines joined by a comma', 'abc, def'],
];

describe(parseIdempotencyKey.name, () => {
  it('uses the header names of the IETF draft', () => {
    expect([IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER]).toEqual(['Idempotency-Key', 'Idempotent-Replayed']);
  });

  it('is undefined without the header', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
  });

  it.each(VALID)('reads %j as the key %j', (header, key) => {
    expect(parseIdempotencyKey(header)).toBe(key);
  });

  it.each(INVALID)('refuses %s', (_name, header) => {
    expect(() => parseIdempotencyKey(header)).toThrow(InvalidIdempotencyKeyError);
    expect(() => parseIdempotencyKey(header)).toThrow(expect.objectContaining({ name: 'InvalidIdempotencyKeyError' }));
  });

  it('refuses the header sent more than once', () => {
    expect(() => parseIdempotencyKey(['abc', 'abc'])).toThrow('must be sent once');
  });

  it('says what a key may be, and that parameters are not allowed', () => {
    expect(() => parseIdempotencyKey(tooLong)).toThrow(
      'must be 1 to 255 visible ASCII characters, bare or as a quoted string',
    );
    expect(() => parseIdempotencyKey('"abc";v=1')).toThrow('must be a quoted string without parameters');
    expect(() => parseIdempotencyKey('"abc')).toThrow('is not a valid quoted string (RFC 9651 sf-string)');
  });

  it('takes the quoted and the bare form of a key as the same key', () => {
    expect(parseIdempotencyKey('"abc-123"')).toBe(parseIdempotencyKey('abc-123'));
  });
});

describe('IDEMPOTENCY_KEY_PATTERN (the OpenAPI document)', () => {
  const pattern = new RegExp(IDEMPOTENCY_KEY_PATTERN);
  const trimmed = (value: string): boolean => value === value.trim();

  it.each(VALID.filter(([header]) => trimmed(header)))('accepts %j, as the parser does', (header) => {
    expect(pattern.test(header)).toBe(true);
  });

  it.each(INVALID.filter(([, header]) => trimmed(header)))('rejects %s, as the parser does', (_name, header) => {
    expect(pattern.test(header)).toBe(false);
  });
});
