import type { JobParams } from '#libs/contracts';
import sharp from 'sharp';
import { ModelOutputError } from '../errors.js';
import { codecFor } from './codec-registry.js';
import { detectImageFormat } from './image-format.js';

const params: JobParams = {
  prompt: 'a green iguana',
  negativePrompt: 'blurry',
  modelId: 'any',
  steps: 30,
  width: 1024,
  height: 768,
  quality: 'standard',
  guidanceScale: 7.5,
  seed: 42,
  numImages: 2,
  outputFormat: 'png',
};
const { negativePrompt: _negative, ...withoutNegative } = params;

async function image(format: 'png' | 'jpeg' | 'webp', width = 16, height = 8): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    .toFormat(format)
    .toBuffer();
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

function outputError(fn: () => unknown): ModelOutputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ModelOutputError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a ModelOutputError');
}

let png: Buffer;
let jpeg: Buffer;
let webp: Buffer;
beforeAll(async () => {
  [png, jpeg, webp] = await Promise.all([image('png'), image('jpeg'), image('webp')]);
});

describe('detectImageFormat', () => {
  it('reads the magic bytes', () => {
    expect(detectImageFormat(png)).toBe('png');
    expect(detectImageFormat(jpeg)).toBe('jpeg');
    expect(detectImageFormat(webp)).toBe('webp');
    expect(detectImageFormat(Buffer.from('GIF89a...'))).toBeUndefined();
    expect(detectImageFormat(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('jumpstart-sd codec', () => {
  const codec = codecFor('jumpstart-sd');

  it('encodes the JumpStart txt2img request (reference section 6.1)', () => {
    const payload = codec.encodeRequest(params);
    expect(payload.contentType).toBe('application/json');
    expect(payload.accept).toBe('application/json;jpeg');
    expect(JSON.parse(payload.body.toString())).toStrictEqual({
      prompt: 'a green iguana',
      negative_prompt: 'blurry',
      width: 1024,
      height: 768,
      num_images_per_prompt: 2,
      num_inference_steps: 30,
      guidance_scale: 7.5,
      seed: 42,
    });
    expect(JSON.parse(codec.encodeRequest(withoutNegative).body.toString())).not.toHaveProperty('negative_prompt');
  });

  it('decodes generated_images', () => {
    const body = json({ generated_images: [jpeg.toString('base64'), png.toString('base64')], prompt: 'a' });
    const images = codec.decodeResponse(body, 'application/json;jpeg');
    expect(images).toEqual([
      { data: jpeg, format: 'jpeg' },
      { data: png, format: 'png' },
    ]);
  });

  it('rejects other bodies with a clear message', () => {
    expect(outputError(() => codec.decodeResponse(Buffer.from('<html>oops'))).message).toMatch(
      /jumpstart-sd: the response is not JSON: "<html>oops"/,
    );
    expect(outputError(() => codec.decodeResponse(json({ generated_image: [[[0, 0, 0]]] }))).message).toMatch(
      /send Accept: application\/json;jpeg/,
    );
    expect(outputError(() => codec.decodeResponse(json({ generated_images: [] }))).message).toMatch(/is empty/);
    expect(outputError(() => codec.decodeResponse(json({ generated_images: ['!!!'] }))).message).toMatch(
      /generated_images\[0\] is not valid base64/,
    );
    expect(
      outputError(() => codec.decodeResponse(json({ generated_images: [Buffer.from('text').toString('base64')] })))
        .message,
    ).toMatch(/not a PNG, JPEG or WebP image/);
    const modelError = outputError(() => codec.decodeResponse(json({ message: 'CUDA out of memory' })));
    expect(modelError.message).toMatch(/the model reported an error: CUDA out of memory/);
    expect(modelError.code).toBe('MODEL_ERROR');
    expect(outputError(() => codec.decodeResponse(json([1]))).message).toMatch(/not a JSON object/);
  });
});

describe('jumpstart-sdxl codec', () => {
  const codec = codecFor('jumpstart-sdxl');

  it('encodes the JumpStart SDXL request (reference section 6.2)', () => {
    const payload = codec.encodeRequest({ ...params, numImages: 1 });
    expect(payload.contentType).toBe('application/json');
    expect(payload.accept).toBe('application/json');
    expect(JSON.parse(payload.body.toString())).toStrictEqual({
      text_prompts: [{ text: 'a green iguana' }, { text: 'blurry', weight: -1 }],
      width: 1024,
      height: 768,
      cfg_scale: 7.5,
      steps: 30,
      seed: 42,
    });
    expect(JSON.parse(codec.encodeRequest(withoutNegative).body.toString()).text_prompts).toStrictEqual([
      { text: 'a green iguana' },
    ]);
  });

  it('decodes generated_image, whatever the image format', () => {
    expect(codec.decodeResponse(json({ generated_image: png.toString('base64') }))).toEqual([
      { data: png, format: 'png' },
    ]);
    expect(codec.decodeResponse(json({ generated_image: webp.toString('base64') }))[0]?.format).toBe('webp');
  });

  it('rejects other bodies', () => {
    expect(
      outputError(() => codec.decodeResponse(json({ generated_images: [png.toString('base64')] }))).message,
    ).toMatch(/expected "generated_image" in the response, found keys: generated_images/);
    expect(outputError(() => codec.decodeResponse(json({ generated_image: 12 }))).message).toMatch(
      /"generated_image" is not a base64 string/,
    );
    expect(outputError(() => codec.decodeResponse(json({ error: { message: 'bad size' } }))).code).toBe('MODEL_ERROR');
  });
});

describe('stability-sdxl codec', () => {
  const codec = codecFor('stability-sdxl');

  it('encodes the Stability request (reference section 6.3)', () => {
    const payload = codec.encodeRequest({ ...params, numImages: 1 });
    expect(payload.contentType).toBe('application/json');
    expect(payload.accept).toBe('application/json;png');
    expect(JSON.parse(payload.body.toString())).toStrictEqual({
      text_prompts: [
        { text: 'a green iguana', weight: 1 },
        { text: 'blurry', weight: -1 },
      ],
      cfg_scale: 7.5,
      height: 768,
      width: 1024,
      steps: 30,
      seed: 42,
    });
    expect(JSON.parse(codec.encodeRequest(params).body.toString()).samples).toBe(2);
  });

  it('decodes artifacts with their seeds', () => {
    const body = json({
      result: 'success',
      artifacts: [
        { base64: png.toString('base64'), seed: 42, finishReason: 'SUCCESS' },
        { base64: png.toString('base64'), seed: 43, finishReason: 'SUCCESS' },
      ],
    });
    expect(codec.decodeResponse(body, 'application/json;png')).toEqual([
      { data: png, format: 'png', seed: 42 },
      { data: png, format: 'png', seed: 43 },
    ]);
  });

  it('turns a reported error into ModelOutputError', () => {
    const error = outputError(() =>
      codec.decodeResponse(json({ result: 'error', error: { message: 'height must be a multiple of 64' } })),
    );
    expect(error.message).toBe('stability-sdxl: the model reported an error: height must be a multiple of 64');
    expect(error.code).toBe('MODEL_ERROR');
  });

  it('fails on CONTENT_FILTERED and ERROR artifacts', () => {
    const filtered = outputError(() =>
      codec.decodeResponse(
        json({
          result: 'success',
          artifacts: [{ base64: png.toString('base64'), seed: 1, finishReason: 'CONTENT_FILTERED' }],
        }),
      ),
    );
    expect(filtered.code).toBe('CONTENT_FILTERED');
    expect(filtered.message).toMatch(/content filter/);
    const failed = outputError(() =>
      codec.decodeResponse(json({ result: 'success', artifacts: [{ base64: '', seed: 1, finishReason: 'ERROR' }] })),
    );
    expect(failed.code).toBe('MODEL_ERROR');
    expect(failed.message).toMatch(/artifacts\[0\] did not succeed \(finishReason "ERROR"\)/);
  });

  it('rejects other bodies', () => {
    expect(outputError(() => codec.decodeResponse(json({ generated_image: png.toString('base64') }))).message).toMatch(
      /expected "result": "success" with "artifacts"/,
    );
    expect(outputError(() => codec.decodeResponse(json({ result: 'success', artifacts: [] }))).message).toMatch(
      /"artifacts" is empty/,
    );
    expect(outputError(() => codec.decodeResponse(Buffer.from(''))).message).toMatch(/not JSON/);
  });
});
