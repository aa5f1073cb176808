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
    const response = codec.decodeResponse(body, 'application/json;jpeg');
    expect(response).toEqual({
      images: [
        { outcome: 'ok', data: jpeg, format: 'jpeg' },
        { outcome: 'ok', data: png, format: 'png' },
      ],
    });
  });

  it('rejects other bodies with a clear message', () => {
    expect(outputError(() => codec.decodeResponse(Buffer.from('<html>oops'))).message).toMatch(
      /jumpstart-sd: the response is not JSON: "<html>oops"/,
    );
    expect(outputError(() => codec.decodeResponse(json({ generated_image: [[[0, 0, 0]]] }))).message).toBe(
      'jumpstart-sd: the response has a raw "generated_image" instead of base64 "generated_images"; ' +
        'send Accept: application/json;jpeg',
    );
    expect(outputError(() => codec.decodeResponse(json({ predictions: [] }))).message).toBe(
      'jumpstart-sd: expected "generated_images" in the response, found keys: predictions',
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
    expect(codec.decodeResponse(json({ generated_image: png.toString('base64') }))).toEqual({
      images: [{ outcome: 'ok', data: png, format: 'png' }],
    });
    expect(codec.decodeResponse(json({ generated_image: webp.toString('base64') })).images[0]).toMatchObject({
      format: 'webp',
    });
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
    expect(codec.decodeResponse(body, 'application/json;png').images).toEqual([
      { outcome: 'ok', data: png, format: 'png', seed: 42 },
      { outcome: 'ok', data: png, format: 'png', seed: 43 },
    ]);
  });

  it('leaves the negative prompt out when there is none', () => {
    const body = JSON.parse(codec.encodeRequest({ ...withoutNegative, numImages: 1 }).body.toString());
    expect(body.text_prompts).toStrictEqual([{ text: 'a green iguana', weight: 1 }]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'the documented error object',
      { error: { message: 'height must be a multiple of 64' } },
      'height must be a multiple of 64',
    ],
    ['an error string', { error: 'Invalid prompts detected' }, 'Invalid prompts detected'],
    ['a top-level message', { message: 'Invalid prompts detected' }, 'Invalid prompts detected'],
    ['nothing to quote', {}, 'no message'],
    ['an error object without a message', { error: { code: 13 } }, 'no message'],
  ])('turns "result": "error" with %s into MODEL_ERROR quoting the model', (_label, fields, quoted) => {
    const error = outputError(() => codec.decodeResponse(json({ result: 'error', ...fields })));
    expect(error.message).toBe(`stability-sdxl: the model reported an error: ${quoted}`);
    expect(error.code).toBe('MODEL_ERROR');
  });

  it('keeps a seed only when the model reports an integer', () => {
    const base64 = png.toString('base64');
    const body = json({
      result: 'success',
      artifacts: [
        { base64, seed: 0, finishReason: 'SUCCESS' },
        { base64, finishReason: 'SUCCESS' },
        { base64, seed: 1.5, finishReason: 'SUCCESS' },
        { base64, seed: '7', finishReason: 'SUCCESS' },
      ],
    });
    expect(codec.decodeResponse(body).images).toStrictEqual([
      { outcome: 'ok', data: png, format: 'png', seed: 0 },
      { outcome: 'ok', data: png, format: 'png' },
      { outcome: 'ok', data: png, format: 'png' },
      { outcome: 'ok', data: png, format: 'png' },
    ]);
  });

  it.each([null, 'SUCCESS', 42])('names an artifact that is not an object: %j', (artifact) => {
    const body = json({ result: 'success', artifacts: [artifact] });
    const error = outputError(() => codec.decodeResponse(body));
    expect(error.message).toBe('stability-sdxl: artifacts[0] is not an object');
    expect(error.code).toBe('MODEL_OUTPUT_INVALID');
  });

  it('names the artifact whose image is missing', () => {
    const artifacts = [
      { base64: png.toString('base64'), finishReason: 'SUCCESS' },
      { seed: 2, finishReason: 'SUCCESS' },
    ];
    expect(outputError(() => codec.decodeResponse(json({ result: 'success', artifacts }))).message).toBe(
      'stability-sdxl: artifacts[1].base64 is not a base64 string',
    );
  });

  it('gives each artifact its own outcome: CONTENT_FILTERED is filtered, ERROR (or anything else) failed', () => {
    const base64 = png.toString('base64');
    const response = codec.decodeResponse(
      json({
        result: 'success',
        artifacts: [
          { base64, seed: 1, finishReason: 'SUCCESS' },
          { base64, seed: 2, finishReason: 'CONTENT_FILTERED' },
          { base64: '', seed: 3, finishReason: 'ERROR' },
          { base64 },
        ],
      }),
    );
    expect(response.images).toStrictEqual([
      { outcome: 'ok', data: png, format: 'png', seed: 1 },
      {
        outcome: 'filtered',
        seed: 2,
        reason: "artifacts[1] was blocked by the model's content filter (finishReason CONTENT_FILTERED)",
      },
      { outcome: 'failed', seed: 3, reason: 'artifacts[2] did not succeed (finishReason "ERROR")' },
      { outcome: 'failed', reason: 'artifacts[3] did not succeed (finishReason null)' },
    ]);
  });

  it('rejects other bodies', () => {
    expect(outputError(() => codec.decodeResponse(json({ generated_image: png.toString('base64') }))).message).toMatch(
      /expected "result": "success" with "artifacts"/,
    );
    expect(outputError(() => codec.decodeResponse(json({ result: 'success', artifacts: [] }))).message).toMatch(
      /"artifacts" is empty/,
    );
    const artifacts = [{ base64: png.toString('base64'), finishReason: 'SUCCESS' }];
    for (const [body, keys] of [
      [{ artifacts }, 'artifacts'],
      [{ result: 'pending', artifacts }, 'result, artifacts'],
      [{ result: 'success' }, 'result'],
      [{ result: 'success', artifacts: { 0: artifacts[0] } }, 'result, artifacts'],
    ] as const) {
      expect(outputError(() => codec.decodeResponse(json(body))).message).toBe(
        `stability-sdxl: expected "result": "success" with "artifacts" in the response, found keys: ${keys}`,
      );
    }
    expect(outputError(() => codec.decodeResponse(Buffer.from(''))).message).toMatch(/not JSON/);
  });
});

describe('imggen codec', () => {
  const codec = codecFor('imggen');

  it('encodes the job parameters as they are, with the inference id the container checks for its cancel marker', () => {
    const payload = codec.encodeRequest(params, { inferenceId: '01JD0000000000000000000000' });
    expect(payload.contentType).toBe('application/json');
    expect(payload.accept).toBe('application/json');
    expect(JSON.parse(payload.body.toString())).toStrictEqual({
      prompt: 'a green iguana',
      negativePrompt: 'blurry',
      width: 1024,
      height: 768,
      steps: 30,
      guidanceScale: 7.5,
      seed: 42,
      numImages: 2,
      outputFormat: 'png',
      inferenceId: '01JD0000000000000000000000',
    });
    const plain = JSON.parse(codec.encodeRequest(withoutNegative).body.toString());
    expect(plain).not.toHaveProperty('negativePrompt');
    expect(plain).not.toHaveProperty('inferenceId');
  });

  it('decodes every image with its outcome and seed, and the container’s timings', () => {
    const response = codec.decodeResponse(
      json({
        images: [
          { outcome: 'ok', base64: png.toString('base64'), format: 'png', seed: 42 },
          { outcome: 'filtered', seed: 43, message: 'the safety checker flagged the image' },
          { outcome: 'failed', seed: 44 },
          { outcome: 'ok', base64: webp.toString('base64'), format: 'webp', seed: 45 },
        ],
        seed: 42,
        model: 'stabilityai/sdxl-turbo',
        timings: { loadMs: 0, queueMs: 12, inferenceMs: 812.4 },
      }),
      'application/json',
    );
    expect(response).toStrictEqual({
      images: [
        { outcome: 'ok', data: png, format: 'png', seed: 42 },
        {
          outcome: 'filtered',
          seed: 43,
          reason: 'images[1] was blocked by the safety checker: the safety checker flagged the image',
        },
        { outcome: 'failed', seed: 44, reason: 'images[2] failed' },
        { outcome: 'ok', data: webp, format: 'webp', seed: 45 },
      ],
      modelTimings: { loadMs: 0, queueMs: 12, inferenceMs: 812 },
    });
  });

  it('keeps only the timings that are non-negative numbers, and none when there are none', () => {
    const image = { outcome: 'ok', base64: png.toString('base64') };
    const decode = (timings: unknown) => codec.decodeResponse(json({ images: [image], timings })).modelTimings;
    expect(decode({ loadMs: -1, queueMs: '3', inferenceMs: 5 })).toStrictEqual({ inferenceMs: 5 });
    expect(decode({})).toBeUndefined();
    expect(decode(null)).toBeUndefined();
    expect(decode(undefined)).toBeUndefined();
  });

  it('turns the container’s error body into MODEL_ERROR quoting it (a canceled inference included)', () => {
    const message =
      'Inference canceled after 3 of 30 steps: the platform left a cancel marker (imggen:inference-canceled)';
    const error = outputError(() => codec.decodeResponse(json({ error: { code: 'canceled', message } })));
    expect(error.code).toBe('MODEL_ERROR');
    expect(error.message).toBe(`imggen: the model reported an error: ${message}`);
  });

  it('rejects a body that is not its response', () => {
    expect(outputError(() => codec.decodeResponse(json({ images: [] }))).message).toBe('imggen: "images" is empty');
    expect(outputError(() => codec.decodeResponse(json({ images: [7] }))).message).toBe(
      'imggen: images[0] is not an object',
    );
    const unknown = outputError(() => codec.decodeResponse(json({ images: [{ outcome: 'maybe' }] })));
    expect(unknown.message).toBe('imggen: images[0].outcome must be "ok", "filtered" or "failed", found "maybe"');
    expect(unknown.code).toBe('MODEL_OUTPUT_INVALID');
    expect(outputError(() => codec.decodeResponse(json({ images: [{ seed: 1 }] }))).message).toMatch(/found null$/);
    expect(outputError(() => codec.decodeResponse(json({ generated_image: 'x' }))).message).toBe(
      'imggen: expected "images" in the response, found keys: generated_image',
    );
  });
});

/** Where each codec carries its (first) image, and how its error messages name that place. */
const carriers = [
  { id: 'jumpstart-sd', where: 'generated_images[0]', body: (image: unknown) => ({ generated_images: [image] }) },
  { id: 'jumpstart-sdxl', where: '"generated_image"', body: (image: unknown) => ({ generated_image: image }) },
  {
    id: 'stability-sdxl',
    where: 'artifacts[0].base64',
    body: (image: unknown) => ({ result: 'success', artifacts: [{ base64: image, finishReason: 'SUCCESS' }] }),
  },
  {
    id: 'imggen',
    where: 'images[0].base64',
    body: (image: unknown) => ({ images: [{ outcome: 'ok', base64: image }] }),
  },
] as const;

describe.each(carriers)('$id codec, on what is not a good response', ({ id, where, body }) => {
  const codec = codecFor(id);
  const messageOf = (response: Buffer, contentType?: string): string =>
    outputError(() => codec.decodeResponse(response, contentType)).message;

  it('quotes the start of a body that is not JSON, whitespace collapsed, with its content type', () => {
    const html = Buffer.from('<html>\n  <body>Bad Gateway</body>\r\n</html>');
    expect(messageOf(html, 'text/html')).toBe(
      `${id}: the response (content type text/html) is not JSON: "<html> <body>Bad Gateway</body> </html>"`,
    );
  });

  it('quotes at most 200 characters of it', () => {
    expect(messageOf(Buffer.from('x'.repeat(200)))).toBe(`${id}: the response is not JSON: "${'x'.repeat(200)}"`);
    expect(messageOf(Buffer.from('y'.repeat(201)))).toBe(`${id}: the response is not JSON: "${'y'.repeat(200)}..."`);
  });

  it.each(['null', '42', '"text"', 'true', '[]'])('refuses the JSON value %s as not an object', (value) => {
    expect(messageOf(Buffer.from(value))).toBe(`${id}: the response is not a JSON object: "${value}"`);
  });

  it.each<[string, Record<string, unknown>]>([
    ['error', { error: 'CUDA out of memory' }],
    ['message', { message: 'CUDA out of memory' }],
    ['Message', { Message: 'CUDA out of memory' }],
    ['errorMessage', { errorMessage: 'CUDA out of memory' }],
    ['ErrorMessage', { ErrorMessage: 'CUDA out of memory' }],
    ['error.message', { error: { message: 'CUDA out of memory' } }],
    ['the first non-empty field', { error: '', message: 'CUDA out of memory' }],
    ['a message beside a null error', { error: null, message: 'CUDA out of memory' }],
  ])("reports the model's own error from %s as MODEL_ERROR", (_label, response) => {
    const error = outputError(() => codec.decodeResponse(json(response)));
    expect(error.message).toBe(`${id}: the model reported an error: CUDA out of memory`);
    expect(error.code).toBe('MODEL_ERROR');
  });

  it('takes no non-string message for an error, and lists at most ten keys', () => {
    const notAnError = outputError(() => codec.decodeResponse(json({ error: { message: 42 } })));
    expect(notAnError.code).toBe('MODEL_OUTPUT_INVALID');
    expect(notAnError.message).toMatch(new RegExp(`^${id}: expected .+ in the response, found keys: error$`));
    const twelveKeys = Object.fromEntries(Array.from({ length: 12 }, (_, index) => [`k${index}`, index]));
    expect(messageOf(json(twelveKeys))).toMatch(
      / in the response, found keys: k0, k1, k2, k3, k4, k5, k6, k7, k8, k9$/,
    );
    expect(messageOf(json({}))).toMatch(/ in the response, found keys: none$/);
  });

  it('decodes base64 wrapped over several lines', () => {
    const wrapped = png.toString('base64').replace(/.{20}/g, '$&\r\n');
    expect(wrapped).toContain('\r\n');
    expect(codec.decodeResponse(json(body(wrapped))).images[0]).toMatchObject({ data: png, format: 'png' });
  });

  it.each([
    ['an empty string', '', 'is not a base64 string'],
    ['a number', 42, 'is not a base64 string'],
    ['junk before the base64', () => `!!${png.toString('base64')}`, 'is not valid base64'],
    ['junk after the base64', () => `${png.toString('base64')}!!`, 'is not valid base64'],
    ['junk inside the base64', () => png.toString('base64').replace(/^(.{8})/, '$1*'), 'is not valid base64'],
    ['base64 of text', () => Buffer.from('not an image').toString('base64'), 'is not a PNG, JPEG or WebP image'],
  ])('refuses %s as the image', (_label, image, problem) => {
    const value = typeof image === 'function' ? image() : image;
    const error = outputError(() => codec.decodeResponse(json(body(value))));
    expect(error.message).toBe(`${id}: ${where} ${problem}`);
    expect(error.code).toBe('MODEL_OUTPUT_INVALID');
  });
});
