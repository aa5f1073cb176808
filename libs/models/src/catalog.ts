import { readFileSync } from 'node:fs';
import type { JobParams, JobRequest } from '#libs/contracts';
import { BUILT_IN_MODELS } from './built-in-catalog.js';
import { ModelCatalogError, ModelParamsError, UnknownModelError } from './errors.js';
import { crossFieldIssues, type ModelDefinition, modelDefinitionSchema } from './model-definition.js';
import { resolveForModel } from './resolve-params.js';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) {
      deepFreeze(child);
    }
    Object.freeze(value);
  }
  return value;
}

function describeEntry(entry: unknown, index: number): string {
  const id =
    entry !== null && typeof entry === 'object' && 'id' in entry && typeof entry.id === 'string' ? entry.id : '';
  return id ? `entry ${index} (id '${id}')` : `entry ${index}`;
}

/** Validates raw entries (from a file or code); returns frozen definitions or throws ModelCatalogError. */
function validateDefinitions(entries: unknown, source: string): ModelDefinition[] {
  if (!Array.isArray(entries)) {
    throw new ModelCatalogError(source, ['the catalog must be a JSON array of model definitions']);
  }
  const issues: string[] = [];
  const models: ModelDefinition[] = [];
  entries.forEach((entry: unknown, index) => {
    const parsed = modelDefinitionSchema.safeParse(entry);
    if (parsed.success) {
      const problems = crossFieldIssues(parsed.data);
      issues.push(...problems.map((problem) => `${describeEntry(entry, index)}: ${problem}`));
      if (problems.length === 0) {
        models.push(parsed.data);
      }
    } else {
      for (const issue of parsed.error.issues) {
        issues.push(`${describeEntry(entry, index)}: ${issue.path.join('.') || '(entry)'}: ${issue.message}`);
      }
    }
  });
  if (entries.length === 0) {
    issues.push('the catalog is empty');
  }

  const seen = new Set<string>();
  for (const model of models) {
    if (seen.has(model.id)) {
      issues.push(`duplicate model id '${model.id}'`);
    }
    seen.add(model.id);
  }
  const defaults = models.filter((model) => model.default === true);
  if (models.length > 0 && defaults.length !== 1) {
    issues.push(
      defaults.length === 0
        ? 'no model is marked "default": true (exactly one must be)'
        : `exactly one model must be the default, found ${defaults.length}: ${defaults.map((m) => m.id).join(', ')}`,
    );
  }
  // An endpoint serves one container, so every model on it must speak the same codec and mode.
  const byEndpoint = new Map<string, ModelDefinition>();
  for (const model of models) {
    const other = byEndpoint.get(model.endpointName);
    if (other && (other.codec !== model.codec || other.mode !== model.mode)) {
      issues.push(
        `models '${other.id}' and '${model.id}' share endpoint ${model.endpointName} but differ in codec or mode`,
      );
    }
    byEndpoint.set(model.endpointName, model);
  }

  if (issues.length > 0) {
    throw new ModelCatalogError(source, issues);
  }
  return models.map((model) => deepFreeze(structuredClone(model)));
}

/** The models the platform offers, with their endpoints, codecs, defaults and limits (DESIGN.md section 4). */
export class ModelCatalog {
  private readonly byId: ReadonlyMap<string, ModelDefinition>;
  private readonly defaultDefinition: ModelDefinition;

  private constructor(private readonly models: readonly ModelDefinition[]) {
    this.byId = new Map(models.map((model) => [model.id, model]));
    const fallback = models.find((model) => model.default === true);
    if (!fallback) {
      throw new ModelCatalogError('definitions', ['no default model']);
    }
    this.defaultDefinition = fallback;
  }

  static builtIn(): ModelCatalog {
    return new ModelCatalog(validateDefinitions(BUILT_IN_MODELS, 'built-in catalog'));
  }

  /** Reads a JSON array of ModelDefinition; throws ModelCatalogError naming the file, entry and field. */
  static fromFile(path: string): ModelCatalog {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ModelCatalogError(path, [`cannot read the file: ${(error as Error).message}`]);
    }
    let entries: unknown;
    try {
      entries = JSON.parse(text);
    } catch (error) {
      throw new ModelCatalogError(path, [`not valid JSON: ${(error as Error).message}`]);
    }
    return new ModelCatalog(validateDefinitions(entries, path));
  }

  /** Validates the definitions (schema, unique ids, exactly one default); throws ModelCatalogError. */
  static fromDefinitions(defs: ModelDefinition[]): ModelCatalog {
    return new ModelCatalog(validateDefinitions(defs, 'definitions'));
  }

  list(): ModelDefinition[] {
    return [...this.models];
  }

  find(id: string): ModelDefinition | undefined {
    return this.byId.get(id);
  }

  get(id: string): ModelDefinition {
    const model = this.byId.get(id);
    if (!model) {
      throw new UnknownModelError(id);
    }
    return model;
  }

  defaultModel(): ModelDefinition {
    return this.defaultDefinition;
  }

  /** Every distinct endpoint name, in catalog order. */
  endpointNames(): string[] {
    return [...new Set(this.models.map((model) => model.endpointName))];
  }

  /**
   * Applies model defaults + quality preset, draws a random seed when none, checks the model's limits.
   * Throws ModelParamsError listing every problem, each naming its JobRequest field.
   */
  resolve(request: JobRequest, random: () => number = Math.random): JobParams {
    const modelId = request.modelId ?? this.defaultDefinition.id;
    const model = this.byId.get(modelId);
    if (!model) {
      throw new ModelParamsError([
        {
          field: 'modelId',
          message: `must be one of ${[...this.byId.keys()].join(', ')} (unknown model '${modelId}')`,
        },
      ]);
    }
    const result = resolveForModel(model, request, random);
    if (Array.isArray(result)) {
      throw new ModelParamsError(result);
    }
    return result;
  }
}
