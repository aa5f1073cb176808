export interface TimingOptions {
  baseInferenceMs: number;
  msPerStepMegapixel: number;
}

export interface WorkSize {
  steps: number;
  width: number;
  height: number;
  /** Images generated in the call (a batch costs about images x one image on a GPU). */
  images: number;
}

/** Simulated GPU time: base + msPerStepMegapixel x steps x megapixels (all images of the call). */
export function inferenceMs(options: TimingOptions, work: WorkSize): number {
  const megapixels = (work.width * work.height * work.images) / 1_000_000;
  return Math.round(options.baseInferenceMs + options.msPerStepMegapixel * work.steps * megapixels);
}
