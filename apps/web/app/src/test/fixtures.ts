import type { Job, Model } from '../api/types';

export const SDXL: Model = {
  id: 'stable-diffusion-xl',
  displayName: 'Stable Diffusion XL 1.0',
  description: 'SDXL',
  mode: 'async',
  default: true,
  reportsProgress: false,
  typicalSeconds: 4.6,
  coldStartSeconds: 360,
  pricing: { instanceType: 'ml.g5.2xlarge', hourlyUsd: 1.515, typicalJobUsd: 0.001936 },
  defaults: { width: 1024, height: 1024, steps: 30, guidanceScale: 7, numImages: 1, outputFormat: 'png' },
  limits: {
    minSteps: 1,
    maxSteps: 100,
    minSize: 512,
    maxSize: 1536,
    sizeMultiple: 64,
    maxImages: 1,
    maxPromptLength: 2000,
    maxGuidanceScale: 35,
  },
};

export const SD21: Model = {
  id: 'stable-diffusion-2-1',
  displayName: 'Stable Diffusion 2.1 base',
  description: 'SD 2.1',
  mode: 'async',
  default: false,
  reportsProgress: false,
  typicalSeconds: 2.1,
  coldStartSeconds: 300,
  pricing: { instanceType: 'ml.g5.xlarge', hourlyUsd: 1.408, typicalJobUsd: 0.000821 },
  defaults: { width: 512, height: 512, steps: 30, guidanceScale: 7.5, numImages: 1, outputFormat: 'jpeg' },
  limits: {
    minSteps: 1,
    maxSteps: 100,
    minSize: 256,
    maxSize: 1024,
    sizeMultiple: 8,
    maxImages: 4,
    maxPromptLength: 2000,
    maxGuidanceScale: 35,
  },
};

export const STABILITY: Model = {
  ...SDXL,
  id: 'stability-sdxl',
  displayName: 'Stability AI SDXL 1.0',
  default: false,
  limits: {
    ...SDXL.limits,
    minSteps: 10,
    maxSteps: 50,
    minSize: 640,
    allowedSizes: [
      [1024, 1024],
      [1152, 896],
      [896, 1152],
    ],
  },
};

export const ESTIMATE = {
  params: {
    prompt: 'x',
    modelId: SDXL.id,
    steps: 30,
    width: 1024,
    height: 1024,
    quality: 'standard',
    guidanceScale: 7,
    seed: 1,
    numImages: 1,
    outputFormat: 'png',
  },
  cost: { gpuSeconds: 9.4, usd: 0.003678, instanceType: 'ml.g5.xlarge', hourlyUsd: 1.408 },
  wait: { warmSeconds: 9.4, coldSeconds: 369.4 },
  budget: { remainingUsd: 24.85, fits: true, resetsAt: '2026-12-01T00:00:00.000Z' },
};

export function job(overrides: Partial<Job> = {}): Job {
  return {
    jobId: '01JD0000000000000000000000',
    status: 'SUCCEEDED',
    createdAt: '2026-11-26T12:00:00.000Z',
    updatedAt: '2026-11-26T12:00:10.000Z',
    params: {
      prompt: 'a lighthouse',
      modelId: SDXL.id,
      steps: 30,
      width: 1024,
      height: 1024,
      quality: 'standard',
      guidanceScale: 7,
      seed: 42,
      numImages: 1,
      outputFormat: 'png',
    },
    imageUrl: 'http://images.test/1.png',
    images: [{ url: 'http://images.test/1.png', index: 0, width: 1024, height: 1024, format: 'png', bytes: 204800 }],
    imageOutcomes: { ok: 1, filtered: 0, failed: 0, outcomes: ['ok'] },
    progress: { phase: 'done', step: 30, totalSteps: 30 },
    error: null,
    metadata: {
      modelId: SDXL.id,
      endpointName: 'imggen-sdxl-async',
      inferenceId: '01JD0000000000000000000000',
      seed: 42,
      timings: { submittedAt: '2026-11-26T12:00:00.000Z', queueMs: 120, inferenceMs: 9000, totalMs: 9500 },
      cost: { gpuSeconds: 9, usd: 0.0035 },
      cancellation: null,
    },
    links: { self: '/v1/jobs/01JD0000000000000000000000' },
    ...overrides,
  };
}
