import { JobErrorCode } from '#libs/contracts';
import { ModelOutputError } from '../errors.js';
import type { CodecId } from '../model-definition.js';
import type { DecodedImage, MissingImage } from './image-codec.js';

function count(images: readonly DecodedImage[], outcome: DecodedImage['outcome']): number {
  return images.filter((image) => image.outcome === outcome).length;
}

/**
 * The rule for a batch with missing images: a job keeps the images the model delivered (partial results). With
 * none delivered it fails: CONTENT_FILTERED when the filter blocked every image, MODEL_ERROR when any of them
 * failed (a retry may succeed). The message quotes the model about the first missing image.
 */
export function requireDeliveredImages(codec: CodecId, images: readonly DecodedImage[]): void {
  if (images.some((image) => image.outcome === 'ok')) {
    return;
  }
  const [first] = images as readonly MissingImage[];
  const reason = first ? `: ${first.reason}` : '';
  const filtered = count(images, 'filtered');
  if (filtered === images.length) {
    throw new ModelOutputError(
      `${codec}: the model's content filter blocked every image (${filtered} of ${images.length})${reason}`,
      JobErrorCode.ContentFiltered,
    );
  }
  throw new ModelOutputError(
    `${codec}: the model delivered no image (${count(images, 'failed')} failed, ${filtered} filtered)${reason}`,
    JobErrorCode.ModelError,
  );
}
