import { JobErrorCode } from '#libs/contracts';
import type { JobParams } from '#libs/contracts';
import { ModelOutputError } from '../errors.js';
import { decodeBase64Image, parseJsonObject, reportedError, unexpectedShape } from './decode-helpers.js';
import type { DecodedImage, DecodedResponse, ImageCodec, InferencePayload } from './image-codec.js';
import type { TextPrompt } from './jumpstart-sdxl.codec.js';

/** The request body of Stability AI's SDXL 1.0 model package (reference/aws.md section 6.3). */
export interface StabilitySdxlRequest {
  text_prompts: TextPrompt[];
  cfg_scale: number;
  height: number;
  width: number;
  steps: number;
  seed: number;
  samples?: number;
  style_preset?: string;
}

/**
 * Stability AI SDXL 1.0 (Marketplace package, same body as Bedrock's SDXL): `text_prompts` with weights in,
 * `{"result":"success","artifacts":[{"base64","seed","finishReason"}]}` or `{"result":"error","error":{"message"}}`
 * out. Each artifact keeps its own finishReason: CONTENT_FILTERED is a filtered image, ERROR (or anything but
 * SUCCESS) a failed one; the others are still delivered.
 */
export class StabilitySdxlCodec implements ImageCodec {
  readonly id = 'stability-sdxl' as const;

  encodeRequest(params: JobParams): InferencePayload {
    const textPrompts: TextPrompt[] = [{ text: params.prompt, weight: 1 }];
    if (params.negativePrompt !== undefined) {
      textPrompts.push({ text: params.negativePrompt, weight: -1 });
    }
    const request: StabilitySdxlRequest = {
      text_prompts: textPrompts,
      cfg_scale: params.guidanceScale,
      height: params.height,
      width: params.width,
      steps: params.steps,
      seed: params.seed,
      // Left out for one image: the model's default is 1, and StabilityPredictor sends only what was set.
      ...(params.numImages > 1 ? { samples: params.numImages } : {}),
    };
    return {
      body: Buffer.from(JSON.stringify(request)),
      contentType: 'application/json',
      accept: 'application/json;png',
    };
  }

  decodeResponse(body: Buffer, contentType?: string): DecodedResponse {
    const json = parseJsonObject(this.id, body, contentType);
    if (json.result === 'error') {
      // {"error": {"message"}} as documented, but whatever error field it wrote beats "no message"
      const message = reportedError(json) ?? 'no message';
      throw new ModelOutputError(`${this.id}: the model reported an error: ${message}`, JobErrorCode.ModelError);
    }
    if (json.result !== 'success' || !Array.isArray(json.artifacts)) {
      throw unexpectedShape(this.id, '"result": "success" with "artifacts"', json);
    }
    if (json.artifacts.length === 0) {
      throw new ModelOutputError(`${this.id}: "artifacts" is empty`);
    }
    const images = json.artifacts.map((artifact: unknown, index): DecodedImage => {
      const where = `artifacts[${index}]`;
      if (artifact === null || typeof artifact !== 'object') {
        throw new ModelOutputError(`${this.id}: ${where} is not an object`);
      }
      const fields = artifact as Record<string, unknown>;
      const seed = typeof fields.seed === 'number' && Number.isInteger(fields.seed) ? { seed: fields.seed } : {};
      const finishReason = fields.finishReason;
      if (finishReason === 'CONTENT_FILTERED') {
        // Stability sends a blurred image for a filtered artifact: it is not delivered
        return {
          outcome: 'filtered',
          reason: `${where} was blocked by the model's content filter (finishReason CONTENT_FILTERED)`,
          ...seed,
        };
      }
      if (finishReason !== 'SUCCESS') {
        return {
          outcome: 'failed',
          reason: `${where} did not succeed (finishReason ${JSON.stringify(finishReason ?? null)})`,
          ...seed,
        };
      }
      return { ...decodeBase64Image(this.id, fields.base64, `${where}.base64`), ...seed };
    });
    return { images };
  }
}
