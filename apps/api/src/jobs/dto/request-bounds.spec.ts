import { describe, expect, it } from '@jest/globals';
import { BUILT_IN_MODELS, type ModelDefinition } from '#libs/models';
import { REQUEST_BOUNDS, requestBoundsOf } from './request-bounds.js';

describe('request bounds', () => {
  it('are the widest limits of the built-in models', () => {
    expect(REQUEST_BOUNDS).toEqual({
      steps: { min: 1, max: 100 },
      size: { min: 256, max: 1536, multipleOf: 8 },
      numImages: { min: 1, max: 4 },
      promptLength: 2000,
      guidanceScale: { min: 0, max: 35 },
      seed: { min: 0, max: 4294967295 },
    });
  });

  it('keep a size grid every model agrees with', () => {
    const [base] = BUILT_IN_MODELS as [ModelDefinition];
    const model = (minSteps: number, sizeMultiple: number): ModelDefinition => ({
      ...base,
      limits: { ...base.limits, minSteps, sizeMultiple },
    });
    expect(requestBoundsOf([model(10, 64), model(20, 48)])).toMatchObject({
      steps: { min: 10 },
      size: { multipleOf: 16 },
    });
  });
});
