import { z } from 'zod';
import {
  acceptImageSubtype,
  imageFormatFromSubtype,
  imageSide,
  jsonReply,
  mmsErrorReply,
  parseJsonPayload,
} from './wire.js';
import { type ModelReply, ModelRequestError, type ParsedInvocation, type ServerFormat } from './server-format.js';

// reference/aws.md section 6.1: prompt (string or list) required; width/height divisible by 8.
const requestSchema = z.looseObject({
  prompt: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  negative_prompt: z.union([z.string(), z.array(z.string())]).optional(),
  width: imageSide.multipleOf(8, 'must be divisible by 8').default(512),
  height: imageSide.multipleOf(8, 'must be divisible by 8').default(512),
  num_images_per_prompt: z.number().int().positive().max(16).default(1),
  num_inference_steps: z.number().int().positive().default(50),
  guidance_scale: z.number().default(7.5),
  seed: z.number().int().min(0).default(0),
});

/** JumpStart Stable Diffusion 1.x/2.x (`model-txt2img-stabilityai-*`): `{"generated_images": [...], "prompt"}`. */
export class JumpStartSdFormat implements ServerFormat {
  readonly codec = 'jumpstart-sd' as const;

  parseRequest(body: Buffer, contentType: string | undefined, accept: string | undefined): ParsedInvocation {
    const subtype = acceptImageSubtype(accept);
    // The real model answers nested RGB arrays for plain application/json: too big to be useful, not simulated.
    if (subtype !== 'jpeg' && subtype !== 'png') {
      throw new ModelRequestError(
        `Unsupported Accept ${accept ?? '(none)'}: the stub answers application/json;jpeg or application/json;png ` +
          '(the real model answers raw RGB arrays otherwise)',
        406,
      );
    }
    const payload = parseJsonPayload(requestSchema, body, contentType);
    const prompts = Array.isArray(payload.prompt) ? payload.prompt : [payload.prompt];
    const negative = Array.isArray(payload.negative_prompt) ? payload.negative_prompt[0] : payload.negative_prompt;
    const imageFormat = imageFormatFromSubtype(subtype, 'jpeg');
    return {
      request: {
        prompts,
        ...(negative ? { negativePrompt: negative } : {}),
        width: payload.width,
        height: payload.height,
        steps: payload.num_inference_steps,
        guidanceScale: payload.guidance_scale,
        seed: payload.seed,
        numImages: payload.num_images_per_prompt,
      },
      imageFormat,
      // As captured from a real endpoint: the answer is labelled application/json;jpeg.
      responseContentType: `application/json;${imageFormat}`,
    };
  }

  buildResponse(parsed: ParsedInvocation, images: Buffer[]): ModelReply {
    const { prompts } = parsed.request;
    return jsonReply(
      {
        generated_images: images.map((image) => image.toString('base64')),
        prompt: prompts.length === 1 ? prompts[0] : prompts,
      },
      parsed.responseContentType,
    );
  }

  errorReply(statusCode: number, message: string): ModelReply {
    return mmsErrorReply(statusCode, message);
  }
}
