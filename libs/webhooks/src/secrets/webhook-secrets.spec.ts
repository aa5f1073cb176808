import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { WebhookSecretRecord, WebhookSecretRepository } from '#libs/aws';
import { parseSecret } from '../signing/standard-webhooks.js';
import { LocalKeyFileDataKeys } from './local-data-keys.js';
import { SecretEnvelope } from './secret-envelope.js';
import { WebhookSecrets } from './webhook-secrets.js';

/** The repository's contract in memory: conditional writes on the revision. */
class MemorySecrets {
  readonly items = new Map<string, WebhookSecretRecord>();
  get(ownerId: string): Promise<WebhookSecretRecord | undefined> {
    return Promise.resolve(structuredClone(this.items.get(ownerId)));
  }
  put(record: WebhookSecretRecord, expected: number | undefined): Promise<boolean> {
    if (this.items.get(record.ownerId)?.revision !== expected) {
      return Promise.resolve(false);
    }
    this.items.set(record.ownerId, structuredClone(record));
    return Promise.resolve(true);
  }
}

async function keyFile(): Promise<string> {
  return path.join(await mkdtemp(path.join(tmpdir(), 'imggen-kek-')), 'nested', 'webhook-secrets.key');
}

describe('envelope encryption with the local key file', () => {
  it('creates the key file (0600) once, and every opener of it gets the same key', async () => {
    const file = await keyFile();
    const [a, b] = await Promise.all([LocalKeyFileDataKeys.open(file), LocalKeyFileDataKeys.open(file)]);
    expect(a.keyId).toBe(b.keyId);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64')).toHaveLength(32);
  });

  it('stores no plaintext, and opens only with the same key file and the same context', async () => {
    const envelope = new SecretEnvelope(await LocalKeyFileDataKeys.open(await keyFile()));
    const secret = Buffer.from('super secret signing key material');
    const sealed = await envelope.seal(secret, { ownerId: 'alice' });
    expect(JSON.stringify(sealed)).not.toContain(secret.toString('base64'));
    await expect(envelope.open(sealed, { ownerId: 'alice' })).resolves.toEqual(secret);
    await expect(envelope.open(sealed, { ownerId: 'mallory' })).rejects.toThrow();
    const otherKey = new SecretEnvelope(await LocalKeyFileDataKeys.open(await keyFile()));
    await expect(otherKey.open(sealed, { ownerId: 'alice' })).rejects.toThrow();
  });
});

describe('WebhookSecrets', () => {
  async function setup() {
    const repository = new MemorySecrets();
    let now = new Date('2026-11-27T00:00:00Z');
    const secrets = new WebhookSecrets(
      repository as unknown as WebhookSecretRepository,
      new SecretEnvelope(await LocalKeyFileDataKeys.open(await keyFile())),
      { rotationOverlapSeconds: 86_400 },
      () => now,
    );
    return { repository, secrets, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
  }

  it('creates a whsec_ secret on first use and answers the same one after', async () => {
    const { secrets, repository } = await setup();
    const first = await secrets.current('alice');
    expect(first.secret).toMatch(/^whsec_/);
    expect((await secrets.current('alice')).secret).toBe(first.secret);
    expect(JSON.stringify(repository.items.get('alice'))).not.toContain(first.secret.slice(6));
    expect((await secrets.current('bob')).secret).not.toBe(first.secret);
  });

  it('signs with the new and the previous secret for the 24 h overlap, then with the new one only', async () => {
    const { secrets, advance } = await setup();
    const old = parseSecret((await secrets.current('alice')).secret);
    const rotated = await secrets.rotate('alice');
    const next = parseSecret(rotated.secret);
    expect(rotated.previousSecretRetiresAt).toBe('2026-11-28T00:00:00.000Z');
    expect(await secrets.signingKeys('alice')).toEqual([next, old]);
    advance(86_400_000 - 1);
    expect(await secrets.signingKeys('alice')).toEqual([next, old]);
    advance(1);
    expect(await secrets.signingKeys('alice')).toEqual([next]);
    expect((await secrets.current('alice')).previousSecretRetiresAt).toBeUndefined();
  });

  it('a second rotation within the overlap retires the oldest secret at once', async () => {
    const { secrets } = await setup();
    const first = parseSecret((await secrets.current('alice')).secret);
    const second = parseSecret((await secrets.rotate('alice')).secret);
    const third = parseSecret((await secrets.rotate('alice')).secret);
    const keys = await secrets.signingKeys('alice');
    expect(keys).toEqual([third, second]);
    expect(keys).not.toContainEqual(first);
  });

  it('rotations racing each other both land, one after the other (conditional writes)', async () => {
    const { secrets, repository } = await setup();
    await secrets.current('alice');
    await Promise.all([secrets.rotate('alice'), secrets.rotate('alice')]);
    expect(repository.items.get('alice')!.revision).toBe(3);
  });
});
