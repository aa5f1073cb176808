import { z } from 'zod';
import { filteredImages } from './content-filter.js';
import { acceptImageSubtype, imageFormatFromSubtype, jsonReply, parseJsonPayload, splitTextPrompts } from './wire.js';
import type { ModelReply, ParsedInvocation, ResponseOptions, ServerFormat } from './server-format.js';

/** The nine SDXL 1.0 sizes (Bedrock's SDXL doc; reference/aws.md section 6.3). */
export const STABILITY_SDXL_SIZES: ReadonlyArray<readonly [number, number]> = [
  [1024, 1024],
  [1152, 896],
  [1216, 832],
  [1344, 768],
  [1536, 640],
  [640, 1536],
  [768, 1344],
  [832, 1216],
  [896, 1152],
];

const STYLE_PRESETS = [
  'enhance',
  'anime',
  'photographic',
  'digital-art',
  'comic-book',
  'fantasy-art',
  'line-art',
  'analog-film',
  'neon-punk',
  'isometric',
  'low-poly',
  'origami',
  'modeling-compound',
  'cinematic',
  '3d-model',
  'pixel-art',
  'tile-texture',
] as const;

const SAMPLERS = [
  'DDIM',
  'DDPM',
  'K_DPMPP_2M',
  'K_DPMPP_2S_ANCESTRAL',
  'K_DPM_2',
  'K_DPM_2_ANCESTRAL',
  'K_EULER',
  'K_EULER_ANCESTRAL',
  'K_HEUN',
  'K_LMS',
] as const;

// Bedrock's limits for the same body (whether the SageMaker package enforces them is unconfirmed).
const requestSchema = z
  .looseObject({
    text_prompts: z.array(z.object({ text: z.string().min(1).max(2000), weight: z.number().optional() })).min(1),
    cfg_scale: z.number().min(0).max(35).default(7),
    height: z.number().int().default(1024),
    width: z.number().int().default(1024),
    steps: z.number().int().min(10).max(50).default(30),
    seed: z.number().int().min(0).max(4_294_967_295).default(0),
    samples: z.number().int().min(1).max(10).default(1),
    style_preset: z.enum(STYLE_PRESETS).optional(),
    sampler: z.enum(SAMPLERS).optional(),
  })
  .refine((body) => STABILITY_SDXL_SIZES.some(([w, h]) => w === body.width && h === body.height), {
    message: `width x height must be one of ${STABILITY_SDXL_SIZES.map(([w, h]) => `${w}x${h}`).join(', ')}`,
    path: ['width'],
  });

/**
 * Stability AI SDXL 1.0 model package: `{"result":"success","artifacts":[{"base64","seed","finishReason"}]}`,
 * errors as `{"result":"error","error":{"message"}}`.
 */
export class StabilitySdxlFormat implements ServerFormat {
  readonly codec = 'stability-sdxl' as const;

  parseRequest(body: Buffer, contentType: string | undefined, accept: string | undefined): ParsedInvocation {
    const payload = parseJsonPayload(requestSchema, body, contentType);
    const subtype = acceptImageSubtype(accept);
    const imageFormat = imageFormatFromSubtype(subtype, 'png');
    const { prompt, negativePrompt } = splitTextPrompts(payload.text_prompts);
    return {
      request: {
        prompts: [prompt],
        ...(negativePrompt !== undefined ? { negativePrompt } : {}),
        width: payload.width,
        height: payload.height,
        steps: payload.steps,
        guidanceScale: payload.cfg_scale,
        seed: payload.seed,
        numImages: payload.samples,
      },
      imageFormat,
      // StabilityPredictor asks for application/json;png; the answer is labelled with what was asked for.
      responseContentType: subtype ? `application/json;${imageFormat}` : 'application/json',
    };
  }

  buildResponse(parsed: ParsedInvocation, images: Buffer[], options: ResponseOptions): ModelReply {
    const blocked = filteredImages(parsed.request, options, images.length);
    return jsonReply(
      {
        result: 'success',
        artifacts: images.map((image, index) => ({
          base64: image.toString('base64'),
          seed: parsed.request.seed + index,
          finishReason: blocked.has(index) ? 'CONTENT_FILTERED' : 'SUCCESS',
        })),
      },
      parsed.responseContentType,
    );
  }

  errorReply(statusCode: number, message: string): ModelReply {
    return {
      statusCode,
      body: Buffer.from(JSON.stringify({ result: 'error', error: { message } })),
      contentType: 'application/json',
    };
  }
}
