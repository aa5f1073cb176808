import { parseItem } from 'structured-headers';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** The key itself: 1 to 255 visible ASCII characters (no spaces, no controls). */
const KEY = new RegExp(`^[\\x21-\\x7E]{1,${MAX_IDEMPOTENCY_KEY_LENGTH}}$`);

/**
 * What the header may hold, for the OpenAPI document: a Structured Fields string (`"..."`, `\"` and `\\` escaped)
 * or the bare key, which cannot begin with a quote.
 */
export const IDEMPOTENCY_KEY_PATTERN = `^(?:"(?:[\\x21\\x23-\\x5B\\x5D-\\x7E]|\\\\["\\\\]){1,${MAX_IDEMPOTENCY_KEY_LENGTH}}"|[\\x21\\x23-\\x7E][\\x21-\\x7E]{0,${MAX_IDEMPOTENCY_KEY_LENGTH - 1}})$`;

export class InvalidIdempotencyKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidIdempotencyKeyError';
  }
}

/**
 * The key of an `Idempotency-Key` header, or undefined when there is none. The IETF draft's form is a Structured
 * Fields string (`"8e03978e-..."`); clients written for Stripe-style APIs send the key bare (`8e03978e-...`), so a
 * value that does not begin with a quote is taken as the key itself. Both forms of one key are the same key.
 */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) {
    return undefined;
  }
  if (Array.isArray(header)) {
    throw new InvalidIdempotencyKeyError('must be sent once');
  }
  const value = header.trim();
  const key = value.startsWith('"') ? structuredString(value) : value;
  if (!KEY.test(key)) {
    throw new InvalidIdempotencyKeyError(
      `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters, bare or as a quoted string`,
    );
  }
  return key;
}

function structuredString(value: string): string {
  let item: ReturnType<typeof parseItem>;
  try {
    item = parseItem(value);
  } catch {
    throw new InvalidIdempotencyKeyError('is not a valid quoted string (RFC 9651 sf-string)');
  }
  if (item[1].size > 0) {
    throw new InvalidIdempotencyKeyError('must be a quoted string without parameters');
  }
  // a value that begins with a quote parses as a string or not at all
  return item[0] as string;
}
