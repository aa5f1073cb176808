import type Sharp from 'sharp';
import type { OutputFormat } from '#libs/contracts';
import { ModelOutputError } from '#libs/models';

export interface NormalizedImage {
  data: Buffer;
  format: OutputFormat;
  width: number;
  height: number;
}

export const CONTENT_TYPES: Record<OutputFormat, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

/**
 * Models answer in their own format (JumpStart SD returns JPEG); the job asked for `format`. Re-encodes when the
 * bytes are not already in the wanted format (whatever the codec claimed), and reads the real dimensions.
 * Bytes sharp cannot read are the model's fault and will not improve on a retry: ModelOutputError.
 */
export async function normalizeImage(data: Buffer, wanted: OutputFormat): Promise<NormalizedImage> {
  const sharp = await loadSharp();
  try {
    const source = await sharp(data).metadata();
    const output = source.format === wanted ? data : await sharp(data).toFormat(wanted).toBuffer();
    const { width, height } = output === data ? source : await sharp(output).metadata();
    if (!width || !height) {
      throw new ModelOutputError('the model returned an image without dimensions');
    }
    return { data: output, format: wanted, width, height };
  } catch (error) {
    if (error instanceof ModelOutputError) {
      throw error;
    }
    throw new ModelOutputError(`the model returned an image that cannot be read: ${(error as Error).message}`);
  }
}

let sharpModule: Promise<{ default: typeof Sharp }> | undefined;

/** sharp (and libvips, about 30 MB resident) is loaded by the first image: an api that renders none never loads it. */
async function loadSharp(): Promise<typeof Sharp> {
  sharpModule ??= import('sharp');
  return (await sharpModule).default;
}
