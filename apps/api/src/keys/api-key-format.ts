import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { ulid } from 'ulid';

/**
 * API keys: `igk_live_<keyId>_<secret><checksum>`.
 * - `igk_live_`: a fixed prefix, so that secret scanners and people recognise a leaked key;
 * - keyId: the key's public id (a ULID, 26 characters), shown in listings and used to find the key;
 * - secret: 32 random bytes (256 bits) in base62, 43 characters;
 * - checksum: CRC-32 of everything before it in base62, 6 characters: a mistyped or cut key is refused without a
 *   database read (the checksum is public knowledge, not a secret: the HMAC of the whole key is what proves it).
 */
export const API_KEY_PREFIX = 'igk_live_';
export const SECRET_BYTES = 32;
const SECRET_LENGTH = 43;
const CHECKSUM_LENGTH = 6;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_ID = '[0-9A-HJKMNP-TV-Z]{26}';
export const KEY_ID_PATTERN = new RegExp(`^${KEY_ID}$`);
const API_KEY_PATTERN = new RegExp(
  `^${API_KEY_PREFIX}(${KEY_ID})_[0-9A-Za-z]{${SECRET_LENGTH}}([0-9A-Za-z]{${CHECKSUM_LENGTH}})$`,
);

export interface GeneratedApiKey {
  keyId: string;
  /** The whole key: shown once, never stored. */
  key: string;
}

function base62(bytes: Uint8Array, length: number): string {
  let value = BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
  let text = '';
  while (value > 0n) {
    text = BASE62[Number(value % 62n)]! + text;
    value /= 62n;
  }
  return text.padStart(length, '0');
}

function checksumOf(body: string): string {
  const crc = crc32(body);
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, crc);
  return base62(bytes, CHECKSUM_LENGTH);
}

export function generateApiKey(random: (size: number) => Uint8Array = randomBytes): GeneratedApiKey {
  const keyId = ulid();
  return { keyId, key: formatApiKey(keyId, random(SECRET_BYTES)) };
}

/** The key with this id and secret (exported for tests that forge keys). */
export function formatApiKey(keyId: string, secret: Uint8Array): string {
  const body = `${API_KEY_PREFIX}${keyId}_${base62(secret, SECRET_LENGTH)}`;
  return `${body}${checksumOf(body)}`;
}

/** Whether a bearer credential is meant as an API key (then it is verified as one, never as a JWT). */
export function looksLikeApiKey(credential: string): boolean {
  return credential.startsWith('igk_');
}

/** The key id of a well-formed key whose checksum holds; undefined for anything else. */
export function parseApiKey(key: string): { keyId: string } | undefined {
  const match = API_KEY_PATTERN.exec(key);
  if (!match) {
    return undefined;
  }
  const body = key.slice(0, -CHECKSUM_LENGTH);
  return checksumOf(body) === match[2] ? { keyId: match[1]! } : undefined;
}
