import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { type PinoLogger } from 'nestjs-pino';
import {
  DependencyUnavailableError,
  JobRepository,
  ObjectNotFoundError,
  ObjectStore,
  type QueueMessage,
} from '#libs/aws';
import { JobStatus } from '#libs/contracts';
import { JobFinalizer } from '#libs/jobs';
import {
  type AutoMocked,
  automock,
  completedNotification,
  failedNotification,
  JobFactory,
  snsEnvelope,
} from '#libs/testing';
import { NotificationHandler, readableReason } from './notification.handler.js';

function message(body: string): QueueMessage {
  return { messageId: 'm-1', receiptHandle: 'r-1', body, receiveCount: 1 };
}

describe(NotificationHandler.name, () => {
  let jobs: AutoMocked<JobRepository>;
  let objects: AutoMocked<ObjectStore>;
  let finalizer: AutoMocked<JobFinalizer>;
  let sut: NotificationHandler;

  beforeEach(() => {
    jobs = automock(JobRepository);
    objects = automock(ObjectStore);
    finalizer = automock(JobFinalizer);
    const logger = { setContext: jest.fn(), info: jest.fn(), warn: jest.fn() };
    sut = new NotificationHandler(
      jobs as unknown as JobRepository,
      objects as unknown as ObjectStore,
      finalizer as unknown as JobFinalizer,
      logger as unknown as PinoLogger,
    );
  });

  it('reads the output named by the notification and finalizes the job', async () => {
    const job = JobFactory.create();
    jobs.get.mockResolvedValue(job);
    const output = { body: Buffer.from('{}'), contentType: 'application/json' };
    objects.get.mockResolvedValue(output);
    finalizer.succeed.mockResolvedValue('succeeded');
    const notification = completedNotification(job.jobId, 's3://outputs/async-out/5f1c.out');

    await expect(sut.handle(message(snsEnvelope(notification)))).resolves.toBe('done');

    expect(jobs.get).toHaveBeenCalledWith(job.jobId);
    expect(objects.get).toHaveBeenCalledWith({ bucket: 'outputs', key: 'async-out/5f1c.out' });
    expect(finalizer.succeed).toHaveBeenCalledWith(job, output, {
      receivedAt: (notification as { receivedTime: string }).receivedTime,
      completedAt: (notification as { eventTime: string }).eventTime,
    });
  });

  it('accepts raw delivery (no SNS envelope) too', async () => {
    const job = JobFactory.create();
    jobs.get.mockResolvedValue(job);
    objects.get.mockResolvedValue({ body: Buffer.from('{}') });
    finalizer.succeed.mockResolvedValue('succeeded');
    const raw = JSON.stringify(completedNotification(job.jobId, 's3://outputs/async-out/a.out'));
    await expect(sut.handle(message(raw))).resolves.toBe('done');
  });

  it('fails the job with the failure file’s message', async () => {
    const job = JobFactory.create();
    jobs.get.mockResolvedValue(job);
    objects.get.mockResolvedValue({ body: Buffer.from('CUDA out of memory') });
    finalizer.fail.mockResolvedValue('failed');
    const notification = failedNotification(
      job.jobId,
      'ClientError: Received server error (500) from model',
      's3://outputs/async-failures/x-error.out',
    );

    await expect(sut.handle(message(snsEnvelope(notification)))).resolves.toBe('done');

    expect(objects.get).toHaveBeenCalledWith({ bucket: 'outputs', key: 'async-failures/x-error.out' });
    expect(finalizer.fail).toHaveBeenCalledWith(
      job,
      { code: 'MODEL_ERROR', message: 'CUDA out of memory' },
      expect.anything(),
    );
  });

  it('falls back to failureReason when the failure file cannot be read', async () => {
    const job = JobFactory.create({ failureLocation: undefined });
    jobs.get.mockResolvedValue(job);
    finalizer.fail.mockResolvedValue('failed');
    await sut.handle(message(snsEnvelope(failedNotification(job.jobId, 'ClientError: boom'))));
    expect(finalizer.fail).toHaveBeenCalledWith(
      job,
      { code: 'MODEL_ERROR', message: 'ClientError: boom' },
      expect.anything(),
    );
  });

  it('deletes a duplicate notification for a job that is already final without touching it', async () => {
    jobs.get.mockResolvedValue(JobFactory.create({ status: JobStatus.Succeeded }));
    await expect(sut.handle(message(snsEnvelope(completedNotification('01J', 's3://o/k.out'))))).resolves.toBe('done');
    expect(objects.get).not.toHaveBeenCalled();
  });

  it.each([
    ['not JSON', 'hello'],
    ['JSON but not a notification', '{"hello":"world"}'],
    ['an envelope around garbage', snsEnvelope({ invocationStatus: 'Maybe' })],
  ])('treats %s as poison', async (_label, body) => {
    await expect(sut.handle(message(body))).resolves.toBe('poison');
    expect(jobs.get).not.toHaveBeenCalled();
  });

  it('treats a notification for an unknown job as poison', async () => {
    jobs.get.mockResolvedValue(undefined);
    await expect(sut.handle(message(snsEnvelope(completedNotification('01J', 's3://o/k.out'))))).resolves.toBe(
      'poison',
    );
  });

  it('retries when the output object is not readable yet', async () => {
    const job = JobFactory.create();
    jobs.get.mockResolvedValue(job);
    objects.get.mockRejectedValue(new ObjectNotFoundError({ bucket: 'outputs', key: 'k.out' }));
    await expect(
      sut.handle(message(snsEnvelope(completedNotification(job.jobId, 's3://outputs/k.out')))),
    ).resolves.toBe('retry');
  });

  it('lets transient dependency errors propagate so the consumer retries', async () => {
    jobs.get.mockRejectedValue(new DependencyUnavailableError('DynamoDB', 'down'));
    await expect(sut.handle(message(snsEnvelope(completedNotification('01J', 's3://o/k.out'))))).rejects.toBeInstanceOf(
      DependencyUnavailableError,
    );
  });
});

describe(readableReason.name, () => {
  it.each([
    ['{"code":500,"type":"InternalServerException","message":"CUDA out of memory"}', 'CUDA out of memory'],
    ['{"ErrorCode":"CLIENT_ERROR_FROM_MODEL","Message":"Received server error (500)"}', 'Received server error (500)'],
    ['{"result":"error","error":{"message":"bad prompt"}}', 'bad prompt'],
    ['plain text reason', 'plain text reason'],
    ['{"unexpected":1}', '{"unexpected":1}'],
  ])('reads %s as %s', (text, reason) => {
    expect(readableReason(text)).toBe(reason);
  });
});
