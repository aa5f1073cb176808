import sharp from 'sharp';
import { buildSvg, type ImageSpec } from './svg.js';

export type RenderFormat = 'png' | 'jpeg' | 'webp';

/**
 * Renders a real image of exactly width x height: deterministic, so the same prompt + seed + size + format
 * always gives the same bytes (no timestamps or random metadata are written).
 */
export async function renderImage(spec: ImageSpec, format: RenderFormat): Promise<Buffer> {
  const image = sharp(Buffer.from(buildSvg(spec))).resize(spec.width, spec.height, { fit: 'fill' });
  switch (format) {
    case 'png':
      return image.png({ compressionLevel: 6 }).toBuffer();
    case 'jpeg':
      return image.jpeg({ quality: 90 }).toBuffer();
    case 'webp':
      return image.webp({ quality: 90 }).toBuffer();
  }
}
