import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { type PinoLogger } from 'nestjs-pino';
import { CancelMarkers, type JobRepository, type JobTransition } from '#libs/aws';
import { type Job, JobStatus } from '#libs/contracts';
import { ModelCatalog } from '#libs/models';
import { type AutoMocked, automock, JobFactory } from '#libs/testing';
import { ProblemException } from '../../problem/problem.js';
import { JobsService } from '../jobs.service.js';
import { JobCancellationService } from './job-cancellation.service.js';

const alice = { id: 'alice-id', username: 'alice', groups: [] };
const ada = { id: 'ada-id', username: 'ada', groups: ['admin'] };

describe(JobCancellationService.name, () => {
  let sut: JobCancellationService;
  let reads: AutoMocked<JobsService>;
  let markers: AutoMocked<CancelMarkers>;
  let transition: jest.Mock<(change: JobTransition) => Promise<Job | undefined>>;
  let get: jest.Mock<(jobId: string) => Promise<Job | undefined>>;
  let reported: Job[];
  let order: string[];

  beforeEach(() => {
    order = [];
    reported = [];
    reads = automock(JobsService);
    markers = automock(CancelMarkers);
    markers.place.mockImplementation(async () => void order.push('marker'));
    transition = jest.fn<(change: JobTransition) => Promise<Job | undefined>>();
    get = jest.fn<(jobId: string) => Promise<Job | undefined>>();
    const logger = { setContext: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    sut = new JobCancellationService(
      { transition, get } as unknown as JobRepository,
      reads as unknown as JobsService,
      markers as unknown as CancelMarkers,
      ModelCatalog.builtIn(),
      logger as unknown as PinoLogger,
      [{ jobFinal: async (job) => void reported.push(job) }],
    );
  });

  /** The conditional write as DynamoDB does it: only from the expected states. */
  function storeHolding(job: Job): void {
    transition.mockImplementation(async (change) => {
      order.push('write');
      if (!change.from.includes(job.status)) {
        return undefined;
      }
      return { ...job, ...change.set, status: change.to };
    });
  }

  it('leaves the marker, then writes CANCELED from the state it read, and reports the job final once', async () => {
    const job = JobFactory.create({ ownerId: alice.id, status: JobStatus.Queued });
    reads.get.mockResolvedValue(job);
    storeHolding(job);

    const { job: canceled, outcome } = await sut.cancel(alice, job.jobId);

    expect(outcome).toBe('canceled');
    expect(order).toEqual(['marker', 'write']);
    expect(markers.place).toHaveBeenCalledWith(job.inferenceId, expect.any(String));
    expect(transition.mock.calls[0]![0]).toMatchObject({ from: [JobStatus.Queued], to: JobStatus.Canceled });
    expect(canceled).toMatchObject({
      status: JobStatus.Canceled,
      cost: { gpuSeconds: 0, usd: 0 },
      error: { code: 'CANCELED', message: 'The job was canceled by its owner.' },
      cancellation: { from: 'QUEUED', gpuSecondsSaved: expect.any(Number) },
    });
    expect(canceled.cancellation!.gpuSecondsSaved).toBeGreaterThan(0);
    expect(reported).toEqual([canceled]);
  });

  it('says an administrator canceled another user’s job', async () => {
    const job = JobFactory.create({ ownerId: alice.id, status: JobStatus.Running });
    reads.get.mockResolvedValue(job);
    storeHolding(job);
    const { job: canceled } = await sut.cancel(ada, job.jobId);
    expect(canceled.error?.message).toBe('The job was canceled by an administrator.');
  });

  it.each([JobStatus.Succeeded, JobStatus.Failed, JobStatus.TimedOut])(
    'answers 409 job-not-cancelable naming %s, and leaves no marker',
    async (status) => {
      const job = JobFactory.create({ ownerId: alice.id, status });
      reads.get.mockResolvedValue(job);
      const error = await sut.cancel(alice, job.jobId).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ProblemException);
      expect((error as ProblemException).problem).toMatchObject({
        status: 409,
        type: '/problems/job-not-cancelable',
        jobStatus: status,
      });
      expect(markers.place).not.toHaveBeenCalled();
      expect(transition).not.toHaveBeenCalled();
    },
  );

  it('answers an already CANCELED job as it is, writing nothing (the report is repeated: listeners ignore it)', async () => {
    const job = JobFactory.create({ ownerId: alice.id, status: JobStatus.Canceled });
    reads.get.mockResolvedValue(job);
    await expect(sut.cancel(alice, job.jobId)).resolves.toEqual({ job, outcome: 'already-canceled' });
    expect(transition).not.toHaveBeenCalled();
    expect(reported).toEqual([job]);
  });

  it('loses the race with the worker’s finalize: 409 with the state the worker wrote, and no report of its own', async () => {
    const queued = JobFactory.create({ ownerId: alice.id, status: JobStatus.Queued });
    const succeeded = { ...queued, status: JobStatus.Succeeded };
    reads.get.mockResolvedValue(queued);
    storeHolding(succeeded);
    get.mockResolvedValue(succeeded);
    const error = await sut.cancel(alice, queued.jobId).catch((caught: unknown) => caught);
    expect((error as ProblemException).problem).toMatchObject({ status: 409, jobStatus: 'SUCCEEDED' });
    expect(reported).toEqual([]);
  });

  it('answers 404 for a job deleted while it was being canceled (a DELETE racing the cancel), not a 503', async () => {
    const queued = JobFactory.create({ ownerId: alice.id, status: JobStatus.Queued });
    reads.get.mockResolvedValue(queued);
    // the conditional write finds no item in a state it may cancel: the job was buried meanwhile
    storeHolding({ ...queued, status: JobStatus.Canceled });
    get.mockResolvedValue(undefined);
    const error = await sut.cancel(alice, queued.jobId).catch((caught: unknown) => caught);
    expect((error as ProblemException).problem).toMatchObject({ status: 404 });
    expect(reported).toEqual([]);
  });

  it('reads a job that started RUNNING meanwhile again, and charges it as RUNNING', async () => {
    const queued = JobFactory.create({ ownerId: alice.id, status: JobStatus.Queued });
    const running = {
      ...queued,
      status: JobStatus.Running,
      timings: { ...queued.timings, startedAt: new Date(Date.now() - 2000).toISOString() },
    };
    reads.get.mockResolvedValue(queued);
    storeHolding(running);
    get.mockResolvedValue(running);
    const { job } = await sut.cancel(alice, queued.jobId);
    expect(transition.mock.calls.map(([change]) => change.from)).toEqual([[JobStatus.Queued], [JobStatus.Running]]);
    expect(job.cancellation?.from).toBe('RUNNING');
    expect(job.cost?.gpuSeconds).toBeGreaterThanOrEqual(2);
    expect(markers.place).toHaveBeenCalledTimes(1);
    expect(reported).toHaveLength(1);
  });
});
