import { ModelCatalog } from './catalog.js';
import type { InferenceMode } from './model-definition.js';

/**
 * The one way every process (api, worker, SageMaker stub) picks its catalog: the JSON file named by
 * MODELS_CATALOG_FILE when set, else the built-in models. SAGEMAKER_MODE, when set, puts every model in that mode
 * (an environment whose endpoints are all real-time, or all async), so the three processes agree on it.
 */
export function loadModelCatalog(app: { modelCatalogFile?: string; sagemakerMode?: InferenceMode }): ModelCatalog {
  const catalog = app.modelCatalogFile ? ModelCatalog.fromFile(app.modelCatalogFile) : ModelCatalog.builtIn();
  const mode = app.sagemakerMode;
  if (mode === undefined || catalog.list().every((model) => model.mode === mode)) {
    return catalog;
  }
  return ModelCatalog.fromDefinitions(catalog.list().map((model) => ({ ...structuredClone(model), mode })));
}
