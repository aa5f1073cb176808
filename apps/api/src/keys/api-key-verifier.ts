import { Inject, Injectable, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { PinoLogger } from 'nestjs-pino';
import { type ApiKeyRecord, ApiKeyRepository } from '#libs/aws';
import type { AuthUser } from '../auth/auth-user.js';
import type { ApiScope } from '../auth/scopes.js';
import { InvalidTokenError } from '../auth/token-verifier.js';
import { API_CONFIG, type ApiConfig } from '../config/api.config.js';
import { parseApiKey } from './api-key-format.js';
import { ApiKeyHasher } from './api-key-hasher.js';

/** Milliseconds since the epoch; injected so that tests can move time. */
export interface Clock {
  now(): number;
}
export const API_KEY_CLOCK = Symbol('API_KEY_CLOCK');
const systemClock: Clock = { now: () => Date.now() };

/** `lastUsedAt` is written at most this often per key (per instance, and the write's condition holds across them). */
export const LAST_USED_RESOLUTION_MS = 60_000;
/** Keys remembered per instance; a miss costs one GetItem. */
const CACHE_MAX_KEYS = 10_000;

interface Cached {
  /** undefined: no such key (revoked or never created) — remembered too, so garbage ids cost one read per TTL. */
  record: ApiKeyRecord | undefined;
}

/**
 * Verifies `igk_live_...` keys. What the accounts table says about a key id is cached in-process for
 * `apiKeys.cacheTtlMs` (API_KEYS_CACHE_TTL_SECONDS), so a key costs one GetItem per instance per TTL, not one per
 * request; a revocation is seen by this instance at once (`forget`) and by every other within that TTL. The
 * presented key's HMAC is compared with the stored one on every request, in constant time.
 */
@Injectable()
export class ApiKeyVerifier implements OnApplicationShutdown {
  /** The last-use writes still in flight: a closing api lets them finish instead of cutting them off. */
  private readonly touches = new Set<Promise<unknown>>();
  private readonly cache: LRUCache<string, Cached>;
  private readonly lastTouched: LRUCache<string, number>;
  private readonly hasher: ApiKeyHasher;

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly logger: PinoLogger,
    @Inject(API_CONFIG) config: ApiConfig,
    @Optional() @Inject(API_KEY_CLOCK) private readonly clock: Clock = systemClock,
  ) {
    this.logger.setContext(ApiKeyVerifier.name);
    this.hasher = new ApiKeyHasher(config.apiKeys.secret);
    const perf = { now: () => this.clock.now() };
    this.cache = new LRUCache<string, Cached>({
      max: CACHE_MAX_KEYS,
      ttl: config.apiKeys.cacheTtlMs,
      // read the clock on every check, so the bound is exact (and a test's clock is obeyed)
      ttlResolution: 0,
      perf,
      // concurrent misses for one key share one read
      fetchMethod: async (keyId) => ({ record: await this.keys.findById(keyId) }),
    });
    this.lastTouched = new LRUCache<string, number>({ max: CACHE_MAX_KEYS });
  }

  /** The key's owner, acting with the key's scopes; InvalidTokenError (401) for any key that is not valid now. */
  async verify(key: string): Promise<AuthUser> {
    const parsed = parseApiKey(key);
    if (!parsed) {
      throw new InvalidTokenError('not a well-formed API key');
    }
    const cached = await this.cache.fetch(parsed.keyId);
    const record = cached?.record;
    // the same check for an unknown id and a wrong secret: both are "no such key"
    if (!record || !this.hasher.matches(key, record.hash)) {
      throw new InvalidTokenError('unknown or revoked API key');
    }
    const now = this.clock.now();
    if (record.keyExpiresAt !== undefined && Date.parse(record.keyExpiresAt) <= now) {
      throw new InvalidTokenError('API key expired');
    }
    this.touch(record, now);
    return {
      id: record.ownerId,
      username: record.ownerUsername,
      groups: [...record.ownerGroups],
      apiKey: {
        id: record.keyId,
        scopes: record.scopes as ApiScope[],
        ...(record.requestsPerMinute !== undefined ? { requestsPerMinute: record.requestsPerMinute } : {}),
        ...(record.monthlyBudgetUsd !== undefined ? { monthlyBudgetUsd: record.monthlyBudgetUsd } : {}),
      },
    };
  }

  /** Drops what this instance knows of a key (it was just revoked here). */
  forget(keyId: string): void {
    this.cache.delete(keyId);
  }

  /** Records the use in the background, at most once a minute per key; a failure only costs the record. */
  private touch(record: ApiKeyRecord, now: number): void {
    const last = this.lastTouched.get(record.keyId);
    if (last !== undefined && now - last < LAST_USED_RESOLUTION_MS) {
      return;
    }
    this.lastTouched.set(record.keyId, now);
    const usedAt = new Date(now).toISOString();
    const notAfter = new Date(now - LAST_USED_RESOLUTION_MS).toISOString();
    const touch = this.keys
      .touch(record.ownerId, record.keyId, usedAt, notAfter)
      .catch((error: unknown) => {
        this.logger.warn({ err: error, keyId: record.keyId }, 'could not record an API key’s last use');
      })
      .finally(() => void this.touches.delete(touch));
    this.touches.add(touch);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.touches]);
  }
}
