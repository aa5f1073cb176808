import { inferenceMs } from './timing.js';

describe('inferenceMs', () => {
  it('makes one 30-step 1024x1024 image take about 3 s with the dev defaults', () => {
    // 500 + 80 x 30 x 1.048576 = 3016.6
    expect(
      inferenceMs(
        { baseInferenceMs: 500, msPerStepMegapixel: 80 },
        { steps: 30, width: 1024, height: 1024, images: 1 },
      ),
    ).toBe(3017);
  });

  it('grows linearly with steps, pixels and images', () => {
    const options = { baseInferenceMs: 100, msPerStepMegapixel: 50 };
    const work = { steps: 20, width: 1000, height: 1000, images: 1 };
    expect(inferenceMs(options, work)).toBe(100 + 50 * 20);
    expect(inferenceMs(options, { ...work, steps: 40 })).toBe(100 + 50 * 40);
    expect(inferenceMs(options, { ...work, images: 4 })).toBe(100 + 50 * 20 * 4);
    expect(inferenceMs(options, { ...work, width: 2000 })).toBe(100 + 50 * 20 * 2);
  });

  it('is the base alone when the per-step cost is 0', () => {
    expect(
      inferenceMs({ baseInferenceMs: 0, msPerStepMegapixel: 0 }, { steps: 50, width: 2048, height: 2048, images: 4 }),
    ).toBe(0);
  });
});
