import { z } from 'zod';
import { filteredImages } from './content-filter.js';
import type { ModelReply, ParsedInvocation, ResponseOptions, ServerFormat } from './server-format.js';
import { imageSide, jsonReply, parseJsonPayload } from './wire.js';

// docker/model/imggen_model/wire.py (Limits): what our own container accepts.
const requestSchema = z.looseObject({
  prompt: z.string().trim().min(1).max(4000),
  negativePrompt: z.string().optional(),
  width: imageSide.multipleOf(8, 'must be a multiple of 8').max(2048),
  height: imageSide.multipleOf(8, 'must be a multiple of 8').max(2048),
  steps: z.number().int().min(1).max(150),
  guidanceScale: z.number().min(0).max(35),
  seed: z.number().int().min(0).max(4_294_967_295),
  numImages: z.number().int().min(1).max(8),
  outputFormat: z.enum(['png', 'jpeg', 'webp']).default('png'),
  inferenceId: z.string().min(1).optional(),
});

/**
 * Our own container (`docker/model`, the `imggen` codec): renders `numImages` in one batch in the requested format
 * and says per image whether it is `ok` or `filtered`, with the container's own timings. Errors are
 * `{"error": {"code", "message"}}`. (Progress and the cancel marker are the stub's, for every format.)
 */
export class ImggenFormat implements ServerFormat {
  readonly codec = 'imggen' as const;
  /** When each invocation was parsed: the container's own inference time runs from there to its answer. */
  private readonly parsedAt = new WeakMap<ParsedInvocation, number>();

  parseRequest(body: Buffer, contentType: string | undefined, _accept?: string): ParsedInvocation {
    const payload = parseJsonPayload(requestSchema, body, contentType);
    const parsed: ParsedInvocation = {
      request: {
        prompts: [payload.prompt],
        ...(payload.negativePrompt ? { negativePrompt: payload.negativePrompt } : {}),
        width: payload.width,
        height: payload.height,
        steps: payload.steps,
        guidanceScale: payload.guidanceScale,
        seed: payload.seed,
        numImages: payload.numImages,
      },
      imageFormat: payload.outputFormat,
      responseContentType: 'application/json',
    };
    this.parsedAt.set(parsed, Date.now());
    return parsed;
  }

  buildResponse(parsed: ParsedInvocation, images: Buffer[], options: ResponseOptions): ModelReply {
    const { seed } = parsed.request;
    const blocked = filteredImages(parsed.request, options, images.length);
    const started = this.parsedAt.get(parsed);
    return jsonReply(
      {
        images: images.map((image, index) =>
          blocked.has(index)
            ? { outcome: 'filtered', seed: seed + index, message: 'the safety checker flagged the image' }
            : { outcome: 'ok', seed: seed + index, base64: image.toString('base64'), format: parsed.imageFormat },
        ),
        seed,
        model: 'sagemaker-stub',
        timings: { loadMs: 0, queueMs: 0, inferenceMs: started === undefined ? 0 : Math.max(0, Date.now() - started) },
      },
      parsed.responseContentType,
    );
  }

  errorReply(statusCode: number, message: string): ModelReply {
    const code = statusCode === 409 ? 'canceled' : statusCode >= 500 ? 'model_error' : 'bad_request';
    return {
      statusCode,
      body: Buffer.from(JSON.stringify({ error: { code, message } })),
      contentType: 'application/json',
    };
  }
}
