import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { requestFingerprint } from './fingerprint.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe(requestFingerprint.name, () => {
  it('is the SHA-256 of the canonical JSON (RFC 8785), in hex', () => {
    expect(requestFingerprint({ prompt: 'a fox', width: 512 })).toBe(sha256('{"prompt":"a fox","width":512}'));
  });

  it('does not depend on key order or whitespace, at any depth', () => {
    const a = JSON.parse('{ "prompt": "a fox", "width": 512, "extra": { "x": 1, "y": [1, 2] } }') as unknown;
    const b = JSON.parse('{"extra":{"y":[1,2],"x":1},"width":512,"prompt":"a fox"}') as unknown;
    expect(requestFingerprint(a)).toBe(requestFingerprint(b));
  });

  it('takes numbers by value, as JSON does', () => {
    expect(requestFingerprint(JSON.parse('{"seed": 1.0}'))).toBe(requestFingerprint({ seed: 1 }));
  });

  it.each([
    ['another value', { prompt: 'a fox', width: 768 }],
    ['another string', { prompt: 'a Fox', width: 512 }],
    ['one field more', { prompt: 'a fox', width: 512, height: 512 }],
    ['one field less', { prompt: 'a fox' }],
    ['a string for a number', { prompt: 'a fox', width: '512' }],
    ['another array order', { prompt: 'a fox', width: 512, tags: [2, 1] }],
  ])('changes with %s', (_name, body) => {
    const fingerprints = [requestFingerprint({ prompt: 'a fox', width: 512, tags: [1, 2] }), requestFingerprint(body)];
    expect(new Set(fingerprints).size).toBe(2);
  });

  it('hashes a body JSON cannot hold as null', () => {
    expect(requestFingerprint(undefined)).toBe(sha256('null'));
  });
});
