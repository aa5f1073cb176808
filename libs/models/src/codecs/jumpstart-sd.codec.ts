import type { JobParams } from '#libs/contracts';
import { ModelOutputError } from '../errors.js';
import { decodeBase64Image, parseJsonObject, unexpectedShape } from './decode-helpers.js';
import type { DecodedResponse, ImageCodec, InferencePayload } from './image-codec.js';

/** The request body of JumpStart Stable Diffusion 1.x/2.x text-to-image (reference/aws.md section 6.1). */
export interface JumpStartSdRequest {
  prompt: string;
  negative_prompt?: string;
  width: number;
  height: number;
  num_images_per_prompt: number;
  num_inference_steps: number;
  guidance_scale: number;
  seed: number;
}

/**
 * JumpStart `model-txt2img-stabilityai-*`: `{prompt, ...}` in, `{"generated_images": [base64 JPEG...], "prompt"}`
 * out. `Accept: application/json;jpeg` is what makes the model answer base64 JPEGs instead of RGB arrays.
 */
export class JumpStartSdCodec implements ImageCodec {
  readonly id = 'jumpstart-sd' as const;

  encodeRequest(params: JobParams): InferencePayload {
    const request: JumpStartSdRequest = {
      prompt: params.prompt,
      ...(params.negativePrompt !== undefined ? { negative_prompt: params.negativePrompt } : {}),
      width: params.width,
      height: params.height,
      num_images_per_prompt: params.numImages,
      num_inference_steps: params.steps,
      guidance_scale: params.guidanceScale,
      seed: params.seed,
    };
    return {
      body: Buffer.from(JSON.stringify(request)),
      contentType: 'application/json',
      accept: 'application/json;jpeg',
    };
  }

  decodeResponse(body: Buffer, contentType?: string): DecodedResponse {
    const json = parseJsonObject(this.id, body, contentType);
    const images = json.generated_images;
    if (!Array.isArray(images)) {
      if ('generated_image' in json) {
        throw new ModelOutputError(
          `${this.id}: the response has a raw "generated_image" instead of base64 "generated_images"; ` +
            'send Accept: application/json;jpeg',
        );
      }
      throw unexpectedShape(this.id, '"generated_images"', json);
    }
    if (images.length === 0) {
      throw new ModelOutputError(`${this.id}: "generated_images" is empty`);
    }
    return { images: images.map((image, index) => decodeBase64Image(this.id, image, `generated_images[${index}]`)) };
  }
}
