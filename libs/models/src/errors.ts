import { JobErrorCode } from '#libs/contracts';

/** Thrown by `ModelCatalog.get()` for an id that is not in the catalog. */
export class UnknownModelError extends Error {
  constructor(readonly modelId: string) {
    super(`Unknown model '${modelId}'`);
    this.name = 'UnknownModelError';
  }
}

export interface ModelParamsIssue {
  /** The `JobRequest` property at fault, e.g. `width`, `steps`, `modelId`. */
  field: string;
  message: string;
}

/** Thrown by `ModelCatalog.resolve()` with every problem found in the request, not just the first. */
export class ModelParamsError extends Error {
  constructor(readonly errors: ModelParamsIssue[]) {
    super(`Invalid job parameters: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
    this.name = 'ModelParamsError';
  }
}

/** Thrown when a catalog (file or definitions) is not valid; `issues` names each bad entry and field. */
export class ModelCatalogError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`Invalid model catalog (${source}):\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ModelCatalogError';
  }
}

/**
 * Why a model response could not be turned into images (codes from the job error catalogue):
 * - `MODEL_OUTPUT_INVALID`: the body is not this codec's response (not JSON, missing fields, not an image);
 * - `MODEL_ERROR`: the model answered with an error it reported itself;
 * - `CONTENT_FILTERED`: the model refused the prompt or its result (Stability `finishReason: CONTENT_FILTERED`).
 */
export type ModelOutputErrorCode = Extract<JobErrorCode, 'MODEL_OUTPUT_INVALID' | 'MODEL_ERROR' | 'CONTENT_FILTERED'>;

/** Thrown by `ImageCodec.decodeResponse()` when the body is not a usable response of that codec. */
export class ModelOutputError extends Error {
  constructor(
    message: string,
    readonly code: ModelOutputErrorCode = JobErrorCode.ModelOutputInvalid,
  ) {
    super(message);
    this.name = 'ModelOutputError';
  }
}
