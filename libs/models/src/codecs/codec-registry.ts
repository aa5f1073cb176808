import type { CodecId } from '../model-definition.js';
import type { ImageCodec } from './image-codec.js';
import { ImggenCodec } from './imggen.codec.js';
import { JumpStartSdCodec } from './jumpstart-sd.codec.js';
import { JumpStartSdxlCodec } from './jumpstart-sdxl.codec.js';
import { StabilitySdxlCodec } from './stability-sdxl.codec.js';

const CODECS: Record<CodecId, ImageCodec> = {
  'jumpstart-sd': new JumpStartSdCodec(),
  'jumpstart-sdxl': new JumpStartSdxlCodec(),
  'stability-sdxl': new StabilitySdxlCodec(),
  imggen: new ImggenCodec(),
};

/** The codec for a catalog entry's `codec` (codecs are stateless, so one instance each is shared). */
export function codecFor(id: CodecId): ImageCodec {
  const codec = CODECS[id] as ImageCodec | undefined;
  if (!codec) {
    throw new Error(`No codec '${String(id)}'`);
  }
  return codec;
}
