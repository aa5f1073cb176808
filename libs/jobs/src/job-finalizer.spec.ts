import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import sharp from 'sharp';
import { DependencyUnavailableError, JobRepository, ObjectStore } from '#libs/aws';
import { type Job, type JobTimings, JobStatus } from '#libs/contracts';
import { ModelCatalog } from '#libs/models';
import { type AutoMocked, automock, JobFactory, JobParamsFactory } from '#libs/testing';
import { type InferenceTimes, JobFinalizer } from './job-finalizer.js';

async function image(format: 'png' | 'jpeg', width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#336699' } })
    .toFormat(format)
    .toBuffer();
}

describe(JobFinalizer.name, () => {
  let jobs: AutoMocked<JobRepository>;
  let objects: AutoMocked<ObjectStore>;
  let sut: JobFinalizer;
  const logger = { info: jest.fn(), warn: jest.fn() };
  let listener: { jobFinal: jest.Mock<(job: Job) => Promise<void>> };

  beforeEach(() => {
    jobs = automock(JobRepository);
    objects = automock(ObjectStore);
    objects.put.mockResolvedValue(undefined);
    jobs.transition.mockImplementation(async (transition) => ({
      ...JobFactory.create(),
      status: transition.to,
      ...transition.set,
    }));
    listener = { jobFinal: jest.fn<(job: Job) => Promise<void>>().mockResolvedValue(undefined) };
    sut = new JobFinalizer(
      jobs as unknown as JobRepository,
      objects as unknown as ObjectStore,
      ModelCatalog.builtIn(),
      'images',
      logger,
      [listener],
    );
  });

  it('stores the decoded image under the owner/job key and marks the job SUCCEEDED with timings', async () => {
    const job = JobFactory.create({
      ownerId: 'alice',
      params: JobParamsFactory.create({
        modelId: 'stable-diffusion-xl',
        width: 1024,
        height: 1024,
        outputFormat: 'png',
      }),
      timings: { submittedAt: '2026-01-01T00:00:00.000Z', invokedAt: '2026-01-01T00:00:00.100Z' },
    });
    const png = await image('png', 1024, 1024);
    const body = Buffer.from(JSON.stringify({ generated_image: png.toString('base64') }));

    const outcome = await sut.succeed(
      job,
      { body, contentType: 'application/json' },
      {
        receivedAt: '2026-01-01T00:00:00.200Z',
        completedAt: '2026-01-01T00:00:03.200Z',
      },
    );

    expect(outcome).toBe('succeeded');
    expect(objects.put).toHaveBeenCalledWith(
      { bucket: 'images', key: `images/alice/${job.jobId}/0.png` },
      png,
      'image/png',
    );
    const transition = jobs.transition.mock.calls[0]![0];
    expect(transition).toMatchObject({
      job: { jobId: job.jobId },
      from: [JobStatus.Queued, JobStatus.Running],
      to: JobStatus.Succeeded,
    });
    expect(transition.set?.images).toEqual([
      { key: `images/alice/${job.jobId}/0.png`, index: 0, width: 1024, height: 1024, format: 'png', bytes: png.length },
    ]);
    expect(transition.set?.imageOutcomes).toEqual(['ok']);
    expect(transition.set?.timings).toMatchObject({
      submittedAt: '2026-01-01T00:00:00.000Z',
      invokedAt: '2026-01-01T00:00:00.100Z',
      completedAt: '2026-01-01T00:00:03.200Z',
      queueMs: 200,
      inferenceMs: 3000,
    });
    // 3 s on ml.g5.xlarge at $1.408/h = $0.0011733..., rounded up to whole micro-dollars
    expect(transition.set?.cost).toEqual({ gpuSeconds: 3, usd: 0.001174 });
  });

  it('re-encodes when the model answers in another format than the job asked for', async () => {
    const job = JobFactory.create({
      params: JobParamsFactory.create({
        modelId: 'stable-diffusion-2-1',
        width: 512,
        height: 512,
        outputFormat: 'png',
        numImages: 2,
      }),
    });
    const jpeg = await image('jpeg', 512, 512);
    const body = Buffer.from(
      JSON.stringify({ generated_images: [jpeg.toString('base64'), jpeg.toString('base64')], prompt: 'x' }),
    );

    await sut.succeed(job, { body }, {});

    expect(objects.put).toHaveBeenCalledTimes(2);
    const stored = objects.put.mock.calls[1]![1];
    expect((await sharp(stored).metadata()).format).toBe('png');
    expect(jobs.transition.mock.calls[0]![0].set?.images?.map((i) => i.key)).toEqual([
      `images/user-1/${job.jobId}/0.png`,
      `images/user-1/${job.jobId}/1.png`,
    ]);
  });

  it('fails the job when the output is not what the model’s codec expects', async () => {
    const job = JobFactory.create();
    const outcome = await sut.succeed(job, { body: Buffer.from('{"unexpected":true}') }, {});
    expect(outcome).toBe('failed');
    expect(objects.put).not.toHaveBeenCalled();
    expect(jobs.transition.mock.calls[0]![0]).toMatchObject({
      to: JobStatus.Failed,
      set: { error: { code: 'MODEL_OUTPUT_INVALID' } },
    });
  });

  it('keeps the codec’s own code: a content-filtered image fails the job as CONTENT_FILTERED', async () => {
    const job = JobFactory.create({ params: JobParamsFactory.create({ modelId: 'stability-sdxl' }) });
    const filtered = { result: 'success', artifacts: [{ base64: '', seed: 1, finishReason: 'CONTENT_FILTERED' }] };
    const outcome = await sut.succeed(job, { body: Buffer.from(JSON.stringify(filtered)) }, {});
    expect(outcome).toBe('failed');
    expect(objects.put).not.toHaveBeenCalled();
    expect(jobs.transition.mock.calls[0]![0]).toMatchObject({
      to: JobStatus.Failed,
      set: { error: { code: 'CONTENT_FILTERED' } },
    });
  });

  it('keeps the delivered images when the filter blocked others of the batch: SUCCEEDED with the outcomes', async () => {
    const job = JobFactory.create({
      ownerId: 'alice',
      params: JobParamsFactory.create({ modelId: 'imggen-sdxl', outputFormat: 'png', numImages: 3 }),
    });
    const png = await image('png', 64, 64);
    const body = Buffer.from(
      JSON.stringify({
        images: [
          { outcome: 'filtered', seed: 1, message: 'flagged' },
          { outcome: 'ok', seed: 2, base64: png.toString('base64'), format: 'png' },
          { outcome: 'failed', seed: 3 },
        ],
        seed: 1,
        timings: { loadMs: 0, queueMs: 5, inferenceMs: 7200 },
      }),
    );

    const outcome = await sut.succeed(
      job,
      { body, contentType: 'application/json' },
      {
        receivedAt: '2026-01-01T00:00:00.000Z',
        completedAt: '2026-01-01T00:01:00.000Z',
      },
    );

    expect(outcome).toBe('succeeded');
    expect(objects.put).toHaveBeenCalledTimes(1);
    const transition = jobs.transition.mock.calls[0]![0];
    expect(transition.to).toBe(JobStatus.Succeeded);
    // the image keeps its batch position in its key and its index
    expect(transition.set?.images).toEqual([
      { key: `images/alice/${job.jobId}/1.png`, index: 1, width: 64, height: 64, format: 'png', bytes: png.length },
    ]);
    expect(transition.set?.imageOutcomes).toEqual(['filtered', 'ok', 'failed']);
    expect(transition.set?.timings?.model).toEqual({ loadMs: 0, queueMs: 5, inferenceMs: 7200 });
    // charged for the container's 7.2 s of rendering, not SageMaker's 60 s receivedTime → eventTime
    expect(transition.set?.cost).toEqual({ gpuSeconds: 7.2, usd: 0.002816 });
  });

  it('fails the job CONTENT_FILTERED, with the outcomes, when the filter blocked every image', async () => {
    const job = JobFactory.create({ params: JobParamsFactory.create({ modelId: 'imggen-sdxl', numImages: 2 }) });
    const body = Buffer.from(
      JSON.stringify({
        images: [
          { outcome: 'filtered', seed: 1 },
          { outcome: 'filtered', seed: 2 },
        ],
        seed: 1,
      }),
    );
    const outcome = await sut.succeed(job, { body }, {});
    expect(outcome).toBe('failed');
    expect(objects.put).not.toHaveBeenCalled();
    const transition = jobs.transition.mock.calls[0]![0];
    expect(transition).toMatchObject({ to: JobStatus.Failed, set: { error: { code: 'CONTENT_FILTERED' } } });
    expect(transition.set?.error?.message).toMatch(
      /^imggen: the model's content filter blocked every image \(2 of 2\)/,
    );
    expect(transition.set?.imageOutcomes).toEqual(['filtered', 'filtered']);
  });

  it('fails the job MODEL_OUTPUT_INVALID and stores nothing when an image cannot be read', async () => {
    const job = JobFactory.create({
      params: JobParamsFactory.create({ modelId: 'stable-diffusion-2-1', outputFormat: 'png', numImages: 2 }),
    });
    const jpeg = await image('jpeg', 64, 64);
    const good = jpeg.toString('base64');
    // a JPEG's magic bytes (the codec accepts it) with the rest cut off (sharp cannot read it)
    const corrupt = jpeg.subarray(0, 24).toString('base64');
    const body = Buffer.from(JSON.stringify({ generated_images: [good, corrupt], prompt: 'x' }));

    const outcome = await sut.succeed(job, { body }, {});

    expect(outcome).toBe('failed');
    expect(objects.put).not.toHaveBeenCalled();
    const transition = jobs.transition.mock.calls[0]![0];
    expect(transition).toMatchObject({ to: JobStatus.Failed, from: [JobStatus.Queued, JobStatus.Running] });
    expect(transition.set?.error?.code).toBe('MODEL_OUTPUT_INVALID');
    expect(transition.set?.error?.message).toMatch(/^the model returned an image that cannot be read/);
  });

  it('stores the bytes as they are when they already are the wanted format, whatever the codec claimed', async () => {
    const job = JobFactory.create({
      params: JobParamsFactory.create({ modelId: 'stable-diffusion-2-1', outputFormat: 'png', width: 64, height: 64 }),
    });
    const png = await image('png', 64, 64);
    const body = Buffer.from(JSON.stringify({ generated_images: [png.toString('base64')], prompt: 'x' }));
    await sut.succeed(job, { body }, {});
    expect(objects.put.mock.calls[0]![1]).toEqual(png);
  });

  it('fails the job MODEL_UNKNOWN when its model left the catalog', async () => {
    const job = JobFactory.create({ params: JobParamsFactory.create({ modelId: 'retired-model' }) });
    const outcome = await sut.succeed(job, { body: Buffer.from('{}') }, {});
    expect(outcome).toBe('failed');
    expect(jobs.transition.mock.calls[0]![0].set?.error).toEqual({
      code: 'MODEL_UNKNOWN',
      message: 'model retired-model is no longer in the catalog',
    });
  });

  it('charges a failed job for the GPU time it held, and nothing when the notification has no times', async () => {
    const job = JobFactory.create({ params: JobParamsFactory.create({ modelId: 'stable-diffusion-xl' }) });
    const error = { code: 'MODEL_ERROR' as const, message: 'boom' };
    await sut.fail(job, error, { receivedAt: '2026-01-01T00:00:00.000Z', completedAt: '2026-01-01T00:00:36.000Z' });
    await sut.fail(job, error, {});
    // 36 s x $1.408 / 3600 = $0.01408 exactly
    expect(jobs.transition.mock.calls[0]![0].set?.cost).toEqual({ gpuSeconds: 36, usd: 0.01408 });
    expect(jobs.transition.mock.calls[1]![0].set?.cost).toEqual({ gpuSeconds: 0, usd: 0 });
  });

  it('lets a storage outage through to the caller (a retry can succeed) without touching the job', async () => {
    const job = JobFactory.create();
    objects.put.mockRejectedValue(new DependencyUnavailableError('S3', 'S3 is unavailable'));
    const png = await image('png', 1024, 1024);
    const body = Buffer.from(JSON.stringify({ generated_image: png.toString('base64') }));
    await expect(sut.succeed(job, { body }, {})).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(jobs.transition).not.toHaveBeenCalled();
  });

  it('reports already-final, and stores nothing more, when the job was made final meanwhile', async () => {
    jobs.transition.mockResolvedValue(undefined);
    jobs.get.mockResolvedValue(undefined);
    objects.deleteMany.mockResolvedValue(undefined);
    const png = await image('png', 1024, 1024);
    const body = Buffer.from(JSON.stringify({ generated_image: png.toString('base64') }));
    await expect(sut.succeed(JobFactory.create(), { body }, {})).resolves.toBe('already-final');
    const error = { code: 'MODEL_ERROR', message: 'boom' } as const;
    await expect(sut.fail(JobFactory.create(), error, {})).resolves.toBe('already-final');
  });

  it('deletes the images it just stored when the job timed out meanwhile, and keeps them for a SUCCEEDED one', async () => {
    const job = JobFactory.create();
    jobs.transition.mockResolvedValue(undefined);
    objects.deleteMany.mockResolvedValue(undefined);
    const png = await image('png', 1024, 1024);
    const body = Buffer.from(JSON.stringify({ generated_image: png.toString('base64') }));

    jobs.get.mockResolvedValue({ ...job, status: JobStatus.TimedOut });
    await expect(sut.succeed(job, { body }, {})).resolves.toBe('already-final');
    const stored = objects.put.mock.calls.map(([location]) => location);
    expect(objects.deleteMany.mock.calls).toEqual([[stored]]);

    objects.deleteMany.mockClear();
    jobs.get.mockResolvedValue({ ...job, status: JobStatus.Succeeded });
    await sut.succeed(job, { body }, {});
    expect(objects.deleteMany).not.toHaveBeenCalled();
  });

  it('times a job out with the code SageMaker gave: a request expired in the queue costs nothing', async () => {
    const job = JobFactory.create();
    jobs.transition.mockImplementation((t) => Promise.resolve({ ...job, status: t.to, ...t.set }));
    const times = { receivedAt: '2026-11-27T10:00:00.000Z', completedAt: '2026-11-27T10:01:00.000Z' };

    const queue = { code: 'QUEUE_TIMEOUT', message: 'expired' } as const;
    await expect(sut.timeOut(job, queue, times)).resolves.toBe('timed-out');
    expect(jobs.transition.mock.calls[0]![0]).toMatchObject({
      to: JobStatus.TimedOut,
      set: { error: queue, cost: { gpuSeconds: 0, usd: 0 } },
    });

    const inference = { code: 'INFERENCE_TIMEOUT', message: 'too slow' } as const;
    await sut.timeOut(job, inference, times);
    expect(jobs.transition.mock.calls[1]![0].set?.cost?.gpuSeconds).toBe(60);
  });

  describe('final-state listeners', () => {
    const error = { code: 'MODEL_ERROR', message: 'boom' } as const;

    it('are told once about the job the final write produced', async () => {
      await sut.fail(JobFactory.create(), error, {});
      expect(listener.jobFinal).toHaveBeenCalledTimes(1);
      expect(listener.jobFinal.mock.calls[0]![0]).toMatchObject({ status: JobStatus.Failed, error });
    });

    it('are told again about a job someone else made final, as it is now', async () => {
      jobs.transition.mockResolvedValue(undefined);
      const final = JobFactory.create({ status: JobStatus.Succeeded });
      jobs.get.mockResolvedValue(final);
      await expect(sut.fail(JobFactory.create({ jobId: final.jobId }), error, {})).resolves.toBe('already-final');
      expect(listener.jobFinal.mock.calls).toEqual([[final]]);
    });

    it('make the finalization fail when one of them fails, so the message is retried', async () => {
      listener.jobFinal.mockRejectedValue(new DependencyUnavailableError('DynamoDB', 'down'));
      await expect(sut.fail(JobFactory.create(), error, {})).rejects.toBeInstanceOf(DependencyUnavailableError);
    });

    it('are not told about a job that is still active', async () => {
      await sut.reportAlreadyFinal(JobFactory.create({ status: JobStatus.Queued }));
      expect(listener.jobFinal).not.toHaveBeenCalled();
      const final = JobFactory.create({ status: JobStatus.Failed });
      await sut.reportAlreadyFinal(final);
      expect(listener.jobFinal.mock.calls).toEqual([[final]]);
    });
  });

  describe('the final write and its timings', () => {
    const submittedAt = '2026-01-01T00:00:00.000Z';
    const now = '2026-01-01T00:00:05.000Z';
    const error = { code: 'MODEL_ERROR', message: 'CUDA out of memory' } as const;

    beforeEach(() => {
      jest.useFakeTimers({ now: new Date(now) });
    });
    afterEach(() => {
      jest.useRealTimers();
    });

    async function failWith(times: InferenceTimes): Promise<JobTimings | undefined> {
      const job = JobFactory.create({ ownerId: 'bob', timings: { submittedAt } });
      await expect(sut.fail(job, error, times)).resolves.toBe('failed');
      const transition = jobs.transition.mock.calls[0]![0];
      expect(transition).toEqual({
        // the job as read: the answer is built from it unless another write came first
        job,
        from: [JobStatus.Queued, JobStatus.Running],
        to: JobStatus.Failed,
        set: { error, updatedAt: now, timings: expect.any(Object), cost: expect.any(Object) },
      });
      return transition.set?.timings;
    }

    it('with every time known: queue, inference and total durations', async () => {
      const timings = await failWith({
        receivedAt: '2026-01-01T00:00:01.000Z',
        completedAt: '2026-01-01T00:00:04.500Z',
      });
      expect(timings).toStrictEqual({
        submittedAt,
        completedAt: '2026-01-01T00:00:04.500Z',
        finalizedAt: now,
        queueMs: 1000,
        inferenceMs: 3500,
        totalMs: 5000,
      });
    });

    it('without SageMaker’s times: only the total', async () => {
      // strict: an unknown duration is left out of the write, never written as undefined
      expect(await failWith({})).toStrictEqual({ submittedAt, finalizedAt: now, totalMs: 5000 });
    });

    it('with only the time SageMaker took the request: the queue time, no inference time', async () => {
      expect(await failWith({ receivedAt: '2026-01-01T00:00:02.000Z' })).toStrictEqual({
        submittedAt,
        finalizedAt: now,
        queueMs: 2000,
        totalMs: 5000,
      });
    });

    it('with only the completion time: no queue or inference time', async () => {
      expect(await failWith({ completedAt: '2026-01-01T00:00:04.000Z' })).toStrictEqual({
        submittedAt,
        completedAt: '2026-01-01T00:00:04.000Z',
        finalizedAt: now,
        totalMs: 5000,
      });
    });

    it('keeps a zero duration, drops a negative or unparseable one', async () => {
      expect(
        await failWith({ receivedAt: '2026-01-01T00:00:03.000Z', completedAt: '2026-01-01T00:00:03.000Z' }),
      ).toMatchObject({ queueMs: 3000, inferenceMs: 0 });
      jobs.transition.mockClear();
      const skewed = await failWith({
        receivedAt: '2026-01-01T00:00:03.000Z',
        completedAt: '2026-01-01T00:00:02.000Z',
      });
      expect(skewed).toStrictEqual({
        submittedAt,
        completedAt: '2026-01-01T00:00:02.000Z',
        finalizedAt: now,
        queueMs: 3000,
        totalMs: 5000,
      });
      jobs.transition.mockClear();
      const garbled = await failWith({ receivedAt: 'yesterday', completedAt: '2026-01-01T00:00:02.000Z' });
      expect(garbled).not.toHaveProperty('queueMs');
      expect(garbled).not.toHaveProperty('inferenceMs');
    });

    it('leaves the total out when the clock says the job was finalized before it was submitted', async () => {
      const job = JobFactory.create({ timings: { submittedAt: '2026-01-01T00:00:09.000Z' } });
      await sut.fail(job, error, {});
      expect(jobs.transition.mock.calls[0]![0].set?.timings).toStrictEqual({
        submittedAt: '2026-01-01T00:00:09.000Z',
        finalizedAt: now,
      });
    });
  });
});
