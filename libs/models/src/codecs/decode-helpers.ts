import { JobErrorCode } from '#libs/contracts';
import { ModelOutputError } from '../errors.js';
import type { CodecId } from '../model-definition.js';
import type { UsableImage } from './image-codec.js';
import { detectImageFormat } from './image-format.js';

const BASE64_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/;

function excerpt(body: Buffer): string {
  const text = body.subarray(0, 200).toString('utf8').replace(/\s+/g, ' ');
  return body.length > 200 ? `${text}...` : text;
}

function describeContentType(contentType: string | undefined): string {
  return contentType ? ` (content type ${contentType})` : '';
}

/** Parses the body as a JSON object, or throws ModelOutputError quoting the start of the body. */
export function parseJsonObject(codec: CodecId, body: Buffer, contentType?: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ModelOutputError(
      `${codec}: the response${describeContentType(contentType)} is not JSON: "${excerpt(body)}"`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ModelOutputError(`${codec}: the response is not a JSON object: "${excerpt(body)}"`);
  }
  return value as Record<string, unknown>;
}

/** An error a model reported in a body that is not its success shape (`message`, `error`, `errorMessage`...). */
export function reportedError(json: Record<string, unknown>): string | undefined {
  for (const key of ['error', 'message', 'Message', 'errorMessage', 'ErrorMessage']) {
    const value = json[key];
    if (typeof value === 'string' && value.length > 0) {
      return value;
    }
    if (value !== null && typeof value === 'object' && 'message' in value && typeof value.message === 'string') {
      return value.message;
    }
  }
  return undefined;
}

/** The codec's "this is not my response" error, quoting what the model said when it said something. */
export function unexpectedShape(codec: CodecId, expected: string, json: Record<string, unknown>): ModelOutputError {
  const error = reportedError(json);
  if (error !== undefined) {
    return new ModelOutputError(`${codec}: the model reported an error: ${error}`, JobErrorCode.ModelError);
  }
  const keys = Object.keys(json).slice(0, 10).join(', ') || 'none';
  return new ModelOutputError(`${codec}: expected ${expected} in the response, found keys: ${keys}`);
}

/** Decodes one base64 image, checking both the encoding and the magic bytes. */
export function decodeBase64Image(codec: CodecId, value: unknown, where: string): UsableImage {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ModelOutputError(`${codec}: ${where} is not a base64 string`);
  }
  const compact = value.replace(/\s+/g, '');
  if (!BASE64_PATTERN.test(compact)) {
    throw new ModelOutputError(`${codec}: ${where} is not valid base64`);
  }
  const data = Buffer.from(compact, 'base64');
  const format = detectImageFormat(data);
  if (!format) {
    throw new ModelOutputError(`${codec}: ${where} is not a PNG, JPEG or WebP image`);
  }
  return { outcome: 'ok', data, format };
}
