import { BUILT_IN_MODELS } from './built-in-catalog.js';
import { ModelCatalog } from './catalog.js';
import { estimateCost, jobCost, NO_COST, priceOfGpuSeconds } from './pricing.js';

const catalog = ModelCatalog.builtIn();
const sdxl = catalog.get('stable-diffusion-xl');
const sd21 = catalog.get('stable-diffusion-2-1');

describe('pricing', () => {
  it('prices every built-in model at the SageMaker ml.g5.xlarge rate, not the EC2 one', () => {
    for (const model of BUILT_IN_MODELS) {
      expect(model.hosting).toMatchObject({ instanceType: 'ml.g5.xlarge', hourlyUsd: 1.408 });
    }
  });

  it('reproduces the anchors: SDXL 30 steps at 1024x1024 in ~9.4 s, SD 50 steps at 512x512 in ~2.7 s', () => {
    expect(estimateCost(sdxl, { steps: 30, width: 1024, height: 1024, numImages: 1 }).gpuSeconds).toBeCloseTo(9.4, 1);
    expect(estimateCost(sd21, { steps: 50, width: 512, height: 512, numImages: 1 }).gpuSeconds).toBeCloseTo(2.7, 1);
  });

  it('grows with steps and pixels, and a batch costs its images times one image', () => {
    const model = {
      hosting: { instanceType: 'ml.g5.xlarge', hourlyUsd: 3.6, coldStartSeconds: 0 },
      timing: { secondsPerStepMegapixel: 0.25, overheadSecondsPerImage: 1 },
    };
    // 1 + 0.25 x 20 x 1.0 = 6 s per image; x 2 images = 12 s; 12 s x $3.6/h = $0.012
    expect(estimateCost(model, { steps: 20, width: 1000, height: 1000, numImages: 2 })).toEqual({
      gpuSeconds: 12,
      micros: 12_000,
      usd: 0.012,
    });
    // 1 + 0.25 x 40 x 0.5 = 6 s
    expect(estimateCost(model, { steps: 40, width: 500, height: 1000, numImages: 1 }).gpuSeconds).toBe(6);
  });

  it('rounds money up to whole micro-dollars, without adding one for binary noise', () => {
    expect(priceOfGpuSeconds(1, 1.408)).toBe(392); // 391.1 micro-USD
    expect(priceOfGpuSeconds(3600, 1)).toBe(1_000_000);
    expect(priceOfGpuSeconds(0.3, 36)).toBe(3000); // 0.3 x 36 / 3600 = 0.0030000000000000005
    expect(priceOfGpuSeconds(0, 1.408)).toBe(0);
  });

  it('costs a job from the model’s own timing first, else the notification’s receivedTime → eventTime', () => {
    expect(jobCost(sdxl, { modelSeconds: 9, inferenceMs: 60_000 })).toEqual({ gpuSeconds: 9, usd: 0.00352 });
    expect(jobCost(sdxl, { inferenceMs: 9000 })).toEqual({ gpuSeconds: 9, usd: 0.00352 });
    expect(jobCost(sdxl, { inferenceMs: 1 })).toEqual({ gpuSeconds: 0.001, usd: 0.000001 });
  });

  it('costs nothing without a timing, and no price for a model the catalog no longer has', () => {
    expect(jobCost(sdxl, {})).toEqual({ gpuSeconds: 0, usd: 0 });
    // a model gone from the catalog: the GPU time is known, its price is not
    expect(jobCost(undefined, { inferenceMs: 9000 })).toEqual({ gpuSeconds: 9, usd: 0 });
    expect(NO_COST).toEqual({ gpuSeconds: 0, usd: 0 });
    expect(jobCost(undefined, { inferenceMs: 5000 })).toEqual({ gpuSeconds: 5, usd: 0 });
  });
});
