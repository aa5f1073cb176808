import { ulid } from 'ulid';
import { type Job, type JobParams, JobStatus, requestKey } from '#libs/contracts';

export const JobParamsFactory = {
  create(overrides: Partial<JobParams> = {}): JobParams {
    return {
      prompt: 'a lighthouse at dawn',
      modelId: 'stable-diffusion-xl',
      steps: 30,
      width: 1024,
      height: 1024,
      quality: 'standard',
      guidanceScale: 7,
      seed: 42,
      numImages: 1,
      outputFormat: 'png',
      ...overrides,
    };
  },
};

export const JobFactory = {
  create(overrides: Partial<Job> = {}): Job {
    const jobId = overrides.jobId ?? ulid();
    const createdAt = overrides.createdAt ?? new Date().toISOString();
    return {
      jobId,
      ownerId: 'user-1',
      status: JobStatus.Queued,
      params: JobParamsFactory.create(),
      createdAt,
      updatedAt: createdAt,
      endpointName: 'imggen-sdxl-async',
      inferenceId: jobId,
      requestLocation: `s3://requests/${requestKey(jobId)}`,
      outputLocation: `s3://outputs/async-out/${jobId}.out`,
      failureLocation: `s3://outputs/async-failures/${jobId}-error.out`,
      images: [],
      timings: { submittedAt: createdAt },
      ...overrides,
    };
  },
};
