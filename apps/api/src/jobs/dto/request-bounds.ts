import { BUILT_IN_MODELS, MAX_GUIDANCE_SCALE, MAX_SEED, MIN_GUIDANCE_SCALE, type ModelDefinition } from '#libs/models';

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * The widest bounds any model of a catalog accepts: what the request schema states before the chosen model
 * narrows them (GET /v1/models lists each model's own limits).
 */
export function requestBoundsOf(models: readonly ModelDefinition[]) {
  const limits = models.map((model) => model.limits);
  return {
    steps: { min: Math.min(...limits.map((l) => l.minSteps ?? 1)), max: Math.max(...limits.map((l) => l.maxSteps)) },
    size: {
      min: Math.min(...limits.map((l) => l.minSize)),
      max: Math.max(...limits.map((l) => l.maxSize)),
      multipleOf: limits.map((l) => l.sizeMultiple).reduce(gcd),
    },
    numImages: { min: 1, max: Math.max(...limits.map((l) => l.maxImages)) },
    promptLength: Math.max(...limits.map((l) => l.maxPromptLength)),
    guidanceScale: { min: MIN_GUIDANCE_SCALE, max: MAX_GUIDANCE_SCALE },
    seed: { min: 0, max: MAX_SEED },
  };
}

/** The request bounds of the built-in catalog, stated by the OpenAPI document and checked on every request. */
export const REQUEST_BOUNDS = requestBoundsOf(BUILT_IN_MODELS);
