import { LRUCache } from 'lru-cache';
import type { StoredWebhookSecret, WebhookSecretRecord, WebhookSecretRepository } from '#libs/aws';
import { formatSecret, generateSecretKey } from '../signing/standard-webhooks.js';
import type { SecretEnvelope } from './secret-envelope.js';

/** What GET /v1/webhooks/secret shows. */
export interface WebhookSecretView {
  /** `whsec_...`: verify deliveries with it. */
  secret: string;
  createdAt: string;
  /** During a rotation's overlap: when the previous secret stops signing. */
  previousSecretRetiresAt?: string;
}

/** How often a write is retried when another rotation or creation wins the race. */
const MAX_WRITE_ATTEMPTS = 5;

/**
 * Each user's Standard Webhooks signing secret, created on first use, rotated with an overlap during which the
 * previous secret signs too. Secrets are stored only encrypted (SecretEnvelope: KMS in AWS); opened secrets are
 * cached by their ciphertext, so a rotation is seen at once and KMS is asked once per secret and process.
 */
export class WebhookSecrets {
  private readonly opened = new LRUCache<string, Buffer>({ max: 10_000 });

  constructor(
    private readonly repository: WebhookSecretRepository,
    private readonly envelope: SecretEnvelope,
    private readonly options: { rotationOverlapSeconds: number },
    private readonly now: () => Date = () => new Date(),
  ) {}

  async current(ownerId: string): Promise<WebhookSecretView> {
    const record = await this.getOrCreate(ownerId);
    return this.view(record, await this.open(ownerId, record.current));
  }

  /** A new current secret; the one it replaces keeps signing for the overlap (an older previous one stops now). */
  async rotate(ownerId: string): Promise<WebhookSecretView> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const existing = await this.repository.get(ownerId);
      const now = this.now();
      const key = generateSecretKey();
      const record: WebhookSecretRecord = {
        ownerId,
        current: { sealed: await this.envelope.seal(key, context(ownerId)), createdAt: now.toISOString() },
        ...(existing
          ? {
              previous: {
                ...existing.current,
                retiresAt: new Date(now.getTime() + this.options.rotationOverlapSeconds * 1000).toISOString(),
              },
            }
          : {}),
        revision: (existing?.revision ?? 0) + 1,
      };
      if (await this.repository.put(record, existing?.revision)) {
        return this.view(record, key);
      }
    }
    throw new Error(`could not rotate the webhook secret of ${ownerId}: too many concurrent writes`);
  }

  /** The keys that sign a delivery now, newest first: the current one, and the previous one during its overlap. */
  async signingKeys(ownerId: string): Promise<Buffer[]> {
    const record = await this.getOrCreate(ownerId);
    const keys = [await this.open(ownerId, record.current)];
    if (record.previous && Date.parse(record.previous.retiresAt) > this.now().getTime()) {
      keys.push(await this.open(ownerId, record.previous));
    }
    return keys;
  }

  private async getOrCreate(ownerId: string): Promise<WebhookSecretRecord> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const existing = await this.repository.get(ownerId);
      if (existing) {
        return existing;
      }
      const key = generateSecretKey();
      const record: WebhookSecretRecord = {
        ownerId,
        current: { sealed: await this.envelope.seal(key, context(ownerId)), createdAt: this.now().toISOString() },
        revision: 1,
      };
      if (await this.repository.put(record, undefined)) {
        return record;
      }
    }
    throw new Error(`could not create the webhook secret of ${ownerId}`);
  }

  private async open(ownerId: string, stored: StoredWebhookSecret): Promise<Buffer> {
    const cacheKey = `${ownerId}\n${stored.sealed.ciphertext}`;
    const cached = this.opened.get(cacheKey);
    if (cached) {
      return cached;
    }
    const key = await this.envelope.open(stored.sealed, context(ownerId));
    this.opened.set(cacheKey, key);
    return key;
  }

  private view(record: WebhookSecretRecord, currentKey: Buffer): WebhookSecretView {
    const retiresAt = record.previous?.retiresAt;
    return {
      secret: formatSecret(currentKey),
      createdAt: record.current.createdAt,
      ...(retiresAt && Date.parse(retiresAt) > this.now().getTime() ? { previousSecretRetiresAt: retiresAt } : {}),
    };
  }
}

/** Bound to the wrapped data key: a secret copied to another user's item does not open. */
function context(ownerId: string): Record<string, string> {
  return { purpose: 'webhook-signing-secret', ownerId };
}
