import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { type ApiKeyRecord, ApiKeyRepository } from '#libs/aws';
import type { AuthUser } from '../auth/auth-user.js';
import { ADMIN_GROUP } from '../auth/roles.js';
import { API_CONFIG, type ApiConfig } from '../config/api.config.js';
import { DEFAULT_PAGE_SIZE } from '../jobs/dto/list-jobs.query.js';
import { JobCursorCodec } from '../jobs/job-cursor.js';
import { ProblemException } from '../problem/problem.js';
import { API_KEY_PREFIX, generateApiKey, KEY_ID_PATTERN } from './api-key-format.js';
import { ApiKeyHasher } from './api-key-hasher.js';
import { ApiKeyVerifier } from './api-key-verifier.js';
import { type CreateApiKeyDto, MAX_KEY_LIFETIME_DAYS } from './dto/create-key.dto.js';

export interface CreatedApiKey {
  record: ApiKeyRecord;
  /** The secret key, returned once and never stored. */
  key: string;
}

export interface ApiKeyListPage {
  keys: ApiKeyRecord[];
  nextCursor?: string;
}

const DAY_MS = 86_400_000;
/** Cursors of GET /v1/keys are MACed apart from those of GET /v1/jobs. */
const CURSOR_CONTEXT = 'imggen/keys-cursor';

/** Creates, lists and revokes the caller's API keys (only with a signed-in user's token: see AuthGuard). */
@Injectable()
export class KeysService {
  private readonly hasher: ApiKeyHasher;
  private readonly cursors: JobCursorCodec;

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly verifier: ApiKeyVerifier,
    private readonly logger: PinoLogger,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.logger.setContext(KeysService.name);
    this.hasher = new ApiKeyHasher(config.apiKeys.secret);
    this.cursors = new JobCursorCodec(config.apiKeys.secret, CURSOR_CONTEXT);
  }

  async create(user: AuthUser, body: CreateApiKeyDto, now = new Date()): Promise<CreatedApiKey> {
    const expiresAt = body.expiresAt === undefined ? undefined : validExpiry(body.expiresAt, now);
    const { keyId, key } = generateApiKey();
    const record: ApiKeyRecord = {
      keyId,
      ownerId: user.id,
      ownerUsername: user.username,
      // a key never administers: its owner's other groups (their limits) only
      ownerGroups: user.groups.filter((group) => group !== ADMIN_GROUP),
      name: body.name,
      scopes: [...body.scopes],
      hash: this.hasher.hash(key),
      createdAt: now.toISOString(),
      ...(expiresAt !== undefined ? { keyExpiresAt: expiresAt } : {}),
      ...(body.monthlyBudgetUsd !== undefined ? { monthlyBudgetUsd: body.monthlyBudgetUsd } : {}),
      ...(body.requestsPerMinute !== undefined ? { requestsPerMinute: body.requestsPerMinute } : {}),
    };
    await this.keys.create(record);
    this.logger.info({ keyId, scopes: record.scopes }, 'API key created');
    return { record, key };
  }

  async list(user: AuthUser, options: { limit?: number; cursor?: string }): Promise<ApiKeyListPage> {
    const scope = { ownerId: user.id };
    const after = options.cursor === undefined ? undefined : this.cursors.decode(options.cursor, scope);
    const page = await this.keys.listByOwner(user.id, {
      limit: options.limit ?? DEFAULT_PAGE_SIZE,
      ...(after !== undefined ? { after } : {}),
    });
    const last = page.keys.at(-1);
    return page.hasMore && last
      ? { keys: page.keys, nextCursor: this.cursors.encode(scope, last.keyId) }
      : { keys: page.keys };
  }

  /** Revokes at once on this instance; other instances refuse the key once their cache entry expires. */
  async revoke(user: AuthUser, keyId: string): Promise<void> {
    if (!KEY_ID_PATTERN.test(keyId) || !(await this.keys.revoke(user.id, keyId))) {
      throw ProblemException.notFound(`No API key ${keyId}`);
    }
    this.verifier.forget(keyId);
    this.logger.info({ keyId }, 'API key revoked');
  }
}

/** How a key is shown in listings: its prefix and id, never the secret. */
export function keyPrefix(keyId: string): string {
  return `${API_KEY_PREFIX}${keyId}`;
}

function validExpiry(text: string, now: Date): string {
  const at = Date.parse(text);
  const refuse = (message: string) => ProblemException.validation([{ field: 'expiresAt', message }]);
  if (Number.isNaN(at)) {
    throw refuse('expiresAt must be an RFC 3339 date-time such as 2027-06-01T00:00:00Z');
  }
  if (at <= now.getTime()) {
    throw refuse('expiresAt must be in the future');
  }
  if (at > now.getTime() + MAX_KEY_LIFETIME_DAYS * DAY_MS) {
    throw refuse(`expiresAt must be at most ${MAX_KEY_LIFETIME_DAYS} days ahead`);
  }
  return new Date(at).toISOString();
}
