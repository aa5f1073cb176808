import { ModelCatalog } from './catalog.js';

/**
 * The one way every process (api, worker, SageMaker stub) picks its catalog: the JSON file named by
 * MODELS_CATALOG_FILE when set, else the built-in models.
 */
export function loadModelCatalog(app: { modelCatalogFile?: string }): ModelCatalog {
  return app.modelCatalogFile ? ModelCatalog.fromFile(app.modelCatalogFile) : ModelCatalog.builtIn();
}
