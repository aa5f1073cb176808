import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { PinoLogger } from 'nestjs-pino';
import {
  type IdempotencyClaim,
  type IdempotencyRecord,
  IdempotencyRepository,
  IdempotencyState,
  type StoredAnswer,
} from '#libs/aws';
import { automock } from '#libs/testing';
import { requestFingerprint } from './fingerprint.js';
import type { IdempotencyConfig } from './idempotency.config.js';
import { FIRST_POLL_MS, type IdempotencyClock, IdempotencyService, MAX_POLL_MS } from './idempotency.service.js';

const config: IdempotencyConfig = { keyTtlSeconds: 86_400, claimSeconds: 300, waitMs: 3_000 };
const T0 = 1_790_000_000_000; // ms, a whole second

/** The repository's contract in memory: a record past its expiresAt counts as absent; writes need the token. */
class FakeIdempotencyRepository {
  readonly records = new Map<string, IdempotencyRecord>();
  /** Runs after each failed claim, before the record is read: lets a test change the world in between. */
  afterFailedClaim: () => void = () => undefined;

  private static id(ownerId: string, key: string): string {
    return `${ownerId}\u0000${key}`;
  }

  async claim(claim: IdempotencyClaim): Promise<boolean> {
    const id = FakeIdempotencyRepository.id(claim.ownerId, claim.key);
    const existing = this.records.get(id);
    if (existing && !(existing.expiresAt < claim.now)) {
      this.afterFailedClaim();
      return false;
    }
    this.records.set(id, {
      ownerId: claim.ownerId,
      key: claim.key,
      fingerprint: claim.fingerprint,
      state: IdempotencyState.InProgress,
      claimToken: claim.claimToken,
      expiresAt: claim.expiresAt,
      createdAt: claim.createdAt,
    });
    return true;
  }

  async get(ownerId: string, key: string): Promise<IdempotencyRecord | undefined> {
    const record = this.records.get(FakeIdempotencyRepository.id(ownerId, key));
    return record && structuredClone(record);
  }

  async complete(
    ownerId: string,
    key: string,
    claimToken: string,
    answer: StoredAnswer,
    expiresAt: number,
  ): Promise<boolean> {
    const record = this.records.get(FakeIdempotencyRepository.id(ownerId, key));
    if (record?.claimToken !== claimToken || record.state !== IdempotencyState.InProgress) {
      return false;
    }
    Object.assign(record, { state: IdempotencyState.Completed, answer, expiresAt });
    return true;
  }

  async release(ownerId: string, key: string, claimToken: string): Promise<boolean> {
    const id = FakeIdempotencyRepository.id(ownerId, key);
    const record = this.records.get(id);
    if (record?.claimToken !== claimToken || record.state !== IdempotencyState.InProgress) {
      return false;
    }
    return this.records.delete(id);
  }

  /** Writes a record as another request (or an earlier day) left it. */
  put(record: Partial<IdempotencyRecord> & Pick<IdempotencyRecord, 'ownerId' | 'key'>): void {
    this.records.set(FakeIdempotencyRepository.id(record.ownerId, record.key), {
      fingerprint: requestFingerprint(BODY),
      state: IdempotencyState.InProgress,
      claimToken: 'someone-else',
      expiresAt: T0 / 1000 + 60,
      createdAt: new Date(T0).toISOString(),
      ...record,
    });
  }
}

/** Time moves only when the service sleeps. */
class FakeClock implements IdempotencyClock {
  now = T0;
  readonly sleeps: number[] = [];
  onSleep: () => void = () => undefined;

  nowMs(): number {
    return this.now;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.now += ms;
    this.onSleep();
  }
}

const BODY = { prompt: 'a red fox', width: 512 };
const ACCEPTED = { jobId: 'job-1', status: 'QUEUED', links: { self: '/v1/jobs/job-1' } };
const KEY = 'abc-123';

function answerOf(jobId: string) {
  return { status: 202, body: { ...ACCEPTED, jobId }, location: `/v1/jobs/${jobId}` };
}

describe(IdempotencyService.name, () => {
  let repository: FakeIdempotencyRepository;
  let clock: FakeClock;
  let logger: { setContext: jest.Mock; info: jest.Mock; warn: jest.Mock; error: jest.Mock };
  let sut: IdempotencyService;
  let operation: jest.Mock<() => Promise<ReturnType<typeof answerOf>>>;
  let runs: number;

  function service(repo: unknown = repository): IdempotencyService {
    return new IdempotencyService(
      repo as IdempotencyRepository,
      logger as unknown as PinoLogger,
      { idempotency: config },
      clock,
    );
  }

  beforeEach(() => {
    repository = new FakeIdempotencyRepository();
    clock = new FakeClock();
    logger = { setContext: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    runs = 0;
    operation = jest.fn(async () => answerOf(`job-${++runs}`));
    sut = service();
  });

  it('just runs the operation without a key, and writes nothing', async () => {
    await expect(sut.run('alice', undefined, BODY, operation)).resolves.toEqual({
      ...answerOf('job-1'),
      replayed: false,
    });
    await expect(sut.run('alice', undefined, BODY, operation)).resolves.toEqual({
      ...answerOf('job-2'),
      replayed: false,
    });
    expect(repository.records.size).toBe(0);
  });

  it('claims the key for claimSeconds, runs, and keeps the answer for keyTtlSeconds', async () => {
    clock.now = T0 + 999; // seconds are whole: 999 ms later is still the same second
    const claim = jest.spyOn(repository, 'claim');

    const outcome = await sut.run('alice', KEY, BODY, operation);

    expect(outcome).toEqual({ ...answerOf('job-1'), replayed: false });
    const now = T0 / 1000;
    expect(claim).toHaveBeenCalledWith({
      ownerId: 'alice',
      key: KEY,
      fingerprint: requestFingerprint(BODY),
      claimToken: expect.stringMatching(/^[0-9a-f-]{36}$/),
      expiresAt: now + config.claimSeconds,
      now,
      createdAt: new Date(T0 + 999).toISOString(),
    });
    expect(await repository.get('alice', KEY)).toEqual({
      ownerId: 'alice',
      key: KEY,
      fingerprint: requestFingerprint(BODY),
      state: IdempotencyState.Completed,
      claimToken: claim.mock.calls[0]![0].claimToken,
      expiresAt: now + config.keyTtlSeconds,
      createdAt: new Date(T0 + 999).toISOString(),
      answer: { status: 202, body: JSON.stringify(answerOf('job-1').body), location: '/v1/jobs/job-1' },
    });
  });

  it('replays the first answer exactly for the same key and body, without running again', async () => {
    await sut.run('alice', KEY, BODY, operation);
    clock.now += 3_600_000;

    const replayed = await sut.run('alice', KEY, { width: 512, prompt: 'a red fox' }, operation);

    expect(replayed).toEqual({ ...answerOf('job-1'), replayed: true });
    expect(JSON.stringify(replayed.body)).toBe(JSON.stringify(answerOf('job-1').body));
    expect(operation).toHaveBeenCalledTimes(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('stores and replays an answer without a location as such', async () => {
    const noLocation = jest.fn(async () => ({ status: 201, body: { ok: true } }));
    await expect(sut.run('alice', KEY, BODY, noLocation)).resolves.toEqual({
      status: 201,
      body: { ok: true },
      replayed: false,
    });
    expect((await repository.get('alice', KEY))?.answer).toStrictEqual({ status: 201, body: '{"ok":true}' });
    const replayed = await sut.run('alice', KEY, BODY, noLocation);
    expect(replayed).toEqual({ status: 201, body: { ok: true }, replayed: true });
    expect(replayed).not.toHaveProperty('location');
  });

  it('refuses the same key with another body: 422, nothing run', async () => {
    await sut.run('alice', KEY, BODY, operation);

    const refused = sut.run('alice', KEY, { ...BODY, width: 768 }, operation);

    await expect(refused).rejects.toMatchObject({
      problem: { status: 422, type: '/problems/idempotency-key-reused' },
    });
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it('refuses another body while the first request is still running too', async () => {
    repository.put({ ownerId: 'alice', key: KEY, fingerprint: requestFingerprint({ prompt: 'other' }) });
    await expect(sut.run('alice', KEY, BODY, operation)).rejects.toMatchObject({ problem: { status: 422 } });
    expect(clock.sleeps).toEqual([]);
  });

  it('keeps keys per user: the same key from another user is another request', async () => {
    await sut.run('alice', KEY, BODY, operation);
    const bobs = await sut.run('bob', KEY, { prompt: 'something else' }, operation);
    expect(bobs).toEqual({ ...answerOf('job-2'), replayed: false });
  });

  describe('expiry', () => {
    it('still replays a record that expires this very second', async () => {
      await sut.run('alice', KEY, BODY, operation);
      clock.now = T0 + config.keyTtlSeconds * 1000 + 999;
      await expect(sut.run('alice', KEY, BODY, operation)).resolves.toMatchObject({ replayed: true });
      expect(operation).toHaveBeenCalledTimes(1);
    });

    it('runs again once the record has expired, whatever body it had', async () => {
      await sut.run('alice', KEY, BODY, operation);
      clock.now = T0 + (config.keyTtlSeconds + 1) * 1000;
      await expect(sut.run('alice', KEY, { prompt: 'new' }, operation)).resolves.toEqual({
        ...answerOf('job-2'),
        replayed: false,
      });
    });

    it('takes an expired record read after a lost claim as absent, and claims again', async () => {
      const repo = automock(IdempotencyRepository);
      const expired = { fingerprint: 'other', state: IdempotencyState.Completed, expiresAt: T0 / 1000 - 1 };
      repo.claim.mockResolvedValueOnce(false).mockResolvedValueOnce(true);
      repo.get.mockResolvedValue({ ...expired, answer: { status: 202, body: '{}' } } as IdempotencyRecord);
      repo.complete.mockResolvedValue(true);

      await expect(service(repo).run('alice', KEY, BODY, operation)).resolves.toMatchObject({ replayed: false });
      expect(repo.claim).toHaveBeenCalledTimes(2);
      expect(operation).toHaveBeenCalledTimes(1);
    });

    it('frees the key of a request that never finished once its claim expires', async () => {
      repository.put({ ownerId: 'alice', key: KEY, expiresAt: T0 / 1000 - 1 });
      await expect(sut.run('alice', KEY, BODY, operation)).resolves.toMatchObject({ replayed: false });
    });
  });

  describe('a request with the key of one still running', () => {
    beforeEach(() => {
      repository.put({ ownerId: 'alice', key: KEY, claimToken: 'first' });
    });

    it('polls with backoff and replays the answer once the first completes', async () => {
      clock.onSleep = () => {
        if (clock.sleeps.length === 5) {
          void repository.complete(
            'alice',
            KEY,
            'first',
            { status: 202, body: '{"jobId":"first"}', location: '/x' },
            T0 / 1000 + 60,
          );
        }
      };
      const outcome = await sut.run('alice', KEY, BODY, operation);
      expect(outcome).toEqual({ status: 202, body: { jobId: 'first' }, location: '/x', replayed: true });
      expect(clock.sleeps).toEqual([FIRST_POLL_MS, 100, 200, 400, MAX_POLL_MS]);
      expect(operation).not.toHaveBeenCalled();
    });

    it('answers 409 with Retry-After after waitMs, having waited exactly that long', async () => {
      const refused = sut.run('alice', KEY, BODY, operation);
      await expect(refused).rejects.toMatchObject({
        problem: { status: 409, type: '/problems/idempotency-key-in-use' },
        headers: { 'retry-after': '1' },
      });
      expect(clock.now - T0).toBe(config.waitMs);
      // 50+100+200+400 then 500s, the last one cut to the time left
      expect(clock.sleeps).toEqual([50, 100, 200, 400, 500, 500, 500, 500, 250]);
      expect(operation).not.toHaveBeenCalled();
    });

    it('runs itself when the first one gives the key up meanwhile', async () => {
      clock.onSleep = () => void repository.release('alice', KEY, 'first');
      await expect(sut.run('alice', KEY, BODY, operation)).resolves.toEqual({ ...answerOf('job-1'), replayed: false });
      expect(clock.sleeps).toEqual([FIRST_POLL_MS]);
    });

    it('runs itself when the key is released between its claim and its read', async () => {
      repository.afterFailedClaim = () => void repository.release('alice', KEY, 'first');
      await expect(sut.run('alice', KEY, BODY, operation)).resolves.toMatchObject({ replayed: false });
    });
  });

  describe('an error answer', () => {
    it('releases the key, so that a retry with it runs again', async () => {
      const unavailable = new Error('SageMaker refused');
      operation.mockRejectedValueOnce(unavailable);

      await expect(sut.run('alice', KEY, BODY, operation)).rejects.toBe(unavailable);
      expect(repository.records.size).toBe(0);
      await expect(sut.run('alice', KEY, BODY, operation)).resolves.toEqual({ ...answerOf('job-1'), replayed: false });
    });

    it('still reaches the client when the release fails; the claim then frees the key when it expires', async () => {
      const repo = automock(IdempotencyRepository);
      repo.claim.mockResolvedValue(true);
      repo.release.mockRejectedValue(new Error('DynamoDB down'));
      const refused = new Error('refused');
      operation.mockRejectedValueOnce(refused);

      await expect(service(repo).run('alice', KEY, BODY, operation)).rejects.toBe(refused);
      expect(repo.release).toHaveBeenCalledWith('alice', KEY, repo.claim.mock.calls[0]![0].claimToken);
      expect(logger.error).toHaveBeenCalledWith(
        expect.objectContaining({ idempotencyKey: KEY }),
        'could not release the idempotency key',
      );
    });
  });

  describe('when the answer cannot be stored', () => {
    it('still answers when the write fails', async () => {
      const repo = automock(IdempotencyRepository);
      repo.claim.mockResolvedValue(true);
      repo.complete.mockRejectedValue(new Error('DynamoDB down'));
      await expect(service(repo).run('alice', KEY, BODY, operation)).resolves.toEqual({
        ...answerOf('job-1'),
        replayed: false,
      });
      expect(logger.error).toHaveBeenCalledWith(
        expect.objectContaining({ idempotencyKey: KEY }),
        'could not store the answer for this idempotency key',
      );
    });

    it('still answers when the claim was lost (it expired and another request took the key)', async () => {
      const repo = automock(IdempotencyRepository);
      repo.claim.mockResolvedValue(true);
      repo.complete.mockResolvedValue(false);
      await expect(service(repo).run('alice', KEY, BODY, operation)).resolves.toMatchObject({ replayed: false });
      expect(logger.warn).toHaveBeenCalledWith(
        { idempotencyKey: KEY },
        'the claim on this idempotency key expired before its answer',
      );
      expect(logger.error).not.toHaveBeenCalled();
    });

    it('does not warn when the answer was stored', async () => {
      await sut.run('alice', KEY, BODY, operation);
      expect(logger.warn).not.toHaveBeenCalled();
    });
  });

  it('waits for a completed record without an answer like for one in progress', async () => {
    repository.put({ ownerId: 'alice', key: KEY, state: IdempotencyState.Completed });
    await expect(sut.run('alice', KEY, BODY, operation)).rejects.toMatchObject({ problem: { status: 409 } });
  });

  it('replays only a completed record', async () => {
    const answer = { status: 202, body: '{}' };
    repository.put({ ownerId: 'alice', key: KEY, state: IdempotencyState.InProgress, answer });
    await expect(sut.run('alice', KEY, BODY, operation)).rejects.toMatchObject({ problem: { status: 409 } });
  });

  it('gives each request its own claim token', async () => {
    const claim = jest.spyOn(repository, 'claim');
    await sut.run('alice', 'k1', BODY, operation);
    await sut.run('alice', 'k2', BODY, operation);
    expect(claim.mock.calls[0]![0].claimToken).not.toBe(claim.mock.calls[1]![0].claimToken);
  });

  it('uses the system clock by default', async () => {
    const claim = jest.spyOn(repository, 'claim');
    const before = Math.floor(Date.now() / 1000);
    await new IdempotencyService(repository as unknown as IdempotencyRepository, logger as unknown as PinoLogger, {
      idempotency: config,
    }).run('alice', KEY, BODY, operation);
    expect(claim.mock.calls[0]![0].now).toBeGreaterThanOrEqual(before);
    expect(claim.mock.calls[0]![0].now).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it('really waits with the system clock before a 409', async () => {
    repository.put({ ownerId: 'alice', key: KEY, expiresAt: Math.floor(Date.now() / 1000) + 60 });
    const started = performance.now();
    await expect(
      new IdempotencyService(repository as unknown as IdempotencyRepository, logger as unknown as PinoLogger, {
        idempotency: { ...config, waitMs: 120 },
      }).run('alice', KEY, BODY, operation),
    ).rejects.toMatchObject({ problem: { status: 409 } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  });
});
