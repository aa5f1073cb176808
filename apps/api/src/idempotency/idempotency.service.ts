import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { IdempotencyRepository, IdempotencyState, type StoredAnswer } from '#libs/aws';
import { API_CONFIG, type ApiConfig } from '../config/api.config.js';
import { requestFingerprint } from './fingerprint.js';
import type { IdempotencyConfig } from './idempotency.config.js';
import { idempotencyKeyInUse, idempotencyKeyReused } from './idempotency.problems.js';

/** A success answer of the guarded operation (an error answer is thrown, never stored). */
export interface IdempotentAnswer<T> {
  status: number;
  body: T;
  location?: string;
}

export interface IdempotentOutcome<T> extends IdempotentAnswer<T> {
  /** The answer is the stored one of an earlier request with the same key. */
  replayed: boolean;
}

/** Time, for tests to control. */
export interface IdempotencyClock {
  nowMs(): number;
  sleep(ms: number): Promise<void>;
}

export const IDEMPOTENCY_CLOCK = Symbol('IDEMPOTENCY_CLOCK');

const systemClock: IdempotencyClock = {
  nowMs: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Polling a request still in progress: 50 ms, doubling, at most 500 ms apart. */
export const FIRST_POLL_MS = 50;
export const MAX_POLL_MS = 500;

/**
 * Runs an operation at most once per (user, Idempotency-Key) within the key's lifetime (IETF httpapi
 * Idempotency-Key draft). One conditional write claims the key, so of concurrent requests exactly one runs; the
 * others wait for its answer and replay it. Only success answers are kept: an error (nothing created, or a
 * refused submission the client is told to retry) releases the key, so a retry with it runs again.
 */
@Injectable()
export class IdempotencyService {
  private readonly config: IdempotencyConfig;
  private readonly clock: IdempotencyClock;

  constructor(
    private readonly repository: IdempotencyRepository,
    private readonly logger: PinoLogger,
    @Inject(API_CONFIG) apiConfig: Pick<ApiConfig, 'idempotency'>,
    @Optional() @Inject(IDEMPOTENCY_CLOCK) clock?: IdempotencyClock,
  ) {
    this.logger.setContext(IdempotencyService.name);
    this.config = apiConfig.idempotency;
    this.clock = clock ?? systemClock;
  }

  /** `key` undefined: no Idempotency-Key, the operation simply runs. */
  async run<T>(
    ownerId: string,
    key: string | undefined,
    body: unknown,
    operation: () => Promise<IdempotentAnswer<T>>,
  ): Promise<IdempotentOutcome<T>> {
    if (key === undefined) {
      return { ...(await operation()), replayed: false };
    }
    const fingerprint = requestFingerprint(body);
    const claimToken = randomUUID();
    const deadline = this.clock.nowMs() + this.config.waitMs;
    let pollMs = FIRST_POLL_MS;
    for (;;) {
      const now = this.nowSeconds();
      const claimed = await this.repository.claim({
        ownerId,
        key,
        fingerprint,
        claimToken,
        expiresAt: now + this.config.claimSeconds,
        now,
        createdAt: new Date(this.clock.nowMs()).toISOString(),
      });
      if (claimed) {
        return this.runClaimed(ownerId, key, claimToken, operation);
      }
      const record = await this.repository.get(ownerId, key);
      // expired (AWS deletes late, dynalite never) or released since the claim failed: as good as absent
      if (record && record.expiresAt >= this.nowSeconds()) {
        if (record.fingerprint !== fingerprint) {
          throw idempotencyKeyReused();
        }
        if (record.state === IdempotencyState.Completed && record.answer) {
          this.logger.info({ idempotencyKey: key }, 'replaying the answer of an earlier request with this key');
          return replay<T>(record.answer);
        }
      }
      const left = deadline - this.clock.nowMs();
      if (left <= 0) {
        throw idempotencyKeyInUse();
      }
      await this.clock.sleep(Math.min(pollMs, left));
      pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
    }
  }

  private async runClaimed<T>(
    ownerId: string,
    key: string,
    claimToken: string,
    operation: () => Promise<IdempotentAnswer<T>>,
  ): Promise<IdempotentOutcome<T>> {
    let answer: IdempotentAnswer<T>;
    try {
      answer = await operation();
    } catch (error) {
      await this.release(ownerId, key, claimToken);
      throw error;
    }
    const stored: StoredAnswer = {
      status: answer.status,
      body: JSON.stringify(answer.body),
      ...(answer.location === undefined ? {} : { location: answer.location }),
    };
    try {
      const completed = await this.repository.complete(
        ownerId,
        key,
        claimToken,
        stored,
        this.nowSeconds() + this.config.keyTtlSeconds,
      );
      if (!completed) {
        this.logger.warn({ idempotencyKey: key }, 'the claim on this idempotency key expired before its answer');
      }
    } catch (error) {
      // the job exists and the client gets its answer; a retry after the claim expires could submit it again
      this.logger.error({ err: error, idempotencyKey: key }, 'could not store the answer for this idempotency key');
    }
    return { ...answer, replayed: false };
  }

  /** Best effort: if the delete fails, the claim frees the key when it expires (config claimSeconds). */
  private async release(ownerId: string, key: string, claimToken: string): Promise<void> {
    try {
      await this.repository.release(ownerId, key, claimToken);
    } catch (error) {
      this.logger.error({ err: error, idempotencyKey: key }, 'could not release the idempotency key');
    }
  }

  private nowSeconds(): number {
    return Math.floor(this.clock.nowMs() / 1000);
  }
}

function replay<T>(answer: StoredAnswer): IdempotentOutcome<T> {
  return {
    status: answer.status,
    body: JSON.parse(answer.body) as T,
    ...(answer.location === undefined ? {} : { location: answer.location }),
    replayed: true,
  };
}
