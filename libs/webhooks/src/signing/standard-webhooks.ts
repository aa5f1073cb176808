import { createHmac, randomBytes } from 'node:crypto';

/** Standard Webhooks (standardwebhooks.com) secrets are `whsec_` + base64 of the key bytes. */
export const SECRET_PREFIX = 'whsec_';
/** 32 random bytes: the HMAC-SHA256 block is 64, the spec asks for 24 to 64. */
export const SECRET_BYTES = 32;

export function generateSecretKey(): Buffer {
  return randomBytes(SECRET_BYTES);
}

export function formatSecret(key: Buffer): string {
  return `${SECRET_PREFIX}${key.toString('base64')}`;
}

export function parseSecret(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) {
    throw new Error(`a webhook secret starts with ${SECRET_PREFIX}`);
  }
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

/** `v1,` + base64 HMAC-SHA256 of `<id>.<timestamp>.<body>` under one key. */
export function signature(key: Buffer, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`, 'utf8').digest('base64');
  return `v1,${mac}`;
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * The three Standard Webhooks headers for one attempt. `keys` are the owner's signing keys, newest first: during a
 * rotation's overlap both sign, space-separated, so a receiver holding either secret verifies.
 */
export function signedHeaders(keys: readonly Buffer[], id: string, at: Date, body: string): SignedHeaders {
  if (keys.length === 0) {
    throw new Error('no signing key');
  }
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': keys.map((key) => signature(key, id, timestamp, body)).join(' '),
  };
}
