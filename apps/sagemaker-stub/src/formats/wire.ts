import { z } from 'zod';
import type { RenderFormat } from '../render/render-image.js';
import { type ModelReply, ModelRequestError } from './server-format.js';

/** The stub will not render more than this per side, whatever the payload asks (keeps a typo from eating RAM). */
export const MAX_RENDER_SIDE = 4096;

function mediaType(value: string): string {
  return (value.split(';')[0] ?? '').trim().toLowerCase();
}

/** `application/json;jpeg` → `jpeg`; `application/json` → undefined. */
export function acceptImageSubtype(accept: string | undefined): string | undefined {
  if (!accept) {
    return undefined;
  }
  const [, parameter] = accept.split(';');
  return parameter?.trim().toLowerCase() || undefined;
}

export function isJsonMediaType(value: string | undefined): boolean {
  return value !== undefined && mediaType(value) === 'application/json';
}

export function imageFormatFromSubtype(subtype: string | undefined, fallback: RenderFormat): RenderFormat {
  switch (subtype) {
    case 'png':
      return 'png';
    case 'jpeg':
    case 'jpg':
      return 'jpeg';
    case 'webp':
      return 'webp';
    case undefined:
    default:
      return fallback;
  }
}

/** Parses a JSON request body against a schema, as a container's input handler would. */
export function parseJsonPayload<T extends z.ZodType>(
  schema: T,
  body: Buffer,
  contentType: string | undefined,
): z.output<T> {
  // An absent Content-Type is given the benefit of the doubt; a different one is refused.
  if (contentType !== undefined && contentType !== '' && !isJsonMediaType(contentType)) {
    throw new ModelRequestError(`Unsupported content type ${contentType}; expected application/json`, 415);
  }
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ModelRequestError('The request body is not valid JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    throw new ModelRequestError(`Invalid request: ${detail}`);
  }
  return parsed.data;
}

export const imageSide = z.number().int().positive().max(MAX_RENDER_SIDE);

/** Error JSON of the multi-model-server based containers JumpStart uses. */
export function mmsErrorReply(statusCode: number, message: string): ModelReply {
  const type = statusCode >= 500 ? 'InternalServerException' : 'BadRequestException';
  return {
    statusCode,
    body: Buffer.from(JSON.stringify({ code: statusCode, type, message })),
    contentType: 'application/json',
  };
}

export function jsonReply(value: unknown, contentType: string): ModelReply {
  return { statusCode: 200, body: Buffer.from(JSON.stringify(value)), contentType };
}

/** Stability-style `text_prompts`: the positive texts form the prompt, negative weights the negative prompt. */
export function splitTextPrompts(textPrompts: ReadonlyArray<{ text: string; weight?: number | undefined }>): {
  prompt: string;
  negativePrompt?: string;
} {
  const positive = textPrompts.filter((p) => (p.weight ?? 1) >= 0).map((p) => p.text);
  const negative = textPrompts.filter((p) => (p.weight ?? 1) < 0).map((p) => p.text);
  return { prompt: positive.join(' '), ...(negative.length > 0 ? { negativePrompt: negative.join(' ') } : {}) };
}
