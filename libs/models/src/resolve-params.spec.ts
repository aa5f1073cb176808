import type { JobRequest } from '#libs/contracts';
import { ModelCatalog } from './catalog.js';
import { ModelParamsError } from './errors.js';
import { MAX_SEED } from './resolve-params.js';

const catalog = ModelCatalog.builtIn();
const fixedRandom = (): number => 0.5;

function issuesOf(request: JobRequest): Array<{ field: string; message: string }> {
  try {
    catalog.resolve(request, fixedRandom);
  } catch (error) {
    if (error instanceof ModelParamsError) {
      return error.errors;
    }
    throw error;
  }
  throw new Error('expected a ModelParamsError');
}

function fieldsOf(request: JobRequest): string[] {
  return issuesOf(request).map((issue) => issue.field);
}

/** What `{ prompt: 'a cat' }` resolves to on the default model with the standard preset, the seed aside. */
const SDXL_STANDARD_CAT = {
  prompt: 'a cat',
  modelId: 'stable-diffusion-xl',
  steps: 30,
  width: 1024,
  height: 1024,
  quality: 'standard',
  guidanceScale: 7,
  numImages: 1,
  outputFormat: 'png',
} as const;

describe('ModelCatalog.resolve', () => {
  it('fills every parameter from the default model and the standard preset', () => {
    expect(catalog.resolve({ prompt: 'a cat' }, fixedRandom)).toEqual({
      ...SDXL_STANDARD_CAT,
      seed: Math.floor(0.5 * MAX_SEED) + 1,
    });
  });

  it('uses the chosen model defaults', () => {
    const params = catalog.resolve({ prompt: 'a cat', modelId: 'stable-diffusion-2-1' }, fixedRandom);
    expect(params).toMatchObject({ width: 512, height: 512, steps: 30, guidanceScale: 7.5, outputFormat: 'jpeg' });
  });

  it('maps draft and high to fewer and more steps and guidance', () => {
    expect(catalog.resolve({ prompt: 'a', quality: 'draft' })).toMatchObject({ steps: 15, guidanceScale: 6 });
    expect(catalog.resolve({ prompt: 'a', quality: 'high' })).toMatchObject({ steps: 45, guidanceScale: 7.5 });
    // 30 * 1.5 = 45 <= 50 for stability; the preset never exceeds maxSteps.
    expect(catalog.resolve({ prompt: 'a', quality: 'high', modelId: 'stability-sdxl' }).steps).toBeLessThanOrEqual(50);
  });

  it('keeps the distilled model at 1-2 steps and no guidance whatever the quality', () => {
    expect(catalog.resolve({ prompt: 'a', modelId: 'sdxl-turbo' })).toMatchObject({ steps: 1, guidanceScale: 0 });
    expect(catalog.resolve({ prompt: 'a', modelId: 'sdxl-turbo', quality: 'draft' })).toMatchObject({
      steps: 1,
      guidanceScale: 0,
    });
    expect(catalog.resolve({ prompt: 'a', modelId: 'sdxl-turbo', quality: 'high' })).toMatchObject({
      steps: 2,
      guidanceScale: 0,
    });
    expect(catalog.resolve({ prompt: 'a', modelId: 'sdxl-turbo', steps: 4, guidanceScale: 0 }).steps).toBe(4);
  });

  it('keeps presets within the model step range', () => {
    const catalog10 = ModelCatalog.fromDefinitions([
      {
        ...catalog.get('stability-sdxl'),
        default: true,
        defaults: { ...catalog.get('stability-sdxl').defaults, steps: 12 },
      },
    ]);
    expect(catalog10.resolve({ prompt: 'a', quality: 'draft' }).steps).toBe(10);
  });

  it('lets explicit steps and guidance win over the preset', () => {
    expect(catalog.resolve({ prompt: 'a', quality: 'draft', steps: 40, guidanceScale: 9 })).toMatchObject({
      quality: 'draft',
      steps: 40,
      guidanceScale: 9,
    });
  });

  it('keeps every explicit value', () => {
    const request: JobRequest = {
      prompt: 'a cat',
      negativePrompt: 'blurry',
      modelId: 'stable-diffusion-2-1',
      steps: 20,
      width: 768,
      height: 512,
      quality: 'high',
      guidanceScale: 5.5,
      seed: 42,
      numImages: 3,
      outputFormat: 'webp',
      webhookUrl: 'https://example.com/hook',
    };
    expect(catalog.resolve(request)).toEqual({
      ...request,
      modelId: 'stable-diffusion-2-1',
      webhookEvents: ['completed'],
    });
  });

  it('keeps the chosen webhook events once each, in catalogue order, and none without a webhookUrl', () => {
    const chosen = catalog.resolve({
      prompt: 'a',
      webhookUrl: 'https://example.com/hook',
      webhookEvents: ['completed', 'queued', 'completed'],
    });
    expect(chosen.webhookEvents).toEqual(['queued', 'completed']);
    expect(catalog.resolve({ prompt: 'a', webhookEvents: ['queued'] })).not.toHaveProperty('webhookEvents');
  });

  it('draws a seed when none is given and keeps a given one, even 0', () => {
    expect(catalog.resolve({ prompt: 'a' }, () => 0).seed).toBe(1);
    expect(catalog.resolve({ prompt: 'a' }, () => 0.999999999999).seed).toBe(MAX_SEED);
    const seeds = new Set(Array.from({ length: 20 }, () => catalog.resolve({ prompt: 'a' }).seed));
    expect(seeds.size).toBeGreaterThan(1);
    expect(catalog.resolve({ prompt: 'a', seed: 42 }, fixedRandom).seed).toBe(42);
    expect(catalog.resolve({ prompt: 'a', seed: 0 }, fixedRandom).seed).toBe(0);
  });

  it('drops an empty negative prompt', () => {
    expect(catalog.resolve({ prompt: 'a', negativePrompt: '  ' })).not.toHaveProperty('negativePrompt');
  });

  it('rejects an unknown model on modelId', () => {
    expect(issuesOf({ prompt: 'a', modelId: 'dall-e' })).toEqual([
      { field: 'modelId', message: expect.stringContaining("unknown model 'dall-e'") },
    ]);
  });

  it.each<[string, JobRequest, string]>([
    ['prompt', { prompt: '   ' }, 'must be a non-empty string'],
    ['prompt', {} as JobRequest, 'must be a non-empty string'],
    ['prompt', { prompt: 42 } as unknown as JobRequest, 'must be a non-empty string'],
    ['prompt', { prompt: 'x'.repeat(2001) }, 'must be at most 2000 characters for model stable-diffusion-xl'],
    [
      'negativePrompt',
      { prompt: 'a', negativePrompt: 'x'.repeat(2001) },
      'must be at most 2000 characters for model stable-diffusion-xl',
    ],
    ['negativePrompt', { prompt: 'a', negativePrompt: 42 } as unknown as JobRequest, 'must be a string'],
    ['steps', { prompt: 'a', steps: 0 }, 'must be between 1 and 100 for model stable-diffusion-xl'],
    ['steps', { prompt: 'a', steps: 101 }, 'must be between 1 and 100 for model stable-diffusion-xl'],
    ['steps', { prompt: 'a', steps: 10.5 }, 'must be an integer'],
    ['steps', { prompt: 'a', steps: '20' } as unknown as JobRequest, 'must be an integer'],
    [
      'steps',
      { prompt: 'a', modelId: 'stability-sdxl', steps: 51 },
      'must be between 10 and 50 for model stability-sdxl',
    ],
    [
      'steps',
      { prompt: 'a', modelId: 'stability-sdxl', steps: 9 },
      'must be between 10 and 50 for model stability-sdxl',
    ],
    ['width', { prompt: 'a', width: 448 }, 'must be between 512 and 1536 for model stable-diffusion-xl'],
    ['width', { prompt: 'a', width: 1600 }, 'must be between 512 and 1536 for model stable-diffusion-xl'],
    ['width', { prompt: 'a', width: 1000 }, 'must be a multiple of 64 for model stable-diffusion-xl'],
    ['height', { prompt: 'a', height: 1000 }, 'must be a multiple of 64 for model stable-diffusion-xl'],
    [
      'height',
      { prompt: 'a', modelId: 'stable-diffusion-2-1', height: 2048 },
      'must be between 256 and 1024 for model stable-diffusion-2-1',
    ],
    [
      'height',
      { prompt: 'a', modelId: 'stable-diffusion-2-1', height: 516 },
      'must be a multiple of 8 for model stable-diffusion-2-1',
    ],
    ['guidanceScale', { prompt: 'a', guidanceScale: -1 }, 'must be between 0 and 35'],
    ['guidanceScale', { prompt: 'a', guidanceScale: 35.5 }, 'must be between 0 and 35'],
    ['guidanceScale', { prompt: 'a', guidanceScale: Number.NaN }, 'must be a number'],
    ['guidanceScale', { prompt: 'a', guidanceScale: Number.POSITIVE_INFINITY }, 'must be a number'],
    ['guidanceScale', { prompt: 'a', guidanceScale: '7' } as unknown as JobRequest, 'must be a number'],
    [
      'guidanceScale',
      { prompt: 'a', modelId: 'sdxl-turbo', guidanceScale: 1 },
      'must be 0 for model sdxl-turbo (it was trained without guidance)',
    ],
    ['steps', { prompt: 'a', modelId: 'sdxl-turbo', steps: 5 }, 'must be between 1 and 4 for model sdxl-turbo'],
    ['numImages', { prompt: 'a', numImages: 2 }, 'must be between 1 and 1 for model stable-diffusion-xl'],
    [
      'numImages',
      { prompt: 'a', modelId: 'stable-diffusion-2-1', numImages: 5 },
      'must be between 1 and 4 for model stable-diffusion-2-1',
    ],
    ['numImages', { prompt: 'a', numImages: 0 }, 'must be between 1 and 1 for model stable-diffusion-xl'],
    ['seed', { prompt: 'a', seed: -1 }, `must be between 0 and ${MAX_SEED}`],
    ['seed', { prompt: 'a', seed: MAX_SEED + 1 }, `must be between 0 and ${MAX_SEED}`],
    ['seed', { prompt: 'a', seed: 1.5 }, 'must be an integer'],
  ])('names %s when it breaks a limit: %j', (field, request, message) => {
    expect(issuesOf(request)).toEqual([{ field, message }]);
  });

  it('accepts every limit itself', () => {
    const longest = 'x'.repeat(2000);
    const request: JobRequest = { prompt: longest, negativePrompt: longest, guidanceScale: 0 };
    expect(catalog.resolve(request, fixedRandom)).toMatchObject({ prompt: longest, negativePrompt: longest });
    expect(catalog.resolve({ prompt: 'a', guidanceScale: 35 }, fixedRandom).guidanceScale).toBe(35);
    expect(catalog.resolve({ prompt: 'a', guidanceScale: 0 }, fixedRandom).guidanceScale).toBe(0);
    expect(catalog.resolve({ prompt: 'a', steps: 1, width: 512, height: 1536 }, fixedRandom)).toMatchObject({
      steps: 1,
      width: 512,
      height: 1536,
    });
    expect(catalog.resolve({ prompt: 'a', steps: 100, seed: MAX_SEED }, fixedRandom)).toMatchObject({
      steps: 100,
      seed: MAX_SEED,
    });
  });

  it('leaves out the optional fields the request did not set', () => {
    expect(catalog.resolve({ prompt: 'a cat', seed: 7 })).toStrictEqual({
      ...SDXL_STANDARD_CAT,
      seed: 7,
    });
  });

  it('counts prompt length in characters (code points), as the api does: an emoji is one', () => {
    const emoji = '🌅'.repeat(2000);
    expect(emoji.length).toBe(4000);
    expect(catalog.resolve({ prompt: emoji, negativePrompt: emoji }).prompt).toBe(emoji);
    expect(fieldsOf({ prompt: `${emoji}x` })).toEqual(['prompt']);
  });

  it('names quality and outputFormat when they are not in their enums', () => {
    const request = { prompt: 'a', quality: 'ultra', outputFormat: 'gif' } as unknown as JobRequest;
    expect(issuesOf(request)).toEqual([
      { field: 'quality', message: 'must be one of draft, standard, high' },
      { field: 'outputFormat', message: 'must be one of png, jpeg, webp' },
    ]);
  });

  it('checks sizes against the allowed list', () => {
    const base = { prompt: 'a', modelId: 'stability-sdxl' } as const;
    expect(catalog.resolve({ ...base, width: 1344, height: 768 })).toMatchObject({ width: 1344, height: 768 });
    expect(catalog.resolve({ ...base, width: 640, height: 1536 })).toMatchObject({ width: 640, height: 1536 });
    expect(issuesOf({ ...base, width: 1024, height: 768 })).toEqual([
      {
        field: 'width',
        message:
          '1024x768 is not a size model stability-sdxl supports; use one of 1024x1024, 1152x896, 896x1152, ' +
          '1216x832, 832x1216, 1344x768, 768x1344, 1536x640, 640x1536',
      },
    ]);
    // Only the height was chosen: it is the one to blame.
    expect(fieldsOf({ ...base, height: 896 })).toEqual(['height']);
    // A size already refused for its own limits is not refused again for the list.
    expect(issuesOf({ ...base, width: 1000, height: 1024 })).toEqual([
      { field: 'width', message: 'must be a multiple of 64 for model stability-sdxl' },
    ]);
  });

  it('reports every problem at once', () => {
    const error = (() => {
      try {
        catalog.resolve({ prompt: '', steps: 1000, width: 7, numImages: 9 });
      } catch (caught) {
        return caught as ModelParamsError;
      }
      throw new Error('expected an error');
    })();
    expect(error).toBeInstanceOf(ModelParamsError);
    expect(error.errors.map((e) => e.field)).toEqual(['prompt', 'steps', 'width', 'numImages']);
    expect(error.message).toMatch(/^Invalid job parameters: prompt: /);
  });
});
