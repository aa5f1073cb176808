import sharp from 'sharp';
import type { OutputFormat } from '#libs/contracts';

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
 * Models answer in their own format (JumpStart SD returns JPEG); the job asked for `format`.
 * Re-encodes only when the two differ, and reads the real dimensions either way.
 */
export async function normalizeImage(
  data: Buffer,
  actual: OutputFormat,
  wanted: OutputFormat,
): Promise<NormalizedImage> {
  const output = actual === wanted ? data : await sharp(data).toFormat(wanted).toBuffer();
  const { width, height } = await sharp(output).metadata();
  if (!width || !height) {
    throw new Error('model image has no dimensions');
  }
  return { data: output, format: wanted, width, height };
}
