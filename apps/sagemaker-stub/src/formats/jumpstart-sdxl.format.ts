import { z } from 'zod';
import {
  acceptImageSubtype,
  imageFormatFromSubtype,
  imageSide,
  jsonReply,
  mmsErrorReply,
  parseJsonPayload,
  splitTextPrompts,
} from './wire.js';
import type { ModelReply, ParsedInvocation, ServerFormat } from './server-format.js';

const SAMPLERS = [
  'EulerEDMSampler',
  'HeunEDMSampler',
  'EulerAncestralSampler',
  'DPMPP2SAncestralSampler',
  'DPMPP2MSampler',
  'LinearMultistepSampler',
] as const;

// reference/aws.md section 6.2: sizes divisible by 8 and above 256x256; negative prompts carry a negative weight.
const sdxlSide = imageSide.multipleOf(8, 'must be divisible by 8').min(256, 'must be at least 256');
const requestSchema = z.looseObject({
  text_prompts: z.array(z.object({ text: z.string(), weight: z.number().optional() })).min(1),
  width: sdxlSide.default(1024),
  height: sdxlSide.default(1024),
  sampler: z.enum(SAMPLERS).optional(),
  cfg_scale: z.number().default(7),
  steps: z.number().int().positive().default(50),
  seed: z.number().int().min(0).default(0),
  use_refiner: z.boolean().optional(),
  refiner_steps: z.number().int().positive().optional(),
  refiner_strength: z.number().min(0).max(1).optional(),
});

/** JumpStart SDXL 1.0 open weights (Stability DLC): `{"generated_image": "<base64>"}`, one image per call. */
export class JumpStartSdxlFormat implements ServerFormat {
  readonly codec = 'jumpstart-sdxl' as const;

  parseRequest(body: Buffer, contentType: string | undefined, accept: string | undefined): ParsedInvocation {
    const payload = parseJsonPayload(requestSchema, body, contentType);
    const { prompt, negativePrompt } = splitTextPrompts(payload.text_prompts);
    return {
      request: {
        prompts: [prompt],
        ...(negativePrompt !== undefined ? { negativePrompt } : {}),
        width: payload.width,
        height: payload.height,
        steps: payload.steps + (payload.use_refiner ? (payload.refiner_steps ?? 0) : 0),
        guidanceScale: payload.cfg_scale,
        seed: payload.seed,
        numImages: 1,
      },
      imageFormat: imageFormatFromSubtype(acceptImageSubtype(accept), 'png'),
      responseContentType: 'application/json',
    };
  }

  buildResponse(parsed: ParsedInvocation, images: Buffer[]): ModelReply {
    return jsonReply({ generated_image: images[0]?.toString('base64') ?? '' }, parsed.responseContentType);
  }

  errorReply(statusCode: number, message: string): ModelReply {
    return mmsErrorReply(statusCode, message);
  }
}
