import openapi from '../../../../../openapi.json' with { type: 'json' };
import { SD21, SDXL, STABILITY } from '../test/fixtures';
import {
  type Draft,
  draftFromParams,
  draftToRequest,
  EMPTY_DRAFT,
  fieldMessage,
  loadDraft,
  REQUEST_BOUNDS,
  saveDraft,
  sizePresets,
  validateDraft,
} from './draft';

const draft = (patch: Partial<Draft>): Draft => ({ ...EMPTY_DRAFT, prompt: 'a cat', size: '1024x1024', ...patch });

const EVERY_RATIO = ['1:1', '4:3', '3:4', '3:2', '2:3', '16:9', '9:16'];

describe('sizePresets', () => {
  it('offers each aspect ratio at about the default area, in the size multiple and within the limits', () => {
    const presets = sizePresets(SDXL);
    expect(presets[0]).toEqual({ label: '1:1 · 1024×1024', width: 1024, height: 1024 });
    for (const { width, height } of presets) {
      for (const side of [width, height]) {
        expect(side % SDXL.limits.sizeMultiple).toBe(0);
        expect(side).toBeGreaterThanOrEqual(SDXL.limits.minSize);
        expect(side).toBeLessThanOrEqual(SDXL.limits.maxSize);
      }
    }
    expect(presets.map((preset) => preset.label.split(' ')[0])).toEqual(EVERY_RATIO);
  });

  it('grows a small default area until the short side reaches the minimum (sdxl-turbo: 512² default, 512 min)', () => {
    const turbo = {
      ...SDXL,
      id: 'sdxl-turbo',
      defaults: { ...SDXL.defaults, width: 512, height: 512 },
      limits: { ...SDXL.limits, maxSize: 1024 },
    };
    const presets = sizePresets(turbo);
    expect(presets.map((preset) => preset.label.split(' ')[0])).toEqual(EVERY_RATIO);
    for (const { width, height } of presets) {
      expect(Math.min(width, height)).toBe(512);
      expect(Math.max(width, height)).toBeLessThanOrEqual(1024);
    }
  });

  it('leaves out ratios that do not fit and offers only the allowed sizes when the model lists them', () => {
    const narrow = { ...SD21, limits: { ...SD21.limits, maxSize: 600 } };
    expect(sizePresets(narrow).map((p) => `${p.width}x${p.height}`)).toEqual(['512x512', '592x440', '440x592']);
    expect(sizePresets(STABILITY).map((p) => p.label)).toEqual([
      '1:1 · 1024×1024',
      '≈4:3 · 1152×896',
      '≈3:4 · 896×1152',
    ]);
  });
});

describe('validateDraft: the api’s messages before submitting', () => {
  it('accepts a plain prompt', () => {
    expect(validateDraft(draft({}), SDXL)).toEqual({});
  });

  it('says what the api says for each field: the request schema’s words first, then the model’s', () => {
    expect(validateDraft(draft({ prompt: '  ' }), SDXL)).toEqual({ prompt: 'must not be empty' });
    expect(validateDraft(draft({ prompt: '🐱'.repeat(2001) }), SDXL)).toEqual({
      prompt: 'must be at most 2000 characters',
    });
    expect(validateDraft(draft({ prompt: '🐱'.repeat(2000) }), SDXL)).toEqual({});
    const terse = { ...SDXL, limits: { ...SDXL.limits, maxPromptLength: 10 } };
    expect(validateDraft(draft({ prompt: 'a'.repeat(11) }), terse)).toEqual({
      prompt: 'must be at most 10 characters for model stable-diffusion-xl',
    });
    expect(validateDraft(draft({ detail: 'steps', steps: '51' }), STABILITY)).toEqual({
      steps: 'must be between 10 and 50 for model stability-sdxl',
    });
    expect(validateDraft(draft({ detail: 'steps', steps: '500' }), STABILITY)).toEqual({
      steps: 'must be an integer from 1 to 100',
    });
    expect(validateDraft(draft({ detail: 'steps', steps: '2.5' }), SDXL)).toEqual({
      steps: 'must be an integer from 1 to 100',
    });
    expect(validateDraft(draft({ seedMode: 'fixed', seed: '4294967296' }), SDXL)).toEqual({
      seed: 'must be an integer from 0 to 4294967295',
    });
    expect(validateDraft(draft({ seedMode: 'fixed', seed: '' }), SDXL)).toEqual({
      seed: 'must be an integer from 0 to 4294967295',
    });
    expect(validateDraft(draft({ numImages: 2 }), SDXL)).toEqual({
      numImages: 'must be between 1 and 1 for model stable-diffusion-xl',
    });
  });

  it('uses the request schema’s bounds as openapi.json states them', () => {
    const fields = openapi.components.schemas.CreateJobDto.properties;
    expect(REQUEST_BOUNDS).toEqual({
      promptLength: fields.prompt.maxLength,
      steps: { min: fields.steps.minimum, max: fields.steps.maximum },
      seed: { min: fields.seed.minimum, max: fields.seed.maximum },
    });
  });

  it('drops the field name the api’s messages start with, and only that', () => {
    expect(fieldMessage('steps', 'steps must be between 10 and 50')).toBe('must be between 10 and 50');
    expect(fieldMessage('prompt', 'must not be empty')).toBe('must not be empty');
    expect(fieldMessage('seed', 'seeds must be …')).toBe('seeds must be …');
  });
});

describe('draftToRequest / draftFromParams', () => {
  it('sends only what the user chose', () => {
    expect(draftToRequest(draft({}), SDXL)).toEqual({
      prompt: 'a cat',
      modelId: SDXL.id,
      width: 1024,
      height: 1024,
      quality: 'standard',
      numImages: 1,
    });
    expect(
      draftToRequest(
        draft({
          negativePrompt: 'blur',
          detail: 'steps',
          steps: '20',
          seedMode: 'fixed',
          seed: '7',
          outputFormat: 'webp',
          size: '999x1',
        }),
        SDXL,
      ),
    ).toEqual({
      prompt: 'a cat',
      negativePrompt: 'blur',
      modelId: SDXL.id,
      quality: 'standard',
      steps: 20,
      seed: 7,
      numImages: 1,
      outputFormat: 'webp',
    });
  });

  it('re-runs a job with its seed or a new one, and its quality and guidance (the same seed gives the same image)', () => {
    const params = {
      prompt: 'p',
      modelId: SD21.id,
      steps: 25,
      width: 512,
      height: 512,
      quality: 'high' as const,
      guidanceScale: 8,
      seed: 99,
      numImages: 2,
      outputFormat: 'jpeg' as const,
    };
    const same = draftFromParams(params, 'same');
    expect(draftToRequest(same, SD21)).toEqual({
      prompt: 'p',
      modelId: SD21.id,
      width: 512,
      height: 512,
      quality: 'high',
      steps: 25,
      guidanceScale: 8,
      seed: 99,
      numImages: 2,
      outputFormat: 'jpeg',
    });
    expect(draftToRequest(draftFromParams(params, 'new'), SD21)).not.toHaveProperty('seed');
  });

  it('keeps the draft in sessionStorage', () => {
    saveDraft(draft({ prompt: 'kept' }));
    expect(loadDraft().prompt).toBe('kept');
    sessionStorage.setItem('imggen.draft', '{not json');
    expect(loadDraft()).toEqual(EMPTY_DRAFT);
  });
});
