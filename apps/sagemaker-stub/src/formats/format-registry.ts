import type { CodecId } from '#libs/models';
import { JumpStartSdFormat } from './jumpstart-sd.format.js';
import { JumpStartSdxlFormat } from './jumpstart-sdxl.format.js';
import { ImggenFormat } from './imggen.format.js';
import type { ServerFormat } from './server-format.js';
import { StabilitySdxlFormat } from './stability-sdxl.format.js';

const FORMATS: Record<CodecId, ServerFormat> = {
  'jumpstart-sd': new JumpStartSdFormat(),
  'jumpstart-sdxl': new JumpStartSdxlFormat(),
  'stability-sdxl': new StabilitySdxlFormat(),
  imggen: new ImggenFormat(),
};

export function serverFormatFor(codec: CodecId): ServerFormat {
  return FORMATS[codec];
}
