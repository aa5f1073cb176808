import type { JobProgressService } from '../progress/job-progress.service.js';
import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { type PinoLogger } from 'nestjs-pino';
import {
  BatchRepository,
  DependencyUnavailableError,
  InferenceClient,
  InferenceError,
  InferenceErrorCode,
  JobRepository,
  ObjectStore,
} from '#libs/aws';
import { type Job, JobErrorCode, JobStatus } from '#libs/contracts';
import { ModelCatalog, ModelParamsError } from '#libs/models';
import { type AutoMocked, automock } from '#libs/testing';
import type { ApiConfig } from '../config/api.config.js';
import { DEFAULT_JOB_LIFETIME } from '../jobs/lifetime/job-lifetime.config.js';
import { JobsService } from '../jobs/jobs.service.js';
import { BatchAdmission, JobAdmission } from '../limits/job-admission.js';
import { ProblemException } from '../problem/problem.js';
import type { BudgetService } from '../usage/budget.service.js';
import { BatchesService } from './batches.service.js';
import type { CreateBatchDto } from './dto/create-batch.dto.js';

const alice = { id: 'alice-id', username: 'alice', groups: [] };
const bob = { id: 'bob-id', username: 'bob', groups: [] };
const ada = { id: 'ada-id', username: 'ada', groups: ['admin'] };

const configWith = (invokeConcurrency: number): ApiConfig =>
  ({
    resources: { requestsBucket: 'requests', imagesBucket: 'images' },
    jobs: { cursorSecret: 'a-test-secret-of-thirty-two-char' },
    lifetime: DEFAULT_JOB_LIFETIME,
    batches: { invokeConcurrency },
  }) as ApiConfig;

const batchOf = (count: number, extra: Partial<CreateBatchDto> = {}): CreateBatchDto => ({
  prompts: Array.from({ length: count }, (_, index) => `prompt ${index}`),
  ...extra,
});

/** Resolves after the current macrotask queue: lets every call that can start, start. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe(BatchesService.name, () => {
  let jobs: AutoMocked<JobRepository>;
  let objects: AutoMocked<ObjectStore>;
  let inference: AutoMocked<InferenceClient>;
  let batches: AutoMocked<BatchRepository>;
  let admission: AutoMocked<JobAdmission>;
  let giveBack: jest.Mock<(jobIds: readonly string[]) => Promise<void>>;
  let budget: { reserveBatch: jest.Mock<BudgetService['reserveBatch']> };
  let releaseHolds: jest.Mock<(jobIds: readonly string[]) => Promise<void>>;
  let finalListener: { jobFinal: jest.Mock<(job: Job) => Promise<void>> };
  let logger: PinoLogger;

  beforeEach(() => {
    jobs = automock(JobRepository);
    objects = automock(ObjectStore);
    inference = automock(InferenceClient);
    batches = automock(BatchRepository);
    admission = automock(JobAdmission);
    giveBack = jest.fn<(jobIds: readonly string[]) => Promise<void>>().mockResolvedValue(undefined);
    admission.admitBatch.mockImplementation(async () => new BatchAdmission(giveBack));
    releaseHolds = jest.fn<(jobIds: readonly string[]) => Promise<void>>().mockResolvedValue(undefined);
    budget = {
      reserveBatch: jest
        .fn<BudgetService['reserveBatch']>()
        .mockResolvedValue({ platformShard: 5, release: releaseHolds }),
    };
    finalListener = { jobFinal: jest.fn<(job: Job) => Promise<void>>().mockResolvedValue(undefined) };
    logger = {
      setContext: jest.fn(),
      assign: jest.fn(),
      info: jest.fn(),
      warn: jest.fn(),
      error: jest.fn(),
    } as unknown as PinoLogger;
    objects.put.mockResolvedValue(undefined);
    jobs.create.mockResolvedValue(undefined);
    batches.create.mockResolvedValue(undefined);
    jobs.recordInvocation.mockResolvedValue(undefined);
    inference.invokeAsync.mockImplementation(async ({ inferenceId }) => ({
      inferenceId,
      outputLocation: `s3://outputs/${inferenceId}.out`,
    }));
  });

  function service(invokeConcurrency = 4): BatchesService {
    const config = configWith(invokeConcurrency);
    const submissions = new JobsService(
      jobs as unknown as JobRepository,
      objects as unknown as ObjectStore,
      inference as unknown as InferenceClient,
      ModelCatalog.builtIn(),
      logger,
      config,
      [finalListener],
      admission as unknown as JobAdmission,
      budget as unknown as BudgetService,
      { coldAtSubmit: async () => false } as unknown as JobProgressService,
    );
    return new BatchesService(
      submissions,
      batches as unknown as BatchRepository,
      jobs as unknown as JobRepository,
      admission as unknown as JobAdmission,
      budget as unknown as BudgetService,
      logger,
      config,
    );
  }

  describe('create', () => {
    it('writes every job and the batch before the first invocation, each job carrying the batch id', async () => {
      const order: string[] = [];
      jobs.create.mockImplementation(async (job) => void order.push(`row ${job.params.prompt}`));
      batches.create.mockImplementation(async () => void order.push('batch'));
      inference.invokeAsync.mockImplementation(async ({ inferenceId }) => {
        order.push('invoke');
        return { inferenceId, outputLocation: 's3://outputs/x.out' };
      });

      const batch = await service().create(alice, batchOf(3, { steps: 20 }));

      expect(order.slice(0, 4).sort()).toEqual(['batch', 'row prompt 0', 'row prompt 1', 'row prompt 2'].sort());
      expect(order.indexOf('batch')).toBe(3);
      expect(order.slice(4)).toEqual(['invoke', 'invoke', 'invoke']);
      const rows = jobs.create.mock.calls.map(([job]) => job);
      expect(rows.every((job) => job.batchId === batch.batchId && job.params.steps === 20)).toBe(true);
      const jobIds = batch.jobs.map((job) => job.jobId);
      // ULIDs from one monotonic source: submission order is id order
      expect([...jobIds].sort()).toEqual(jobIds);
      expect(batches.create).toHaveBeenCalledWith({
        batchId: batch.batchId,
        ownerId: 'alice-id',
        createdAt: batch.createdAt,
        jobIds,
      });
      expect(admission.admitBatch).toHaveBeenCalledWith(alice, jobIds);
      expect(budget.reserveBatch.mock.calls[0]![1].map((job) => job.jobId)).toEqual(jobIds);
      // every job's platform hold is in the shard that took the batch's
      expect(rows.map((job) => job.usageShard)).toEqual(jobIds.map(() => 5));
      expect(batch.jobs.every((job) => job.submission === 'confirmed')).toBe(true);
    });

    it.each([1, 4, 7])('never has more than %i invocations in flight at once', async (bound) => {
      let inFlight = 0;
      let highest = 0;
      const pending: (() => void)[] = [];
      inference.invokeAsync.mockImplementation(async ({ inferenceId }) => {
        inFlight += 1;
        highest = Math.max(highest, inFlight);
        await new Promise<void>((resolve) => pending.push(resolve));
        inFlight -= 1;
        return { inferenceId, outputLocation: 's3://outputs/x.out' };
      });

      const submitted = service(bound).create(alice, batchOf(20));
      let started = 0;
      // answer the invocations one at a time; each time, as many as the bound allows are waiting
      while (started < 20) {
        await settle();
        if (pending.length === 0) {
          continue;
        }
        expect(pending.length).toBe(Math.min(bound, 20 - started));
        started += 1;
        pending.shift()!();
      }
      const batch = await submitted;

      expect(highest).toBe(bound);
      expect(inference.invokeAsync).toHaveBeenCalledTimes(20);
      expect(batch.jobs).toHaveLength(20);
    });

    it('takes no quota and writes nothing for an invalid job, and names every bad field by its index', async () => {
      const body = {
        jobs: [{ prompt: 'a' }, { prompt: 'b', modelId: 'no-such-model' }, { prompt: 'c', width: 4096 }],
      } as CreateBatchDto;

      const error = await service()
        .create(alice, body)
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(ModelParamsError);
      expect((error as ModelParamsError).errors.map((issue) => issue.field)).toEqual([
        'jobs[1].modelId',
        'jobs[2].width',
      ]);
      expect(admission.admitBatch).not.toHaveBeenCalled();
      expect(budget.reserveBatch).not.toHaveBeenCalled();
      expect(objects.put).not.toHaveBeenCalled();
    });

    it('names a bad shared field once, not once per prompt', async () => {
      const error = (await service()
        .create(alice, batchOf(5, { modelId: 'no-such-model' }))
        .catch((caught: unknown) => caught)) as ModelParamsError;

      expect(error.errors.map((issue) => issue.field)).toEqual(['modelId']);
    });

    it('gives the whole batch’s quota back and writes nothing when the budget refuses the batch', async () => {
      const refusal = ProblemException.budgetExhausted('user', new Date('2026-12-01T00:00:00Z'), new Date(), {
        jobsRequested: 3,
        estimatedUsd: 0.3,
        remainingUsd: 0.1,
      });
      budget.reserveBatch.mockRejectedValue(refusal);

      await expect(service().create(alice, batchOf(3))).rejects.toBe(refusal);

      const jobIds = admission.admitBatch.mock.calls[0]![1];
      expect(giveBack).toHaveBeenCalledWith(jobIds);
      expect(objects.put).not.toHaveBeenCalled();
      expect(jobs.create).not.toHaveBeenCalled();
      expect(batches.create).not.toHaveBeenCalled();
    });

    it('when a job row cannot be written: invokes nothing, gives back what the unwritten jobs held, fails the written ones', async () => {
      const outage = new DependencyUnavailableError('DynamoDB', 'throttled');
      let rows = 0;
      // the first 12 rows go in, then DynamoDB stops answering
      jobs.create.mockImplementation(async () => {
        rows += 1;
        if (rows > 12) {
          throw outage;
        }
      });
      jobs.transition.mockImplementation(async ({ job, to, set }) => ({ jobId: job.jobId, status: to, ...set }) as Job);

      await expect(service().create(alice, batchOf(30))).rejects.toBe(outage);

      const jobIds = admission.admitBatch.mock.calls[0]![1];
      const written = jobs.create.mock.calls.slice(0, 12).map(([job]) => job.jobId);
      const unwritten = jobIds.filter((jobId) => !written.includes(jobId));
      expect(inference.invokeAsync).not.toHaveBeenCalled();
      expect(batches.create).not.toHaveBeenCalled();
      expect(releaseHolds).toHaveBeenCalledWith(unwritten);
      expect(giveBack).toHaveBeenCalledWith(unwritten);
      // the written ones are FAILED at no cost, and reported final (their listeners give back their slot and hold)
      expect(jobs.transition.mock.calls.map(([transition]) => transition.job.jobId).sort()).toEqual(
        [...written].sort(),
      );
      expect(jobs.transition.mock.calls[0]![0]).toMatchObject({
        from: [JobStatus.Queued],
        to: JobStatus.Failed,
        set: { error: { code: JobErrorCode.BatchIncomplete }, cost: { gpuSeconds: 0, usd: 0 } },
      });
      expect(finalListener.jobFinal).toHaveBeenCalledTimes(12);
      // no row is attempted after the failure was seen (at most the writes already under way)
      expect(jobs.create.mock.calls.length).toBeLessThan(30);
    });

    it('when the batch item cannot be written: fails every job, invokes none', async () => {
      const outage = new DependencyUnavailableError('DynamoDB', 'throttled');
      batches.create.mockRejectedValue(outage);
      jobs.transition.mockImplementation(async ({ job, to }) => ({ jobId: job.jobId, status: to }) as Job);

      await expect(service().create(alice, batchOf(4))).rejects.toBe(outage);

      expect(inference.invokeAsync).not.toHaveBeenCalled();
      expect(jobs.transition).toHaveBeenCalledTimes(4);
      expect(releaseHolds).not.toHaveBeenCalled();
      expect(giveBack).not.toHaveBeenCalled();
    });

    it('answers with every job when SageMaker refuses some of them: those are FAILED, the rest QUEUED', async () => {
      inference.invokeAsync.mockImplementation(async ({ inferenceId, inputLocation }) => {
        if (inputLocation.endsWith(`${jobs.create.mock.calls[1]![0].jobId}.json`)) {
          throw new InferenceError(InferenceErrorCode.Unavailable, 'connection refused');
        }
        return { inferenceId, outputLocation: 's3://outputs/x.out' };
      });
      jobs.transition.mockImplementation(async ({ job, to }) => ({ jobId: job.jobId, status: to }) as Job);

      const batch = await service().create(alice, batchOf(3));

      expect(batch.jobs.map((job) => job.status)).toEqual([JobStatus.Queued, JobStatus.Failed, JobStatus.Queued]);
    });
  });

  describe('get', () => {
    const record = { batchId: '01JD0000000000000000000000', ownerId: 'alice-id', createdAt: 'x', jobIds: ['j1'] };

    it('shows the owner and administrators the batch with its jobs; anyone else gets a 404', async () => {
      batches.get.mockResolvedValue(record);
      jobs.getMany.mockResolvedValue([{ jobId: 'j1', status: JobStatus.Running } as Job]);

      await expect(service().get(alice, record.batchId)).resolves.toMatchObject({ batch: record });
      await expect(service().get(ada, record.batchId)).resolves.toMatchObject({ batch: record });
      await expect(service().get(bob, record.batchId)).rejects.toMatchObject({ problem: { status: 404 } });
      expect(jobs.getMany).toHaveBeenCalledWith(['j1']);
    });

    it('answers 404 for an id that is no batch id without asking DynamoDB', async () => {
      await expect(service().get(alice, 'x'.repeat(3000))).rejects.toMatchObject({ problem: { status: 404 } });
      expect(batches.get).not.toHaveBeenCalled();
    });
  });
});
