import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  CURSOR_VERSION,
  type CursorScope,
  InvalidCursorError,
  type InvalidCursorReason,
  JobCursorCodec,
  MIN_CURSOR_SECRET_LENGTH,
} from './job-cursor.js';

const SECRET = 'a-test-secret-of-thirty-two-char';
const JOB_ID = '01JD5Z8Q4W3X2Y1Z0A9B8C7D6E';
const alice: CursorScope = { ownerId: 'alice-id' };
const aliceSucceeded: CursorScope = { ownerId: 'alice-id', status: 'SUCCEEDED' };

/** Signs like the codec, written out independently: pins the wire format and forges "right MAC" cursors. */
function forge(scope: CursorScope, payload: string, { secret = SECRET, version = 'v1' } = {}): string {
  const message = JSON.stringify(['imggen/jobs-cursor', version, scope.ownerId, scope.status ?? null, payload]);
  return `${version}.${payload}.${createHmac('sha256', secret).update(message).digest('base64url')}`;
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

function reasonOf(action: () => unknown): InvalidCursorReason | 'no error' {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      return error.reason;
    }
    throw error;
  }
  return 'no error';
}

/** Replaces the character at `index` with another base64url character. */
function flipAt(text: string, index: number): string {
  const replacement = text[index] === 'A' ? 'B' : 'A';
  return `${text.slice(0, index)}${replacement}${text.slice(index + 1)}`;
}

describe(JobCursorCodec.name, () => {
  const codec = new JobCursorCodec(SECRET);

  describe('encode', () => {
    it('writes v1.<base64url job id>.<base64url HMAC-SHA256 of context, version, owner, filter and payload>', () => {
      expect(codec.encode(alice, JOB_ID)).toBe(forge(alice, b64(JOB_ID)));
      expect(codec.encode(aliceSucceeded, JOB_ID)).toBe(forge(aliceSucceeded, b64(JOB_ID)));
      expect(codec.encode(alice, JOB_ID)).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
      expect(CURSOR_VERSION).toBe('v1');
    });

    it('never shows the owner or the filter', () => {
      const cursor = codec.encode({ ownerId: 'alice@example.com', status: 'SUCCEEDED' }, JOB_ID);
      const decodedParts = cursor.split('.').map((part) => Buffer.from(part, 'base64url').toString('latin1'));
      for (const text of [cursor, ...decodedParts]) {
        expect(text).not.toContain('alice');
        expect(text).not.toContain('SUCCEEDED');
      }
    });

    it('gives each listing and each key its own cursor', () => {
      const cursors = new Set([
        codec.encode(alice, JOB_ID),
        codec.encode(aliceSucceeded, JOB_ID),
        codec.encode({ ownerId: 'alice-id', status: 'FAILED' }, JOB_ID),
        codec.encode({ ownerId: 'bob-id' }, JOB_ID),
        new JobCursorCodec(`${SECRET}!`).encode(alice, JOB_ID),
      ]);
      expect(cursors.size).toBe(5);
      expect(codec.encode(alice, JOB_ID)).toBe(codec.encode({ ownerId: 'alice-id', status: undefined }, JOB_ID));
    });
  });

  describe('decode', () => {
    it('returns the job id of a cursor it issued for the same listing', () => {
      expect(codec.decode(codec.encode(alice, JOB_ID), alice)).toBe(JOB_ID);
      expect(codec.decode(codec.encode(aliceSucceeded, JOB_ID), aliceSucceeded)).toBe(JOB_ID);
      expect(new JobCursorCodec(SECRET).decode(forge(alice, b64(JOB_ID)), alice)).toBe(JOB_ID);
    });

    it('throws an InvalidCursorError that names no owner or key', () => {
      const error = (() => {
        try {
          codec.decode('garbage', alice);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(InvalidCursorError);
      expect(error).toBeInstanceOf(Error);
      expect((error as InvalidCursorError).name).toBe('InvalidCursorError');
      expect((error as InvalidCursorError).message).toBe(
        'must be the nextCursor of an earlier page of this listing (same user, same status filter)',
      );
    });

    it.each([
      ['an empty string', ''],
      ['garbage', 'not-a-cursor'],
      ['one dot', `v1.${b64(JOB_ID)}`],
      ['an extra part', `${forge(alice, b64(JOB_ID))}.x`],
      ['a plain base64 JSON cursor of the first version', b64(JSON.stringify({ ownerId: 'alice-id', jobId: JOB_ID }))],
    ])('refuses %s as malformed', (_label, cursor) => {
      expect(reasonOf(() => codec.decode(cursor, alice))).toBe('malformed');
    });

    it.each([
      ['another version', () => forge(alice, b64(JOB_ID), { version: 'v2' })],
      ['an upper-case version', () => forge(alice, b64(JOB_ID)).replace(/^v1/, 'V1')],
      ['no version', () => `.${b64(JOB_ID)}.${forge(alice, b64(JOB_ID)).split('.')[2]}`],
    ])('refuses %s', (_label, cursor) => {
      expect(reasonOf(() => codec.decode(cursor(), alice))).toBe('version');
    });

    it.each<[string, CursorScope, CursorScope]>([
      ['another owner', alice, { ownerId: 'bob-id' }],
      ['an owner whose id starts the same', alice, { ownerId: 'alice-id2' }],
      ['a status filter, when issued unfiltered', alice, aliceSucceeded],
      ['no filter, when issued filtered', aliceSucceeded, alice],
      ['another status', aliceSucceeded, { ownerId: 'alice-id', status: 'FAILED' }],
      ['another owner with the same filter', aliceSucceeded, { ownerId: 'bob-id', status: 'SUCCEEDED' }],
      ['owner and status run together', aliceSucceeded, { ownerId: 'alice-id#SUCCEEDED' }],
    ])('refuses a cursor used for %s', (_label, issuedFor, usedFor) => {
      const cursor = codec.encode(issuedFor, JOB_ID);
      expect(reasonOf(() => codec.decode(cursor, usedFor))).toBe('signature');
      expect(reasonOf(() => codec.decode(cursor, issuedFor))).toBe('no error');
    });

    it('refuses a cursor signed with another key', () => {
      const other = new JobCursorCodec(`${SECRET}-rotated`);
      expect(reasonOf(() => codec.decode(other.encode(alice, JOB_ID), alice))).toBe('signature');
    });

    describe('refuses a tampered cursor', () => {
      const cursor = codec.encode(alice, JOB_ID);
      const [version, payload, mac] = cursor.split('.') as [string, string, string];

      it.each([
        ['the last character cut off', cursor.slice(0, -1)],
        ['the MAC cut in half', `${version}.${payload}.${mac.slice(0, 21)}`],
        ['no MAC', `${version}.${payload}.`],
        ['a character of the MAC changed', `${version}.${payload}.${flipAt(mac, 10)}`],
        ['the first character of the MAC changed', `${version}.${payload}.${flipAt(mac, 0)}`],
        ['a character appended to the MAC', `${cursor}A`],
        ['a non-ASCII MAC of as many characters', `${version}.${payload}.${'é'.repeat(mac.length)}`],
        ['a character of the payload changed', `${version}.${flipAt(payload, 3)}.${mac}`],
        ['a character appended to the payload', `${version}.${payload}A.${mac}`],
        ['another job id in the payload', `${version}.${b64('01JD5Z8Q4W3X2Y1Z0A9B8C7D6F')}.${mac}`],
        ['the MAC of another listing', `${version}.${payload}.${codec.encode(aliceSucceeded, JOB_ID).split('.')[2]}`],
      ])('with %s', (_label, tampered) => {
        expect(reasonOf(() => codec.decode(tampered, alice))).toBe('signature');
      });
    });

    it.each([
      ['is not a job id', b64('not-a-job-id')],
      ['is empty', ''],
      ['is a lower-case job id', b64(JOB_ID.toLowerCase())],
      ['holds letters outside Crockford base32', b64('01JD5Z8Q4W3X2Y1Z0A9B8C7D6U')],
      ['is one character short', b64(JOB_ID.slice(1))],
      ['is one character long', b64(`${JOB_ID}0`)],
      ['has a job id after other text', b64(`x${JOB_ID}`)],
      ['has a job id before other text', b64(`${JOB_ID}\n`)],
      ['is JSON', b64(JSON.stringify({ jobId: JOB_ID }))],
      ['is not base64url', '!!!'],
    ])('refuses a correctly signed payload that %s', (_label, payload) => {
      expect(reasonOf(() => codec.decode(forge(alice, payload), alice))).toBe('payload');
    });
  });

  describe('the key', () => {
    it(`is at least ${MIN_CURSOR_SECRET_LENGTH} characters`, () => {
      expect(MIN_CURSOR_SECRET_LENGTH).toBe(32);
      expect(() => new JobCursorCodec('x'.repeat(31))).toThrow(
        new RangeError('the cursor secret must be at least 32 characters'),
      );
      expect(() => new JobCursorCodec('')).toThrow(RangeError);
      expect(
        new JobCursorCodec('x'.repeat(32)).decode(forge(alice, b64(JOB_ID), { secret: 'x'.repeat(32) }), alice),
      ).toBe(JOB_ID);
    });

    it('is used as UTF-8 text', () => {
      const secret = 'ключ-'.repeat(7);
      expect(new JobCursorCodec(secret).encode(alice, JOB_ID)).toBe(forge(alice, b64(JOB_ID), { secret }));
    });
  });
});
