import type { JobParams } from '#libs/contracts';
import { decodeBase64Image, parseJsonObject, unexpectedShape } from './decode-helpers.js';
import type { DecodedResponse, ImageCodec, InferencePayload } from './image-codec.js';

export interface TextPrompt {
  text: string;
  weight?: number;
}

/** The request body of JumpStart SDXL 1.0 open weights (reference/aws.md section 6.2). */
export interface JumpStartSdxlRequest {
  text_prompts: TextPrompt[];
  width: number;
  height: number;
  cfg_scale: number;
  steps: number;
  seed: number;
  sampler?: string;
}

/**
 * JumpStart `model-imagegeneration-stabilityai-stable-diffusion-xl-base-1-0`: `text_prompts` (the negative prompt
 * as a second entry with weight -1) in, `{"generated_image": "<base64>"}` out: one image per call, which is why
 * such models have limits.maxImages = 1. The sampler is left to the container's default.
 */
export class JumpStartSdxlCodec implements ImageCodec {
  readonly id = 'jumpstart-sdxl' as const;

  encodeRequest(params: JobParams): InferencePayload {
    const textPrompts: TextPrompt[] = [{ text: params.prompt }];
    if (params.negativePrompt !== undefined) {
      textPrompts.push({ text: params.negativePrompt, weight: -1 });
    }
    const request: JumpStartSdxlRequest = {
      text_prompts: textPrompts,
      width: params.width,
      height: params.height,
      cfg_scale: params.guidanceScale,
      steps: params.steps,
      seed: params.seed,
    };
    return {
      body: Buffer.from(JSON.stringify(request)),
      contentType: 'application/json',
      accept: 'application/json',
    };
  }

  decodeResponse(body: Buffer, contentType?: string): DecodedResponse {
    const json = parseJsonObject(this.id, body, contentType);
    if (!('generated_image' in json)) {
      throw unexpectedShape(this.id, '"generated_image"', json);
    }
    return { images: [decodeBase64Image(this.id, json.generated_image, '"generated_image"')] };
  }
}
