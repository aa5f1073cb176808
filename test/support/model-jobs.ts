import { BUILT_IN_MODELS, type ModelDefinition } from '#libs/models';

/** A job body for `model` at its smallest size (quick to render in the stub) with its other defaults. */
export function smallJobFor(model: ModelDefinition, prompt: string): Record<string, unknown> {
  const [width, height] = model.limits.allowedSizes
    ? [model.defaults.width, model.defaults.height]
    : [model.limits.minSize, model.limits.minSize];
  return { prompt, modelId: model.id, width, height, outputFormat: 'png' };
}

/** One entry per codec's built-in models, for `it.each`. */
export const CATALOG_MODELS = BUILT_IN_MODELS.map((model) => ({ modelId: model.id, codec: model.codec, model }));
