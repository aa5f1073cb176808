import { codecFor } from '#libs/models';
import { ImggenFormat } from './imggen.format.js';
import { JumpStartSdFormat } from './jumpstart-sd.format.js';
import { JumpStartSdxlFormat } from './jumpstart-sdxl.format.js';
import { ModelRequestError } from './server-format.js';
import { StabilitySdxlFormat } from './stability-sdxl.format.js';

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const image = Buffer.from('fake-image-bytes');

function requestError(fn: () => unknown): ModelRequestError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ModelRequestError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a ModelRequestError');
}

describe('jumpstart-sd server format', () => {
  const format = new JumpStartSdFormat();
  // reference/aws.md section 6.1, verbatim.
  const reference = {
    prompt: 'astronaut on a horse',
    negative_prompt: 'blurry',
    width: 512,
    height: 512,
    num_images_per_prompt: 1,
    num_inference_steps: 50,
    guidance_scale: 7.5,
    seed: 1,
  };

  it('parses the reference request', () => {
    expect(format.parseRequest(json(reference), 'application/json', 'application/json;jpeg')).toEqual({
      request: {
        prompts: ['astronaut on a horse'],
        negativePrompt: 'blurry',
        width: 512,
        height: 512,
        steps: 50,
        guidanceScale: 7.5,
        seed: 1,
        numImages: 1,
      },
      imageFormat: 'jpeg',
      responseContentType: 'application/json;jpeg',
    });
  });

  it('takes a list of prompts and the model defaults', () => {
    const parsed = format.parseRequest(json({ prompt: ['a', 'b'] }), undefined, 'application/json;png');
    expect(parsed.request).toMatchObject({ prompts: ['a', 'b'], width: 512, height: 512, steps: 50, numImages: 1 });
    expect(parsed.imageFormat).toBe('png');
  });

  it('refuses what the real container refuses', () => {
    expect(
      requestError(() => format.parseRequest(json({ ...reference, width: 500 }), undefined, 'application/json;jpeg'))
        .message,
    ).toMatch(/width: must be divisible by 8/);
    expect(
      requestError(() => format.parseRequest(json({ width: 512 }), undefined, 'application/json;jpeg')).message,
    ).toMatch(/prompt/);
    expect(requestError(() => format.parseRequest(Buffer.from('{'), undefined, 'application/json;jpeg')).message).toBe(
      'The request body is not valid JSON',
    );
    expect(
      requestError(() => format.parseRequest(json(reference), 'text/csv', 'application/json;jpeg')).statusCode,
    ).toBe(415);
  });

  it('does not simulate raw RGB arrays (plain application/json accept)', () => {
    const error = requestError(() => format.parseRequest(json(reference), 'application/json', 'application/json'));
    expect(error.statusCode).toBe(406);
    expect(error.message).toMatch(/application\/json;jpeg/);
  });

  it('answers generated_images with the prompt echoed', () => {
    const parsed = format.parseRequest(json(reference), 'application/json', 'application/json;jpeg');
    const reply = format.buildResponse(parsed, [image, image]);
    expect(reply.statusCode).toBe(200);
    expect(reply.contentType).toBe('application/json;jpeg');
    expect(JSON.parse(reply.body.toString())).toEqual({
      generated_images: [image.toString('base64'), image.toString('base64')],
      prompt: 'astronaut on a horse',
    });
  });

  it('answers errors in the model server shape', () => {
    const reply = format.errorReply(500, 'boom');
    expect(reply.statusCode).toBe(500);
    expect(JSON.parse(reply.body.toString())).toEqual({ code: 500, type: 'InternalServerException', message: 'boom' });
  });
});

describe('jumpstart-sdxl server format', () => {
  const format = new JumpStartSdxlFormat();
  // reference/aws.md section 6.2, verbatim.
  const reference = {
    text_prompts: [{ text: 'jaguar in the Amazon rainforest' }],
    width: 1024,
    height: 1024,
    sampler: 'DPMPP2MSampler',
    cfg_scale: 7.0,
    steps: 50,
    seed: 133,
    use_refiner: true,
    refiner_steps: 40,
    refiner_strength: 0.2,
  };

  it('parses the reference request (refiner steps count as work)', () => {
    expect(format.parseRequest(json(reference), 'application/json', 'application/json')).toEqual({
      request: {
        prompts: ['jaguar in the Amazon rainforest'],
        width: 1024,
        height: 1024,
        steps: 90,
        guidanceScale: 7,
        seed: 133,
        numImages: 1,
      },
      imageFormat: 'png',
      responseContentType: 'application/json',
    });
  });

  it('splits negative prompts by weight', () => {
    const parsed = format.parseRequest(
      json({ text_prompts: [{ text: 'cat' }, { text: 'blurry', weight: -1 }], steps: 20 }),
      'application/json',
      undefined,
    );
    expect(parsed.request).toMatchObject({ prompts: ['cat'], negativePrompt: 'blurry', width: 1024, steps: 20 });
  });

  it('refuses bad sizes and samplers', () => {
    expect(
      requestError(() => format.parseRequest(json({ ...reference, height: 200 }), undefined, undefined)).message,
    ).toMatch(/height: must be at least 256/);
    expect(
      requestError(() => format.parseRequest(json({ ...reference, sampler: 'K_EULER' }), undefined, undefined)).message,
    ).toMatch(/sampler/);
    expect(requestError(() => format.parseRequest(json({ prompt: 'x' }), undefined, undefined)).message).toMatch(
      /text_prompts/,
    );
  });

  it('answers one generated_image', () => {
    const parsed = format.parseRequest(json(reference), 'application/json', 'application/json');
    const reply = format.buildResponse(parsed, [image]);
    expect(JSON.parse(reply.body.toString())).toEqual({ generated_image: image.toString('base64') });
    expect(reply.contentType).toBe('application/json');
  });
});

describe('stability-sdxl server format', () => {
  const format = new StabilitySdxlFormat();
  // reference/aws.md section 6.3, verbatim.
  const reference = {
    text_prompts: [
      { text: 'a green iguana', weight: 1.0 },
      { text: 'blurry', weight: -1.0 },
    ],
    cfg_scale: 7,
    height: 1024,
    width: 1024,
    steps: 50,
    seed: 42,
    sampler: 'K_DPMPP_2M',
    style_preset: 'photographic',
  };

  it('parses the reference request', () => {
    expect(format.parseRequest(json(reference), 'application/json', 'application/json;png')).toEqual({
      request: {
        prompts: ['a green iguana'],
        negativePrompt: 'blurry',
        width: 1024,
        height: 1024,
        steps: 50,
        guidanceScale: 7,
        seed: 42,
        numImages: 1,
      },
      imageFormat: 'png',
      responseContentType: 'application/json;png',
    });
    expect(format.parseRequest(json(reference), 'application/json', undefined).responseContentType).toBe(
      'application/json',
    );
  });

  it('accepts only the nine SDXL sizes and Bedrock ranges', () => {
    expect(
      format.parseRequest(json({ ...reference, width: 1536, height: 640 }), undefined, undefined).request.width,
    ).toBe(1536);
    expect(
      requestError(() => format.parseRequest(json({ ...reference, width: 1024, height: 768 }), undefined, undefined))
        .message,
    ).toMatch(/width x height must be one of 1024x1024/);
    expect(
      requestError(() => format.parseRequest(json({ ...reference, steps: 5 }), undefined, undefined)).message,
    ).toMatch(/steps/);
    expect(
      requestError(() => format.parseRequest(json({ ...reference, style_preset: 'vaporwave' }), undefined, undefined))
        .message,
    ).toMatch(/style_preset/);
  });

  it('answers artifacts with seeds, SUCCESS or CONTENT_FILTERED', () => {
    const parsed = format.parseRequest(json({ ...reference, samples: 2 }), undefined, 'application/json;png');
    expect(parsed.request.numImages).toBe(2);
    const reply = format.buildResponse(parsed, [image, image], { contentFiltered: false });
    expect(reply.contentType).toBe('application/json;png');
    expect(JSON.parse(reply.body.toString())).toEqual({
      result: 'success',
      artifacts: [
        { base64: image.toString('base64'), seed: 42, finishReason: 'SUCCESS' },
        { base64: image.toString('base64'), seed: 43, finishReason: 'SUCCESS' },
      ],
    });
    const filtered = format.buildResponse(parsed, [image], { contentFiltered: true });
    expect(JSON.parse(filtered.body.toString()).artifacts[0].finishReason).toBe('CONTENT_FILTERED');
  });

  it('filters single artifacts on demand: [filtered:2] in the prompt', () => {
    const prompt = { text_prompts: [{ text: 'three cats [filtered:2]' }], samples: 3 };
    const parsed = format.parseRequest(json({ ...reference, ...prompt }), undefined, 'application/json;png');
    const reply = format.buildResponse(parsed, [image, image, image], { contentFiltered: false });
    const { artifacts } = JSON.parse(reply.body.toString()) as { artifacts: Array<{ finishReason: string }> };
    const reasons = artifacts.map((artifact) => artifact.finishReason);
    expect(reasons).toEqual(['SUCCESS', 'CONTENT_FILTERED', 'SUCCESS']);
  });

  it('answers errors as result: error', () => {
    expect(JSON.parse(format.errorReply(400, 'bad').body.toString())).toEqual({
      result: 'error',
      error: { message: 'bad' },
    });
  });
});

describe('imggen server format (our own container)', () => {
  const format = new ImggenFormat();
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
  const params = {
    prompt: 'a lighthouse',
    modelId: 'imggen-sdxl',
    steps: 4,
    width: 512,
    height: 512,
    quality: 'standard',
    guidanceScale: 0,
    seed: 7,
    numImages: 2,
    outputFormat: 'webp',
  } as const;

  it('parses what the imggen codec sends', () => {
    const payload = codecFor('imggen').encodeRequest({ ...params, negativePrompt: 'fog' }, { inferenceId: 'job-1' });
    expect(format.parseRequest(payload.body, payload.contentType, payload.accept)).toEqual({
      request: {
        prompts: ['a lighthouse'],
        negativePrompt: 'fog',
        width: 512,
        height: 512,
        steps: 4,
        guidanceScale: 0,
        seed: 7,
        numImages: 2,
      },
      imageFormat: 'webp',
      responseContentType: 'application/json',
    });
  });

  it('refuses what the container refuses', () => {
    const bad = { ...params, width: 500, numImages: 9, prompt: ' ' };
    const error = requestError(() => format.parseRequest(json(bad), 'application/json', undefined));
    expect(error.statusCode).toBe(400);
    expect(error.message).toMatch(/prompt/);
    expect(error.message).toMatch(/width: must be a multiple of 8/);
    expect(error.message).toMatch(/numImages/);
    expect(requestError(() => format.parseRequest(json(params), 'text/csv', undefined)).statusCode).toBe(415);
  });

  it('answers one entry per image with its outcome, seed and the container timings, which the codec decodes', () => {
    const parsed = format.parseRequest(json(params), 'application/json', 'application/json');
    const reply = format.buildResponse(parsed, [png, png], { contentFiltered: false });
    expect(reply.statusCode).toBe(200);
    expect(reply.contentType).toBe('application/json');
    const body = JSON.parse(reply.body.toString());
    expect(body).toEqual({
      images: [
        { outcome: 'ok', seed: 7, base64: png.toString('base64'), format: 'webp' },
        { outcome: 'ok', seed: 8, base64: png.toString('base64'), format: 'webp' },
      ],
      seed: 7,
      model: 'sagemaker-stub',
      timings: { loadMs: 0, queueMs: 0, inferenceMs: expect.any(Number) },
    });
    const decoded = codecFor('imggen').decodeResponse(reply.body, reply.contentType);
    expect(decoded.images.map((entry) => entry.outcome)).toEqual(['ok', 'ok']);
    expect(decoded.modelTimings).toEqual({ loadMs: 0, queueMs: 0, inferenceMs: expect.any(Number) });
  });

  it.each([
    ['[filtered:2]', 3, false, ['ok', 'filtered', 'ok']],
    ['[filtered:1,3]', 3, false, ['filtered', 'ok', 'filtered']],
    ['[filtered:9]', 2, false, ['ok', 'ok']],
    ['', 2, true, ['filtered', 'filtered']],
  ])('filters on demand: "%s" over %i images (all: %s)', (marker, count, contentFiltered, outcomes) => {
    const parsed = format.parseRequest(
      json({ ...params, prompt: `cats ${marker}`, numImages: count }),
      'application/json',
      undefined,
    );
    const reply = format.buildResponse(parsed, Array<Buffer>(count).fill(png), { contentFiltered });
    const images = JSON.parse(reply.body.toString()).images as Array<{ outcome: string; base64?: string }>;
    expect(images.map((entry) => entry.outcome)).toEqual(outcomes);
    expect(images.filter((entry) => entry.outcome === 'filtered').every((entry) => entry.base64 === undefined)).toBe(
      true,
    );
  });

  it('answers errors as {"error": {"code", "message"}}, a cancel as code canceled', () => {
    const canceled = format.errorReply(409, 'Inference canceled (imggen:inference-canceled)');
    expect(canceled.statusCode).toBe(409);
    expect(JSON.parse(canceled.body.toString())).toEqual({
      error: { code: 'canceled', message: 'Inference canceled (imggen:inference-canceled)' },
    });
    expect(JSON.parse(format.errorReply(500, 'boom').body.toString()).error.code).toBe('model_error');
    expect(JSON.parse(format.errorReply(400, 'bad').body.toString()).error.code).toBe('bad_request');
  });
});
