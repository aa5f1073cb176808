import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { type PinoLogger } from 'nestjs-pino';
import {
  DeletedJobs,
  DependencyUnavailableError,
  JobRepository,
  ObjectNotFoundError,
  ObjectStore,
  type QueueMessage,
} from '#libs/aws';
import { JobStatus } from '#libs/contracts';
import { JobFinalizer } from '#libs/jobs';
import { ModelCatalog } from '#libs/models';
import {
  type AutoMocked,
  automock,
  completedNotification,
  failedNotification,
  JobFactory,
  snsEnvelope,
} from '#libs/testing';
import { CanceledResults } from '../cancellation/canceled-results.js';
import type { WorkerConfig } from '../config/worker.config.js';
import { isTransientError, NotificationHandler, readableReason } from './notification.handler.js';

const MAX_RECEIVE_COUNT = 4;
const config = {
  resources: { imagesBucket: 'images' },
  consumer: {
    retry: {
      baseDelaySeconds: 10,
      maxDelaySeconds: 300,
      jitterRatio: 0,
      maxReceiveCount: MAX_RECEIVE_COUNT,
      poisonDelaySeconds: 2,
    },
  },
} as WorkerConfig;

function message(body: string, receiveCount = 1): QueueMessage {
  return { messageId: 'm-1', receiptHandle: 'r-1', body, receiveCount };
}

describe(NotificationHandler.name, () => {
  let jobs: AutoMocked<JobRepository>;
  let objects: AutoMocked<ObjectStore>;
  let finalizer: AutoMocked<JobFinalizer>;
  let deleted: AutoMocked<DeletedJobs>;
  let logger: { setContext: jest.Mock; info: jest.Mock; warn: jest.Mock; error: jest.Mock };
  let sut: NotificationHandler;

  beforeEach(() => {
    jobs = automock(JobRepository);
    objects = automock(ObjectStore);
    finalizer = automock(JobFinalizer);
    finalizer.reportAlreadyFinal.mockResolvedValue(undefined);
    deleted = automock(DeletedJobs);
    deleted.isDeleted.mockResolvedValue(false);
    logger = { setContext: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const canceled = new CanceledResults(
      jobs as unknown as JobRepository,
      objects as unknown as ObjectStore,
      ModelCatalog.builtIn(),
      logger as unknown as PinoLogger,
      [],
      config,
    );
    sut = new NotificationHandler(
      jobs as unknown as JobRepository,
      objects as unknown as ObjectStore,
      finalizer as unknown as JobFinalizer,
      logger as unknown as PinoLogger,
      config,
      canceled,
      deleted as unknown as DeletedJobs,
    );
  });

  function completed(jobId: string, outputLocation: string, receiveCount = 1): QueueMessage {
    return message(snsEnvelope(completedNotification(jobId, outputLocation)), receiveCount);
  }

  it('labels its log lines with its name', () => {
    expect(logger.setContext).toHaveBeenCalledWith('NotificationHandler');
  });

  describe('success notifications', () => {
    it('reads the output named by the notification and finalizes the job', async () => {
      const job = JobFactory.create();
      jobs.get.mockResolvedValue(job);
      const output = { body: Buffer.from('{}'), contentType: 'application/json' };
      objects.get.mockResolvedValue(output);
      finalizer.succeed.mockResolvedValue('succeeded');
      const notification = completedNotification(job.jobId, 's3://outputs/async-out/5f1c.out');

      await expect(sut.handle(message(snsEnvelope(notification)))).resolves.toEqual({
        action: 'delete',
        outcome: 'succeeded',
      });

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
      await expect(sut.handle(message(raw))).resolves.toEqual({ action: 'delete', outcome: 'succeeded' });
    });

    it('passes on the finalizer’s outcome (a corrupt image already failed the job there)', async () => {
      const job = JobFactory.create();
      jobs.get.mockResolvedValue(job);
      objects.get.mockResolvedValue({ body: Buffer.from('{}') });
      finalizer.succeed.mockResolvedValue('failed');
      await expect(sut.handle(completed(job.jobId, 's3://outputs/k.out'))).resolves.toEqual({
        action: 'delete',
        outcome: 'failed',
      });
    });

    it('retries while the output object is not found, before the last receive', async () => {
      const job = JobFactory.create();
      jobs.get.mockResolvedValue(job);
      objects.get.mockRejectedValue(new ObjectNotFoundError({ bucket: 'outputs', key: 'k.out' }));
      await expect(sut.handle(completed(job.jobId, 's3://outputs/k.out', MAX_RECEIVE_COUNT - 1))).resolves.toEqual({
        action: 'retry',
        reason: 'output s3://outputs/k.out not found yet',
      });
      expect(finalizer.fail).not.toHaveBeenCalled();
    });

    it('fails the job OUTPUT_UNREADABLE when the output is still missing on the last receive', async () => {
      const job = JobFactory.create();
      jobs.get.mockResolvedValue(job);
      objects.get.mockRejectedValue(new ObjectNotFoundError({ bucket: 'outputs', key: 'k.out' }));
      finalizer.fail.mockResolvedValue('failed');

      await expect(sut.handle(completed(job.jobId, 's3://outputs/k.out', MAX_RECEIVE_COUNT))).resolves.toEqual({
        action: 'delete',
        outcome: 'failed',
      });

      expect(finalizer.fail).toHaveBeenCalledWith(
        job,
        {
          code: 'OUTPUT_UNREADABLE',
          message: `The model reported success, but the output s3://outputs/k.out was not found after ${MAX_RECEIVE_COUNT} attempts`,
        },
        expect.objectContaining({ completedAt: expect.any(String) }),
      );
    });

    it.each([
      ['not an s3:// URI', 'https://outputs.s3.amazonaws.com/k.out'],
      ['a bucket without a key', 's3://outputs/'],
    ])('fails the job OUTPUT_UNREADABLE at once when the output location is %s', async (_label, uri) => {
      const job = JobFactory.create();
      jobs.get.mockResolvedValue(job);
      finalizer.fail.mockResolvedValue('failed');

      await expect(sut.handle(completed(job.jobId, uri))).resolves.toEqual({ action: 'delete', outcome: 'failed' });

      expect(objects.get).not.toHaveBeenCalled();
      expect(finalizer.fail).toHaveBeenCalledWith(
        job,
        {
          code: 'OUTPUT_UNREADABLE',
          message: `The model reported success, but SageMaker named no readable output location (${uri})`,
        },
        expect.anything(),
      );
    });

    it('falls back to the output location recorded at submission', async () => {
      const job = JobFactory.create({ outputLocation: 's3://outputs/recorded.out' });
      jobs.get.mockResolvedValue(job);
      objects.get.mockResolvedValue({ body: Buffer.from('{}') });
      finalizer.succeed.mockResolvedValue('succeeded');
      const notification = completedNotification(job.jobId, 'unused') as { responseParameters: object };
      notification.responseParameters = { contentType: 'application/json' };
      await sut.handle(message(JSON.stringify(notification)));
      expect(objects.get).toHaveBeenCalledWith({ bucket: 'outputs', key: 'recorded.out' });
    });

    it('falls back to the recorded output location when the notification has no responseParameters', async () => {
      const job = JobFactory.create({ outputLocation: 's3://outputs/recorded.out' });
      jobs.get.mockResolvedValue(job);
      objects.get.mockResolvedValue({ body: Buffer.from('{}') });
      finalizer.succeed.mockResolvedValue('succeeded');
      const notification = completedNotification(job.jobId, 'unused') as { responseParameters?: object };
      delete notification.responseParameters;
      await expect(sut.handle(message(JSON.stringify(notification)))).resolves.toEqual({
        action: 'delete',
        outcome: 'succeeded',
      });
      expect(objects.get).toHaveBeenCalledWith({ bucket: 'outputs', key: 'recorded.out' });
    });

    it('fails the job OUTPUT_UNREADABLE when no output location is known at all', async () => {
      const job = JobFactory.create({ outputLocation: undefined });
      jobs.get.mockResolvedValue(job);
      finalizer.fail.mockResolvedValue('failed');
      const notification = completedNotification(job.jobId, 'unused') as { responseParameters: object };
      notification.responseParameters = { contentType: 'application/json' };
      await sut.handle(message(JSON.stringify(notification)));
      expect(finalizer.fail.mock.calls[0]![1]).toEqual({
        code: 'OUTPUT_UNREADABLE',
        message: 'The model reported success, but SageMaker named no readable output location (none)',
      });
    });
  });

  describe('failure notifications', () => {
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

      await expect(sut.handle(message(snsEnvelope(notification)))).resolves.toEqual({
        action: 'delete',
        outcome: 'failed',
      });

      expect(objects.get).toHaveBeenCalledWith({ bucket: 'outputs', key: 'async-failures/x-error.out' });
      expect(finalizer.fail).toHaveBeenCalledWith(
        job,
        { code: 'MODEL_ERROR', message: 'CUDA out of memory' },
        expect.anything(),
      );
    });

    it('cuts a long failure file to 1000 characters', async () => {
      const job = JobFactory.create();
      jobs.get.mockResolvedValue(job);
      objects.get.mockResolvedValue({ body: Buffer.from('x'.repeat(1500)) });
      finalizer.fail.mockResolvedValue('failed');
      await sut.handle(message(snsEnvelope(failedNotification(job.jobId, 'boom', 's3://outputs/f.out'))));
      expect(finalizer.fail.mock.calls[0]![1].message).toBe('x'.repeat(1000));
    });

    it('reads the failure file recorded at submission when the notification names none', async () => {
      const job = JobFactory.create({ failureLocation: 's3://outputs/async-failures/recorded-error.out' });
      jobs.get.mockResolvedValue(job);
      objects.get.mockResolvedValue({ body: Buffer.from('{"message":"  CUDA out of memory  "}') });
      finalizer.fail.mockResolvedValue('failed');
      await sut.handle(message(snsEnvelope(failedNotification(job.jobId, 'ClientError: boom'))));
      expect(objects.get).toHaveBeenCalledWith({ bucket: 'outputs', key: 'async-failures/recorded-error.out' });
      expect(finalizer.fail.mock.calls[0]![1]).toEqual({ code: 'MODEL_ERROR', message: 'CUDA out of memory' });
    });

    it('says the model gave no reason when there is neither a failure file nor a failureReason', async () => {
      const job = JobFactory.create({ failureLocation: undefined });
      jobs.get.mockResolvedValue(job);
      finalizer.fail.mockResolvedValue('failed');
      const notification = failedNotification(job.jobId, 'unused') as { failureReason?: string };
      delete notification.failureReason;
      await expect(sut.handle(message(JSON.stringify(notification)))).resolves.toEqual({
        action: 'delete',
        outcome: 'failed',
      });
      expect(objects.get).not.toHaveBeenCalled();
      expect(finalizer.fail.mock.calls[0]![1]).toEqual({
        code: 'MODEL_ERROR',
        message: 'The model failed without giving a reason',
      });
    });

    it.each([
      ['there is no failure file', undefined, undefined],
      ['the failure file cannot be read', 's3://outputs/f.out', new DependencyUnavailableError('S3', 'down')],
      ['the failure file is empty', 's3://outputs/f.out', Buffer.from('  ')],
      ['the failure location is not an s3:// URI', 'https://example.com/f.out', undefined],
    ])('falls back to failureReason when %s', async (_label, location, file) => {
      const job = JobFactory.create({ failureLocation: undefined });
      jobs.get.mockResolvedValue(job);
      if (file instanceof Error) {
        objects.get.mockRejectedValue(file);
      } else if (file) {
        objects.get.mockResolvedValue({ body: file });
      }
      finalizer.fail.mockResolvedValue('failed');
      await sut.handle(message(snsEnvelope(failedNotification(job.jobId, 'ClientError: boom', location))));
      expect(finalizer.fail).toHaveBeenCalledWith(
        job,
        { code: 'MODEL_ERROR', message: 'ClientError: boom' },
        expect.anything(),
      );
    });
  });

  it('deletes a duplicate notification for a job that is already final without touching it', async () => {
    const final = JobFactory.create({ status: JobStatus.Succeeded });
    jobs.get.mockResolvedValue(final);
    await expect(sut.handle(completed('01J', 's3://o/k.out'))).resolves.toEqual({
      action: 'delete',
      outcome: 'already-final',
    });
    expect(objects.get).not.toHaveBeenCalled();
    expect(finalizer.succeed).not.toHaveBeenCalled();
    expect(finalizer.fail).not.toHaveBeenCalled();
    // a report that failed after the final write is repeated (listeners change nothing the second time)
    expect(finalizer.reportAlreadyFinal).toHaveBeenCalledWith(final);
  });

  it.each([
    ['not JSON', 'hello', 'malformed notification: message body is not JSON'],
    [
      'JSON but not a notification',
      '{"hello":"world"}',
      expect.stringMatching(/^malformed notification: not a SageMaker/),
    ],
    ['an envelope around garbage', snsEnvelope({ invocationStatus: 'Maybe' }), expect.stringMatching(/^malformed/)],
  ])('dead-letters %s without looking for a job', async (_label, body, reason) => {
    await expect(sut.handle(message(body))).resolves.toEqual({ action: 'dead-letter', reason });
    expect(jobs.get).not.toHaveBeenCalled();
  });

  it('dead-letters a notification for an unknown job', async () => {
    jobs.get.mockResolvedValue(undefined);
    await expect(sut.handle(completed('01JUNKNOWN', 's3://o/k.out'))).resolves.toEqual({
      action: 'dead-letter',
      reason: 'no job 01JUNKNOWN',
    });
  });

  describe('deadlines', () => {
    it.each([
      ['ClientError: Request expired: request expired after 60 s in the queue (RequestTTLSeconds).', 'QUEUE_TIMEOUT'],
      [
        'ModelError: Invocation timed out: the model did not answer within 2 s (InvocationTimeoutSeconds).',
        'INFERENCE_TIMEOUT',
      ],
    ])('makes a job SageMaker gave up on in time TIMED_OUT: %s', async (reason, code) => {
      const job = JobFactory.create();
      jobs.get.mockResolvedValue(job);
      finalizer.timeOut.mockResolvedValue('timed-out');

      await expect(sut.handle(message(snsEnvelope(failedNotification(job.jobId, reason))))).resolves.toEqual({
        action: 'delete',
        outcome: 'timed-out',
      });
      expect(finalizer.timeOut).toHaveBeenCalledWith(job, expect.objectContaining({ code }), expect.anything());
      expect(finalizer.fail).not.toHaveBeenCalled();
    });

    it('discards a success that arrives for a TIMED_OUT job: its output is deleted, the message too', async () => {
      const job = JobFactory.create({ status: JobStatus.TimedOut });
      jobs.get.mockResolvedValue(job);
      objects.listKeys.mockResolvedValue([]);
      objects.deleteMany.mockResolvedValue(undefined);

      await expect(sut.handle(completed(job.jobId, 's3://outputs/async-out/late.out'))).resolves.toEqual({
        action: 'delete',
        outcome: 'discarded',
      });
      expect(objects.deleteMany).toHaveBeenCalledWith([{ bucket: 'outputs', key: 'async-out/late.out' }]);
      expect(objects.get).not.toHaveBeenCalled();
      expect(finalizer.succeed).not.toHaveBeenCalled();
    });

    it('keeps the output of a duplicate success for a SUCCEEDED job', async () => {
      const job = JobFactory.create({ status: JobStatus.Succeeded });
      jobs.get.mockResolvedValue(job);

      await sut.handle(completed(job.jobId, 's3://outputs/async-out/5f1c.out'));
      expect(objects.deleteMany).not.toHaveBeenCalled();
    });
  });

  describe('canceled and deleted jobs', () => {
    const cancelReason =
      'ClientError: Received client error (409) from model with message "Inference canceled after 3 of 30 steps: the ' +
      'platform left a cancel marker (imggen:inference-canceled)". See the SageMaker Endpoint logs.';

    beforeEach(() => {
      objects.listKeys.mockResolvedValue([]);
      objects.deleteMany.mockResolvedValue(undefined);
    });

    it('drops a late success for a deleted job quietly: its output is deleted, nothing retried or dead-lettered', async () => {
      jobs.get.mockResolvedValue(undefined);
      deleted.isDeleted.mockResolvedValue(true);
      await expect(sut.handle(completed('01JDELETED', 's3://outputs/async-out/x.out'))).resolves.toEqual({
        action: 'delete',
        outcome: 'discarded',
      });
      expect(objects.deleteMany).toHaveBeenCalledWith([{ bucket: 'outputs', key: 'async-out/x.out' }]);
      expect(logger.info).toHaveBeenCalledWith(expect.objectContaining({ jobId: '01JDELETED' }), expect.any(String));
      expect(logger.warn).not.toHaveBeenCalled();
    });

    it('discards a success for a CANCELED job: output and any stored images deleted, the job left as it is', async () => {
      const job = JobFactory.create({ status: JobStatus.Canceled, ownerId: 'alice' });
      jobs.get.mockResolvedValue(job);
      objects.listKeys.mockResolvedValue([`images/alice/${job.jobId}/0.png`]);
      await expect(sut.handle(completed(job.jobId, 's3://outputs/async-out/y.out'))).resolves.toEqual({
        action: 'delete',
        outcome: 'discarded',
      });
      expect(objects.listKeys).toHaveBeenCalledWith('images', `images/alice/${job.jobId}/`);
      expect(objects.deleteMany).toHaveBeenCalledWith([
        { bucket: 'outputs', key: 'async-out/y.out' },
        { bucket: 'images', key: `images/alice/${job.jobId}/0.png` },
      ]);
      expect(finalizer.succeed).not.toHaveBeenCalled();
      expect(finalizer.reportAlreadyFinal).toHaveBeenCalledWith(job);
    });

    it('completes the cancel when the model stopped on its marker before the api wrote CANCELED', async () => {
      const job = JobFactory.create({ status: JobStatus.Queued });
      jobs.get.mockResolvedValue(job);
      jobs.transition.mockImplementation(async (change) => ({ ...job, ...change.set, status: change.to }));
      const notification = failedNotification(job.jobId, cancelReason, 's3://outputs/async-failures/z-error.out');
      await expect(sut.handle(message(snsEnvelope(notification)))).resolves.toEqual({
        action: 'delete',
        outcome: 'canceled',
      });
      expect(jobs.transition).toHaveBeenCalledWith(
        expect.objectContaining({ from: [JobStatus.Queued], to: JobStatus.Canceled }),
      );
      expect(finalizer.fail).not.toHaveBeenCalled();
      expect(objects.deleteMany).toHaveBeenCalledWith([{ bucket: 'outputs', key: 'async-failures/z-error.out' }]);
    });

    it('discards the images of a success that lost the race with a cancel', async () => {
      const job = JobFactory.create({ status: JobStatus.Queued, ownerId: 'bob' });
      jobs.get.mockResolvedValueOnce(job).mockResolvedValue({ ...job, status: JobStatus.Canceled });
      objects.get.mockResolvedValue({ body: Buffer.from('{}') });
      finalizer.succeed.mockResolvedValue('already-final');
      objects.listKeys.mockResolvedValue([`images/bob/${job.jobId}/0.png`]);
      await expect(sut.handle(completed(job.jobId, 's3://outputs/async-out/w.out'))).resolves.toEqual({
        action: 'delete',
        outcome: 'discarded',
      });
      expect(objects.deleteMany).toHaveBeenCalledWith([
        { bucket: 'outputs', key: 'async-out/w.out' },
        { bucket: 'images', key: `images/bob/${job.jobId}/0.png` },
      ]);
    });
  });

  describe('errors', () => {
    it('retries when DynamoDB is unavailable', async () => {
      jobs.get.mockRejectedValue(new DependencyUnavailableError('DynamoDB', 'DynamoDB is unavailable: ECONNREFUSED'));
      await expect(sut.handle(completed('01J', 's3://o/k.out'))).resolves.toEqual({
        action: 'retry',
        reason: 'DynamoDB is unavailable: ECONNREFUSED',
      });
      expect(logger.warn).toHaveBeenCalledWith(
        expect.objectContaining({ messageId: 'm-1', receiveCount: 1 }),
        'dependency unavailable; will retry',
      );
    });

    it('retries when storing the images or the final write fails, even on the last receive', async () => {
      const job = JobFactory.create();
      jobs.get.mockResolvedValue(job);
      objects.get.mockResolvedValue({ body: Buffer.from('{}') });
      finalizer.succeed.mockRejectedValue(new DependencyUnavailableError('S3', 'S3 is unavailable'));
      await expect(sut.handle(completed(job.jobId, 's3://o/k.out', MAX_RECEIVE_COUNT))).resolves.toEqual({
        action: 'retry',
        reason: 'S3 is unavailable',
      });
    });

    it('retries when something that is not an Error is thrown, with its text as the reason', async () => {
      jobs.get.mockRejectedValue('socket hang up');
      await expect(sut.handle(completed('01J', 's3://o/k.out'))).resolves.toEqual({
        action: 'retry',
        reason: 'socket hang up',
      });
    });

    it('lets an SDK timeout (a transient error) be retried with its message as the reason', async () => {
      const job = JobFactory.create();
      jobs.get.mockResolvedValue(job);
      objects.get.mockRejectedValue(
        Object.assign(new Error('Request timed out after 5000 ms'), { name: 'TimeoutError' }),
      );
      await expect(sut.handle(completed(job.jobId, 's3://o/k.out', MAX_RECEIVE_COUNT))).resolves.toEqual({
        action: 'retry',
        reason: 'Request timed out after 5000 ms',
      });
      expect(finalizer.fail).not.toHaveBeenCalled();
    });

    it('retries an unexpected error and logs it as an error', async () => {
      jobs.get.mockRejectedValue(new TypeError('cannot read properties of undefined'));
      await expect(sut.handle(completed('01J', 's3://o/k.out'))).resolves.toEqual({
        action: 'retry',
        reason: 'cannot read properties of undefined',
      });
      expect(logger.error).toHaveBeenCalledWith(
        expect.objectContaining({ messageId: 'm-1' }),
        'unexpected error handling a notification; will retry',
      );
    });
  });
});

describe(isTransientError.name, () => {
  it.each([
    [new DependencyUnavailableError('S3', 'down'), true],
    [Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }), true],
    [Object.assign(new Error('aborted'), { name: 'AbortError' }), true],
    [new Error('plain'), false],
    [new ObjectNotFoundError({ bucket: 'b', key: 'k' }), false],
    [undefined, false],
    ['TimeoutError', false],
  ])('%p → %p', (error, transient) => {
    expect(isTransientError(error)).toBe(transient);
  });
});

describe(readableReason.name, () => {
  it.each([
    ['{"code":500,"type":"InternalServerException","message":"CUDA out of memory"}', 'CUDA out of memory'],
    ['{"ErrorCode":"CLIENT_ERROR_FROM_MODEL","Message":"Received server error (500)"}', 'Received server error (500)'],
    ['{"OriginalMessage":"model crashed"}', 'model crashed'],
    ['{"message":"  CUDA out of memory\\n"}', 'CUDA out of memory'],
    ['{"message":"first","Message":"second"}', 'first'],
    ['{"Message":"second","OriginalMessage":"third"}', 'second'],
    ['{"OriginalMessage":"third","error":{"message":"fourth"}}', 'third'],
    ['{"result":"error","error":{"message":"bad prompt"}}', 'bad prompt'],
    ['{"message":"  "}', '{"message":"  "}'],
    ['plain text reason', 'plain text reason'],
    ['{"unexpected":1}', '{"unexpected":1}'],
    ['{"message":42,"error":"boom"}', '{"message":42,"error":"boom"}'],
    ['{"error":null}', '{"error":null}'],
    ['null', 'null'],
    ['"a JSON string"', '"a JSON string"'],
    ['', ''],
  ])('reads %s as %s', (text, reason) => {
    expect(readableReason(text)).toBe(reason);
  });
});
