import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * SHA-256 (hex) of the body in RFC 8785 canonical JSON: key order and whitespace do not change it, any value does.
 */
export function requestFingerprint(body: unknown): string {
  // undefined only for a body JSON cannot hold (there is always a parsed JSON body here); hash it as null
  const canonical = canonicalize(body) ?? 'null';
  return createHash('sha256').update(canonical).digest('hex');
}
