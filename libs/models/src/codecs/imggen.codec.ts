import type { JobParams, ModelTimings, OutputFormat } from '#libs/contracts';
import { ModelOutputError } from '../errors.js';
import { decodeBase64Image, parseJsonObject, unexpectedShape } from './decode-helpers.js';
import type { DecodedImage, DecodedResponse, ImageCodec, InferencePayload, RequestContext } from './image-codec.js';

/** The request body of our own container (docker/model, `imggen_model/wire.py`). */
export interface ImggenRequest {
  prompt: string;
  negativePrompt?: string;
  width: number;
  height: number;
  steps: number;
  guidanceScale: number;
  seed: number;
  numImages: number;
  outputFormat: OutputFormat;
  /** Also in the X-Amzn-SageMaker-Inference-Id header; in the body too so the container finds its cancel marker. */
  inferenceId?: string;
}

const TIMING_FIELDS = ['loadMs', 'queueMs', 'inferenceMs'] as const;

function seedOf(fields: Record<string, unknown>): { seed?: number } {
  return typeof fields.seed === 'number' && Number.isInteger(fields.seed) ? { seed: fields.seed } : {};
}

function timingsOf(value: unknown): ModelTimings | undefined {
  if (value === null || typeof value !== 'object') {
    return undefined;
  }
  const fields = value as Record<string, unknown>;
  const timings: ModelTimings = {};
  for (const name of TIMING_FIELDS) {
    const ms = fields[name];
    if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) {
      timings[name] = Math.round(ms);
    }
  }
  return Object.keys(timings).length > 0 ? timings : undefined;
}

/**
 * `imggen`, the format of our own diffusers container: the job's parameters as they are in, and out
 * `{"images": [{"outcome": "ok", "base64", "format", "seed"} | {"outcome": "filtered"|"failed", "seed", "message"}],
 * "seed", "model", "timings": {"loadMs", "queueMs", "inferenceMs"}}`; errors as `{"error": {"code", "message"}}`.
 * The container renders `numImages` as one batch in the job's output format and says per image what became of it.
 */
export class ImggenCodec implements ImageCodec {
  readonly id = 'imggen' as const;

  encodeRequest(params: JobParams, context: RequestContext = {}): InferencePayload {
    const request: ImggenRequest = {
      prompt: params.prompt,
      ...(params.negativePrompt !== undefined ? { negativePrompt: params.negativePrompt } : {}),
      width: params.width,
      height: params.height,
      steps: params.steps,
      guidanceScale: params.guidanceScale,
      seed: params.seed,
      numImages: params.numImages,
      outputFormat: params.outputFormat,
      ...(context.inferenceId !== undefined ? { inferenceId: context.inferenceId } : {}),
    };
    return { body: Buffer.from(JSON.stringify(request)), contentType: 'application/json', accept: 'application/json' };
  }

  decodeResponse(body: Buffer, contentType?: string): DecodedResponse {
    const json = parseJsonObject(this.id, body, contentType);
    if (!Array.isArray(json.images)) {
      throw unexpectedShape(this.id, '"images"', json);
    }
    if (json.images.length === 0) {
      throw new ModelOutputError(`${this.id}: "images" is empty`);
    }
    const images = json.images.map((entry: unknown, index): DecodedImage => {
      const where = `images[${index}]`;
      if (entry === null || typeof entry !== 'object') {
        throw new ModelOutputError(`${this.id}: ${where} is not an object`);
      }
      const fields = entry as Record<string, unknown>;
      const message = typeof fields.message === 'string' && fields.message ? `: ${fields.message}` : '';
      switch (fields.outcome) {
        case 'ok':
          return { ...decodeBase64Image(this.id, fields.base64, `${where}.base64`), ...seedOf(fields) };
        case 'filtered':
          return {
            outcome: 'filtered',
            reason: `${where} was blocked by the safety checker${message}`,
            ...seedOf(fields),
          };
        case 'failed':
          return { outcome: 'failed', reason: `${where} failed${message}`, ...seedOf(fields) };
        default:
          throw new ModelOutputError(
            `${this.id}: ${where}.outcome must be "ok", "filtered" or "failed", found ${JSON.stringify(fields.outcome ?? null)}`,
          );
      }
    });
    const modelTimings = timingsOf(json.timings);
    return { images, ...(modelTimings ? { modelTimings } : {}) };
  }
}
