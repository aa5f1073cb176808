import { loadResourcesConfig, type Env } from '#libs/config';
import { BUILT_IN_MODELS } from '#libs/models';
import type { BareResources } from './bare-calls.js';

/** The platform's own tables, buckets and default model endpoint, read from the same variables. */
export function bareResources(env: Env): BareResources {
  const resources = loadResourcesConfig(env);
  const model = BUILT_IN_MODELS.find((candidate) => candidate.default);
  if (!model) {
    throw new Error('no default model in the built-in catalog');
  }
  return { ...resources, endpointName: model.endpointName };
}
