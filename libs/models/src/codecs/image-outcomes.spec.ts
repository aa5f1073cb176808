import { ModelOutputError } from '../errors.js';
import type { DecodedImage } from './image-codec.js';
import { requireDeliveredImages } from './image-outcomes.js';

const ok: DecodedImage = { outcome: 'ok', data: Buffer.from('png'), format: 'png' };
const filtered = (index: number): DecodedImage => ({ outcome: 'filtered', reason: `images[${index}] was blocked` });
const failed = (index: number): DecodedImage => ({ outcome: 'failed', reason: `images[${index}] failed` });

function refusal(images: DecodedImage[]): ModelOutputError {
  try {
    requireDeliveredImages('imggen', images);
  } catch (error) {
    if (error instanceof ModelOutputError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a ModelOutputError');
}

describe(requireDeliveredImages.name, () => {
  it('lets a batch through when at least one image was delivered', () => {
    expect(() => requireDeliveredImages('imggen', [filtered(0), ok, failed(2)])).not.toThrow();
    expect(() => requireDeliveredImages('imggen', [ok])).not.toThrow();
  });

  it('fails CONTENT_FILTERED when the filter blocked every image', () => {
    const error = refusal([filtered(0), filtered(1)]);
    expect(error.code).toBe('CONTENT_FILTERED');
    expect(error.message).toBe(
      "imggen: the model's content filter blocked every image (2 of 2): images[0] was blocked",
    );
  });

  it('fails MODEL_ERROR (retryable) when none was delivered and any failed', () => {
    const error = refusal([filtered(0), failed(1)]);
    expect(error.code).toBe('MODEL_ERROR');
    expect(error.message).toBe('imggen: the model delivered no image (1 failed, 1 filtered): images[0] was blocked');
  });
});
