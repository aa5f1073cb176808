import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import sharp from 'sharp';
import { JobRepository, ObjectStore } from '#libs/aws';
import { JobStatus } from '#libs/contracts';
import { ModelCatalog } from '#libs/models';
import { type AutoMocked, automock, JobFactory, JobParamsFactory } from '#libs/testing';
import { JobFinalizer } from './job-finalizer.js';

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

  beforeEach(() => {
    jobs = automock(JobRepository);
    objects = automock(ObjectStore);
    objects.put.mockResolvedValue(undefined);
    jobs.transition.mockImplementation(async (transition) => ({ ...JobFactory.create(), ...transition.set }));
    sut = new JobFinalizer(
      jobs as unknown as JobRepository,
      objects as unknown as ObjectStore,
      ModelCatalog.builtIn(),
      'images',
      logger,
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
      jobId: job.jobId,
      from: [JobStatus.Queued, JobStatus.Running],
      to: JobStatus.Succeeded,
    });
    expect(transition.set?.images).toEqual([
      { key: `images/alice/${job.jobId}/0.png`, width: 1024, height: 1024, format: 'png', bytes: png.length },
    ]);
    expect(transition.set?.timings).toMatchObject({
      submittedAt: '2026-01-01T00:00:00.000Z',
      invokedAt: '2026-01-01T00:00:00.100Z',
      completedAt: '2026-01-01T00:00:03.200Z',
      queueMs: 200,
      inferenceMs: 3000,
    });
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

  it('reports already-final when the conditional write finds the job finished', async () => {
    jobs.transition.mockResolvedValue(undefined);
    const outcome = await sut.fail(JobFactory.create(), { code: 'MODEL_ERROR', message: 'boom' }, {});
    expect(outcome).toBe('already-final');
  });
});
