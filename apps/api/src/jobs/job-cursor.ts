import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Cursors of `GET /v1/jobs`: `v1.<payload>.<mac>`. The payload is the last listed job id (base64url); the
 * HMAC-SHA256 covers it together with the owner and the status filter, so a cursor only continues the listing
 * that issued it, and the owner's id is never in it.
 */
export const CURSOR_VERSION = 'v1';
export const MIN_CURSOR_SECRET_LENGTH = 32;

/** Separates these MACs from any other use of the same key. */
const MAC_CONTEXT = 'imggen/jobs-cursor';
/** A ULID as `ulid()` writes it (upper-case Crockford base32). */
const JOB_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Why a cursor was refused (for debugging and tests); clients get one message for all of them. */
export type InvalidCursorReason = 'malformed' | 'version' | 'signature' | 'payload';

export class InvalidCursorError extends Error {
  constructor(readonly reason: InvalidCursorReason) {
    super('must be the nextCursor of an earlier page of this listing (same user, same status filter)');
    this.name = 'InvalidCursorError';
  }
}

/** The listing a cursor belongs to. */
export interface CursorScope {
  ownerId: string;
  /** The status filter; absent when the listing is unfiltered. */
  status?: string | undefined;
}

export class JobCursorCodec {
  /** `context` separates listings that share a secret (another listing of ULIDs passes its own). */
  constructor(
    private readonly secret: string,
    private readonly context: string = MAC_CONTEXT,
  ) {
    if (secret.length < MIN_CURSOR_SECRET_LENGTH) {
      throw new RangeError(`the cursor secret must be at least ${MIN_CURSOR_SECRET_LENGTH} characters`);
    }
  }

  /** The cursor that resumes `scope`'s listing after `lastJobId`. */
  encode(scope: CursorScope, lastJobId: string): string {
    const payload = Buffer.from(lastJobId).toString('base64url');
    return `${CURSOR_VERSION}.${payload}.${this.mac(scope, payload)}`;
  }

  /** The job id to resume after; throws InvalidCursorError unless this codec issued the cursor for `scope`. */
  decode(cursor: string, scope: CursorScope): string {
    const parts = cursor.split('.');
    if (parts.length !== 3) {
      throw new InvalidCursorError('malformed');
    }
    const [version, payload, mac] = parts as [string, string, string];
    if (version !== CURSOR_VERSION) {
      throw new InvalidCursorError('version');
    }
    const given = Buffer.from(mac);
    const expected = Buffer.from(this.mac(scope, payload));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new InvalidCursorError('signature');
    }
    const jobId = Buffer.from(payload, 'base64url').toString();
    if (!JOB_ID.test(jobId)) {
      throw new InvalidCursorError('payload');
    }
    return jobId;
  }

  private mac({ ownerId, status }: CursorScope, payload: string): string {
    // a JSON array keeps the fields apart whatever characters an owner id holds (no status is written null)
    const message = JSON.stringify([this.context, CURSOR_VERSION, ownerId, status, payload]);
    return createHmac('sha256', this.secret).update(message).digest('base64url');
  }
}
