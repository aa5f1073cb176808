import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DataKey, DataKeyProvider } from '#libs/aws';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The local stand-in for KMS (make dev, tests): one AES-256 key-encryption key in a file under `.local/`, created
 * on first use (mode 0600), wrapping each data key with AES-256-GCM; the context is its additional data.
 */
export class LocalKeyFileDataKeys implements DataKeyProvider {
  private constructor(
    private readonly key: Buffer,
    readonly keyId: string,
  ) {}

  /** Reads the key file, or creates it; several processes starting at once all end up with the same key. */
  static async open(file: string): Promise<LocalKeyFileDataKeys> {
    const key = await readOrCreateKey(file);
    const fingerprint = createHash('sha256').update(key).digest('hex').slice(0, 16);
    return new LocalKeyFileDataKeys(key, `local:${fingerprint}`);
  }

  generateDataKey(context: Record<string, string>): Promise<DataKey> {
    const plaintext = randomBytes(KEY_BYTES);
    return Promise.resolve({ plaintext, encrypted: this.wrap(plaintext, context) });
  }

  decryptDataKey(encrypted: Buffer, context: Record<string, string>): Promise<Buffer> {
    return Promise.resolve(this.unwrap(encrypted, context));
  }

  private unwrap(encrypted: Buffer, context: Record<string, string>): Buffer {
    const iv = encrypted.subarray(0, IV_BYTES);
    const tag = encrypted.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv).setAAD(additionalData(context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(encrypted.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  }

  private wrap(plaintext: Buffer, context: Record<string, string>): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(additionalData(context));
    const sealed = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
  }
}

/** The context in a fixed order, so the same context is the same additional data. */
export function additionalData(context: Record<string, string>): Buffer {
  return Buffer.from(JSON.stringify(Object.entries(context).sort(([a], [b]) => a.localeCompare(b))), 'utf8');
}

async function readOrCreateKey(file: string): Promise<Buffer> {
  try {
    return decodeKey(file, await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
  }
  await mkdir(path.dirname(file), { recursive: true });
  // written aside, then linked into place: link fails when another process won the race, and nobody ever reads a
  // half-written key
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, randomBytes(KEY_BYTES).toString('base64') + '\n', { mode: 0o600 });
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw error;
    }
  } finally {
    await unlink(temporary);
  }
  return decodeKey(file, await readFile(file, 'utf8'));
}

function decodeKey(file: string, text: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new Error(`${file} does not hold a base64 ${KEY_BYTES}-byte key`);
  }
  return key;
}
