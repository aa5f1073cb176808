import type { JobProgressService } from '../progress/job-progress.service.js';
import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { type PinoLogger } from 'nestjs-pino';
import {
  DependencyUnavailableError,
  InferenceClient,
  InferenceError,
  InferenceErrorCode,
  InvocationUnconfirmedError,
  JobRepository,
  ObjectStore,
} from '#libs/aws';
import { type Job, JobErrorCode, JobStatus, JobSubmission } from '#libs/contracts';
import { ModelCatalog, ModelParamsError } from '#libs/models';
import { type AutoMocked, automock, JobFactory } from '#libs/testing';
import type { ApiConfig } from '../config/api.config.js';
import { DEFAULT_JOB_LIFETIME } from './lifetime/job-lifetime.config.js';
import { Admission, JobAdmission } from '../limits/job-admission.js';
import { ProblemException } from '../problem/problem.js';
import { type BudgetService, budgetReservation } from '../usage/budget.service.js';
import { InvalidCursorError, JobCursorCodec } from './job-cursor.js';
import { JobsService } from './jobs.service.js';

const config = {
  resources: { requestsBucket: 'requests', imagesBucket: 'images' },
  jobs: { cursorSecret: 'a-test-secret-of-thirty-two-char' },
  lifetime: DEFAULT_JOB_LIFETIME,
} as ApiConfig;
const alice = { id: 'alice-id', username: 'alice', groups: [] };
const ada = { id: 'ada-id', username: 'ada', groups: ['admin'] };

describe(JobsService.name, () => {
  let sut: JobsService;
  let jobs: AutoMocked<JobRepository>;
  let objects: AutoMocked<ObjectStore>;
  let inference: AutoMocked<InferenceClient>;
  let logger: { setContext: jest.Mock; assign: jest.Mock; info: jest.Mock; error: jest.Mock; warn: jest.Mock };
  let finalListener: { jobFinal: jest.Mock<(job: Job) => Promise<void>> };
  let budget: { reserve: jest.Mock<BudgetService['reserve']> };
  let release: jest.Mock<() => Promise<void>>;
  let admission: AutoMocked<JobAdmission>;
  let giveBack: jest.Mock<() => Promise<void>>;

  beforeEach(() => {
    jobs = automock(JobRepository);
    objects = automock(ObjectStore);
    inference = automock(InferenceClient);
    logger = { setContext: jest.fn(), assign: jest.fn(), info: jest.fn(), error: jest.fn(), warn: jest.fn() };
    finalListener = { jobFinal: jest.fn<(job: Job) => Promise<void>>().mockResolvedValue(undefined) };
    release = jest.fn<() => Promise<void>>().mockResolvedValue(undefined);
    budget = {
      reserve: jest
        .fn<BudgetService['reserve']>()
        .mockResolvedValue(budgetReservation({ gpuSeconds: 9.4, micros: 3677, usd: 0.003677 }, 11, release)),
    };
    admission = automock(JobAdmission);
    giveBack = jest.fn<() => Promise<void>>().mockResolvedValue(undefined);
    admission.admit.mockImplementation(async () => new Admission(giveBack));
    sut = new JobsService(
      jobs as unknown as JobRepository,
      objects as unknown as ObjectStore,
      inference as unknown as InferenceClient,
      ModelCatalog.builtIn(),
      logger as unknown as PinoLogger,
      config,
      [finalListener],
      admission as unknown as JobAdmission,
      budget as unknown as BudgetService,
      { coldAtSubmit: async () => false } as unknown as JobProgressService,
    );
  });

  describe('create', () => {
    function storesSucceed(): void {
      objects.put.mockResolvedValue(undefined);
      jobs.create.mockResolvedValue(undefined);
    }

    it('stores the request, writes the job QUEUED, then invokes the endpoint with the job id', async () => {
      const order: string[] = [];
      objects.put.mockImplementation(async () => void order.push('put-request'));
      jobs.create.mockImplementation(async () => void order.push('create-job'));
      inference.invokeAsync.mockImplementation(async (invocation) => {
        order.push('invoke');
        return { inferenceId: invocation.inferenceId, outputLocation: 's3://outputs/async-out/x.out' };
      });
      jobs.recordInvocation.mockImplementation(async (written, record) => ({
        ...written,
        submission: record.submission,
        outputLocation: 's3://outputs/async-out/x.out',
      }));

      const job = await sut.create(alice, { prompt: 'a red fox', width: 512, height: 512, seed: 7 });

      expect(order).toEqual(['put-request', 'create-job', 'invoke']);
      const stored = jobs.create.mock.calls[0]![0];
      expect(stored).toMatchObject({ ownerId: 'alice-id', status: JobStatus.Queued, inferenceId: stored.jobId });
      expect(stored.jobId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(stored.params).toMatchObject({ prompt: 'a red fox', width: 512, height: 512, seed: 7 });
      expect(objects.put.mock.calls[0]![0]).toEqual({ bucket: 'requests', key: `requests/${stored.jobId}.json` });
      expect(inference.invokeAsync.mock.calls[0]![0]).toMatchObject({
        inferenceId: stored.jobId,
        inputLocation: `s3://requests/requests/${stored.jobId}.json`,
        endpointName: stored.endpointName,
      });
      expect(jobs.recordInvocation).toHaveBeenCalledWith(stored, {
        submission: JobSubmission.Confirmed,
        at: expect.any(String),
        outputLocation: 's3://outputs/async-out/x.out',
      });
      expect(jobs.transition).not.toHaveBeenCalled();
      expect(job).toMatchObject({ submission: 'confirmed', outputLocation: 's3://outputs/async-out/x.out' });
    });

    it('gives the job its deadline and retention, and SageMaker the time left until the deadline', async () => {
      storesSucceed();
      inference.invokeAsync.mockResolvedValue({ inferenceId: 'x', outputLocation: 's3://outputs/async-out/x.out' });
      jobs.recordInvocation.mockResolvedValue(undefined);

      await sut.create(alice, { prompt: 'a red fox', timeoutSeconds: 120 });

      const stored = jobs.create.mock.calls[0]![0];
      expect(stored.timeoutSeconds).toBe(120);
      expect(Date.parse(stored.deadlineAt!) - Date.parse(stored.createdAt)).toBe(120_000);
      expect(stored.expiresAt).toBe(Math.ceil(Date.parse(stored.createdAt) / 1000) + 30 * 86_400);
      const { requestTtlSeconds, invocationTimeoutSeconds } = inference.invokeAsync.mock.calls[0]![0];
      expect(invocationTimeoutSeconds).toBeGreaterThan(110);
      expect(invocationTimeoutSeconds).toBeLessThanOrEqual(120);
      expect(requestTtlSeconds).toBe(invocationTimeoutSeconds);
    });

    it('names timeoutSeconds among the bad fields, with the others, before writing anything', async () => {
      const refused = await sut
        .create(alice, { prompt: 'x', steps: 10_000, timeoutSeconds: 5 })
        .catch((error: unknown) => error);
      expect((refused as ModelParamsError).errors.map((error) => error.field)).toEqual(['steps', 'timeoutSeconds']);
      expect(objects.put).not.toHaveBeenCalled();
    });

    it('records the API key a job was submitted with (and none for a signed-in user)', async () => {
      storesSucceed();
      inference.invokeAsync.mockResolvedValue({ inferenceId: 'x', outputLocation: 's3://outputs/async-out/x.out' });
      await sut.create({ ...alice, apiKey: { id: 'key-1', scopes: ['jobs:write'] } }, { prompt: 'a red fox' });
      await sut.create(alice, { prompt: 'a red fox' });
      expect(jobs.create.mock.calls[0]![0].apiKeyId).toBe('key-1');
      expect(jobs.create.mock.calls[1]![0]).not.toHaveProperty('apiKeyId');
    });

    it('still answers with the job when recording the invocation fails after SageMaker took it', async () => {
      storesSucceed();
      inference.invokeAsync.mockResolvedValue({ inferenceId: 'x', outputLocation: 's3://outputs/async-out/x.out' });
      jobs.recordInvocation.mockRejectedValue(new DependencyUnavailableError('DynamoDB', 'throttled'));
      const job = await sut.create(alice, { prompt: 'a red fox' });
      expect(job).toMatchObject({ status: JobStatus.Queued, submission: 'confirmed' });
      expect(jobs.recordInvocation).toHaveBeenCalledTimes(1);
    });

    it('rejects parameters the model cannot take before writing anything', async () => {
      const unknown = await sut
        .create(alice, { prompt: 'x', modelId: 'no-such-model' })
        .catch((error: unknown) => error);
      expect(unknown).toBeInstanceOf(ModelParamsError);
      expect((unknown as ModelParamsError).errors.map((error) => error.field)).toEqual(['modelId']);
      await expect(sut.create(alice, { prompt: 'x', steps: 10_000 })).rejects.toBeInstanceOf(ModelParamsError);
      expect(objects.put).not.toHaveBeenCalled();
      expect(jobs.create).not.toHaveBeenCalled();
      expect(admission.admit).not.toHaveBeenCalled();
    });

    it('writes no job when the request cannot be stored, and gives the budget hold and the quota back', async () => {
      objects.put.mockRejectedValue(new DependencyUnavailableError('S3', 'S3 is unavailable'));
      await expect(sut.create(alice, { prompt: 'x' })).rejects.toBeInstanceOf(DependencyUnavailableError);
      expect(jobs.create).not.toHaveBeenCalled();
      expect(release).toHaveBeenCalledTimes(1);
      expect(giveBack).toHaveBeenCalledTimes(1);
    });

    it('reserves the job’s estimate under its id and month before any write, and keeps it once the job exists', async () => {
      storesSucceed();
      inference.invokeAsync.mockResolvedValue({ inferenceId: 'x', outputLocation: 's3://outputs/x.out' });
      jobs.recordInvocation.mockResolvedValue(undefined);
      budget.reserve.mockImplementation(async () => {
        expect(objects.put).not.toHaveBeenCalled();
        return budgetReservation({ gpuSeconds: 1, micros: 1, usd: 0.000001 }, 7, release);
      });
      await sut.create(alice, { prompt: 'x', steps: 12 });
      const stored = jobs.create.mock.calls[0]![0];
      expect(budget.reserve).toHaveBeenCalledWith(alice, {
        jobId: stored.jobId,
        params: stored.params,
        createdAt: stored.createdAt,
      });
      expect(release).not.toHaveBeenCalled();
      // the worker settles the platform's hold in the shard that took it
      expect(stored.usageShard).toBe(7);
    });

    it('writes nothing when the budget refuses the job, and gives the quota back', async () => {
      budget.reserve.mockRejectedValue(
        ProblemException.budgetExhausted('user', new Date('2026-12-01T00:00:00Z'), new Date('2026-11-30T00:00:00Z')),
      );
      await expect(sut.create(alice, { prompt: 'x' })).rejects.toMatchObject({
        problem: { status: 429, type: '/problems/budget-exhausted' },
      });
      expect(objects.put).not.toHaveBeenCalled();
      expect(jobs.create).not.toHaveBeenCalled();
      expect(giveBack).toHaveBeenCalledTimes(1);
    });

    it('gives the hold and the quota back when the job row cannot be written', async () => {
      objects.put.mockResolvedValue(undefined);
      jobs.create.mockRejectedValue(new DependencyUnavailableError('DynamoDB', 'throttled'));
      await expect(sut.create(alice, { prompt: 'x' })).rejects.toBeInstanceOf(DependencyUnavailableError);
      expect(release).toHaveBeenCalledTimes(1);
      expect(giveBack).toHaveBeenCalledTimes(1);
      expect(inference.invokeAsync).not.toHaveBeenCalled();
    });

    it('takes the quota for the new job id before writing anything, and writes nothing when it is refused', async () => {
      const order: string[] = [];
      admission.admit.mockImplementation(async () => {
        order.push('admit');
        return new Admission(giveBack);
      });
      objects.put.mockImplementation(async () => void order.push('put-request'));
      jobs.create.mockImplementation(async () => void order.push('create-job'));
      inference.invokeAsync.mockResolvedValue({ inferenceId: 'x', outputLocation: 's3://outputs/x.out' });
      jobs.recordInvocation.mockResolvedValue(undefined);
      await sut.create(alice, { prompt: 'x' });
      expect(order).toEqual(['admit', 'put-request', 'create-job']);
      expect(admission.admit).toHaveBeenCalledWith(alice, jobs.create.mock.calls[0]![0].jobId);
      expect(giveBack).not.toHaveBeenCalled();

      jobs.create.mockClear();
      admission.admit.mockRejectedValue(new ProblemException({ type: 'q', title: 'q', status: 429, detail: 'q' }));
      await expect(sut.create(alice, { prompt: 'x' })).rejects.toBeInstanceOf(ProblemException);
      expect(jobs.create).not.toHaveBeenCalled();
    });

    describe('when SageMaker gives no definite answer', () => {
      it.each([
        ['a timeout', new InvocationUnconfirmedError('timeout', 'no answer in time')],
        ['a connection lost after sending', new InvocationUnconfirmedError('connection-lost', 'socket hang up')],
        ['a 5xx', new InvocationUnconfirmedError('server-error', 'SageMaker answered 500')],
        ['an error nobody classified', new Error('something odd')],
      ])('after %s it leaves the job QUEUED, records it unconfirmed and answers so', async (_label, error) => {
        storesSucceed();
        inference.invokeAsync.mockRejectedValue(error);
        jobs.recordInvocation.mockImplementation(async (written, record) => ({
          ...written,
          submission: record.submission,
        }));

        const job = await sut.create(alice, { prompt: 'x' });

        expect(job).toMatchObject({ status: JobStatus.Queued, submission: 'unconfirmed' });
        expect(jobs.recordInvocation).toHaveBeenCalledWith(jobs.create.mock.calls[0]![0], {
          submission: JobSubmission.Unconfirmed,
          at: expect.any(String),
        });
        expect(jobs.transition).not.toHaveBeenCalled();
        expect(logger.warn).toHaveBeenCalled();
      });

      it('still answers unconfirmed when that cannot be written down', async () => {
        storesSucceed();
        inference.invokeAsync.mockRejectedValue(new InvocationUnconfirmedError('timeout', 'no answer in time'));
        jobs.recordInvocation.mockRejectedValue(new DependencyUnavailableError('DynamoDB', 'throttled'));
        await expect(sut.create(alice, { prompt: 'x' })).resolves.toMatchObject({
          status: JobStatus.Queued,
          submission: 'unconfirmed',
        });
        expect(jobs.transition).not.toHaveBeenCalled();
      });
    });

    async function refusedWith(error: InferenceError): Promise<{ exception: ProblemException; jobId: string }> {
      storesSucceed();
      inference.invokeAsync.mockRejectedValue(error);
      jobs.transition.mockResolvedValue(undefined);
      const failure = await sut.create(alice, { prompt: 'x' }).catch((thrown: unknown) => thrown);
      expect(failure).toBeInstanceOf(ProblemException);
      return { exception: failure as ProblemException, jobId: jobs.create.mock.calls[0]![0].jobId };
    }

    it('marks the job FAILED and answers 503 with Retry-After when SageMaker cannot take it now', async () => {
      const { exception, jobId } = await refusedWith(
        new InferenceError(InferenceErrorCode.Unavailable, 'connection refused'),
      );

      expect(exception.problem).toMatchObject({ status: 503, type: '/problems/dependency-unavailable', jobId });
      expect(exception.headers).toEqual({ 'retry-after': '5' });
      expect(jobs.transition).toHaveBeenCalledWith(
        expect.objectContaining({
          job: expect.objectContaining({ jobId }),
          from: [JobStatus.Queued],
          to: JobStatus.Failed,
        }),
      );
      expect(jobs.transition.mock.calls[0]![0].set?.error?.code).toBe(JobErrorCode.InferenceUnavailable);
      // it never ran: it costs nothing, and its hold is settled (to 0) by the final-state listeners, not released
      expect(jobs.transition.mock.calls[0]![0].set?.cost).toEqual({ gpuSeconds: 0, usd: 0 });
      expect(release).not.toHaveBeenCalled();
      expect(jobs.recordInvocation).not.toHaveBeenCalled();
      // the job exists (FAILED): its day's quota stays taken, its slot in flight goes with its final state
      expect(giveBack).not.toHaveBeenCalled();
    });

    it('tells the final-state listeners about the FAILED job, and nobody when the job was not marked', async () => {
      const failedJob = JobFactory.create({ status: JobStatus.Failed });
      jobs.transition.mockResolvedValueOnce(failedJob);
      await refusedWith(new InferenceError(InferenceErrorCode.Unavailable, 'connection refused'));
      expect(finalListener.jobFinal.mock.calls).toEqual([[failedJob]]);

      finalListener.jobFinal.mockClear();
      jobs.transition.mockResolvedValueOnce(undefined);
      await refusedWith(new InferenceError(InferenceErrorCode.Unavailable, 'connection refused'));
      expect(finalListener.jobFinal).not.toHaveBeenCalled();
    });

    it.each([
      [InferenceErrorCode.EndpointNotFound, 'Endpoint imggen-sdxl of account 1 not found.'],
      [InferenceErrorCode.Rejected, 'Invalid InputLocation'],
    ])(
      'marks the job FAILED with %s and answers 500 "model misconfigured" without Retry-After',
      async (code, message) => {
        const { exception, jobId } = await refusedWith(new InferenceError(code, message));

        expect(exception.problem).toMatchObject({
          status: 500,
          type: '/problems/model-misconfigured',
          title: 'Model misconfigured',
          jobId,
        });
        expect(exception.problem.detail).toContain('misconfigured');
        expect(exception.problem.detail).toContain(code);
        expect(exception.problem.detail).not.toContain(message);
        expect(exception.headers).toEqual({});
        expect(jobs.transition.mock.calls[0]![0]).toMatchObject({
          job: { jobId },
          to: JobStatus.Failed,
          set: { error: { code } },
        });
        expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ code }), expect.any(String));
      },
    );
  });

  describe('get', () => {
    it('returns the caller’s own job', async () => {
      const job = JobFactory.create({ ownerId: alice.id });
      jobs.get.mockResolvedValue(job);
      await expect(sut.get(alice, job.jobId)).resolves.toBe(job);
    });

    it('answers 404 for another user’s job exactly as for a missing one', async () => {
      const job = JobFactory.create({ ownerId: 'bob-id' });
      jobs.get.mockResolvedValueOnce(job).mockResolvedValueOnce(undefined);
      const other = await sut.get(alice, job.jobId).catch((error: unknown) => error);
      const missing = await sut.get(alice, job.jobId).catch((error: unknown) => error);
      expect((other as ProblemException).problem.status).toBe(404);
      expect((missing as ProblemException).problem.status).toBe(404);
    });

    it('returns any user’s job to an administrator, and 404 for a missing one', async () => {
      const job = JobFactory.create({ ownerId: 'bob-id' });
      jobs.get.mockResolvedValueOnce(job).mockResolvedValueOnce(undefined);
      await expect(sut.get(ada, job.jobId)).resolves.toBe(job);
      const missing = await sut.get(ada, job.jobId).catch((error: unknown) => error);
      expect((missing as ProblemException).problem.status).toBe(404);
    });

    it('does not take a group merely named like admin for the admin group', async () => {
      const job = JobFactory.create({ ownerId: 'bob-id' });
      jobs.get.mockResolvedValue(job);
      for (const groups of [['Admin'], ['admins'], ['ADMIN'], [' admin']]) {
        const failure = await sut.get({ ...alice, groups }, job.jobId).catch((error: unknown) => error);
        expect((failure as ProblemException).problem.status).toBe(404);
      }
    });
  });

  describe('list', () => {
    const cursors = new JobCursorCodec(config.jobs.cursorSecret);
    const page = (count: number) =>
      Array.from({ length: count }, () => JobFactory.create({ ownerId: alice.id })).reverse();

    it('lists only the caller’s jobs with the default page size, and no cursor on the last page', async () => {
      const jobs3 = page(3);
      jobs.listByOwner.mockResolvedValue({ jobs: jobs3, hasMore: false });
      await expect(sut.list(alice, { status: JobStatus.Succeeded })).resolves.toEqual({ jobs: jobs3 });
      expect(jobs.listByOwner).toHaveBeenCalledWith('alice-id', {
        limit: 20,
        status: JobStatus.Succeeded,
        after: undefined,
      });
    });

    it('hands out a cursor to resume after the last job, bound to the caller and the filter', async () => {
      const jobs2 = page(2);
      jobs.listByOwner.mockResolvedValue({ jobs: jobs2, hasMore: true });
      const first = await sut.list(alice, { limit: 2, status: JobStatus.Failed });
      expect(first.jobs).toBe(jobs2);
      expect(first.nextCursor).toBe(cursors.encode({ ownerId: alice.id, status: JobStatus.Failed }, jobs2[1]!.jobId));

      await sut.list(alice, { limit: 2, status: JobStatus.Failed, cursor: first.nextCursor! });
      expect(jobs.listByOwner).toHaveBeenLastCalledWith('alice-id', {
        limit: 2,
        status: JobStatus.Failed,
        after: jobs2[1]!.jobId,
      });
    });

    it('binds an unfiltered listing’s cursor to no filter', async () => {
      const jobs1 = page(1);
      jobs.listByOwner.mockResolvedValue({ jobs: jobs1, hasMore: true });
      const { nextCursor } = await sut.list(alice, { limit: 1 });
      expect(cursors.decode(nextCursor!, { ownerId: alice.id })).toBe(jobs1[0]!.jobId);
    });

    it.each([
      ['another user’s cursor', cursors.encode({ ownerId: 'bob-id' }, '01JD5Z8Q4W3X2Y1Z0A9B8C7D6E'), undefined],
      ['a cursor of another filter', cursors.encode({ ownerId: alice.id }, '01JD5Z8Q4W3X2Y1Z0A9B8C7D6E'), 'FAILED'],
      ['an empty cursor', '', undefined],
      ['garbage', 'eyJvd25lcklkIjoiYWxpY2UtaWQifQ', undefined],
    ])('refuses %s without reading the table', async (_label, cursor, status) => {
      await expect(sut.list(alice, { cursor, status: status as JobStatus | undefined })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
      expect(jobs.listByOwner).not.toHaveBeenCalled();
    });

    describe('owner (administrators only)', () => {
      it('lists another user’s jobs for an administrator, with a cursor bound to that owner and filter', async () => {
        const jobs2 = page(2);
        jobs.listByOwner.mockResolvedValue({ jobs: jobs2, hasMore: true });
        const first = await sut.list(ada, { owner: 'bob-id', limit: 2, status: JobStatus.Failed });
        expect(jobs.listByOwner).toHaveBeenCalledWith('bob-id', {
          limit: 2,
          status: JobStatus.Failed,
          after: undefined,
        });
        expect(cursors.decode(first.nextCursor!, { ownerId: 'bob-id', status: JobStatus.Failed })).toBe(
          jobs2[1]!.jobId,
        );

        await sut.list(ada, { owner: 'bob-id', limit: 2, status: JobStatus.Failed, cursor: first.nextCursor! });
        expect(jobs.listByOwner).toHaveBeenLastCalledWith('bob-id', {
          limit: 2,
          status: JobStatus.Failed,
          after: jobs2[1]!.jobId,
        });
        // the cursor continues bob's listing only, not the administrator's own nor another owner's
        for (const options of [{}, { owner: 'carol-id' }]) {
          await expect(
            sut.list(ada, { ...options, status: JobStatus.Failed, cursor: first.nextCursor! }),
          ).rejects.toBeInstanceOf(InvalidCursorError);
        }
      });

      it('lists an administrator’s own jobs when owner is left out', async () => {
        jobs.listByOwner.mockResolvedValue({ jobs: [], hasMore: false });
        await sut.list(ada, {});
        expect(jobs.listByOwner).toHaveBeenCalledWith('ada-id', expect.anything());
      });

      it.each([
        ['another user', 'bob-id'],
        ['the caller themself', 'alice-id'],
      ])('answers 403 naming owner when an ordinary user names %s, reading nothing', async (_label, owner) => {
        const failure = await sut.list(alice, { owner }).catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(ProblemException);
        expect((failure as ProblemException).problem).toMatchObject({
          status: 403,
          type: '/problems/forbidden',
          errors: [{ field: 'owner', message: expect.stringContaining('administrators') }],
        });
        expect(jobs.listByOwner).not.toHaveBeenCalled();
      });
    });
  });
});
