import { createHmac, timingSafeEqual } from 'node:crypto';

/** Separates these MACs from any other use of the same secret. */
const MAC_CONTEXT = 'imggen/api-key/v1';
export const MIN_API_KEYS_SECRET_LENGTH = 32;

/** The stored form of an API key: HMAC-SHA256 under a server secret, so a leaked table reveals no usable key. */
export class ApiKeyHasher {
  constructor(private readonly secret: string) {
    if (secret.length < MIN_API_KEYS_SECRET_LENGTH) {
      throw new RangeError(`the API keys secret must be at least ${MIN_API_KEYS_SECRET_LENGTH} characters`);
    }
  }

  hash(key: string): string {
    return createHmac('sha256', this.secret).update(MAC_CONTEXT).update('\0').update(key).digest('base64url');
  }

  /** Constant-time comparison of the key's hash with the stored one. */
  matches(key: string, storedHash: string): boolean {
    const given = Buffer.from(this.hash(key), 'base64url');
    const stored = Buffer.from(storedHash, 'base64url');
    return given.length === stored.length && timingSafeEqual(given, stored);
  }
}
