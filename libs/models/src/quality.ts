import type { Quality } from '#libs/contracts';

export interface QualityPreset {
  /** Multiplies the model's default (standard) steps; the result is rounded and capped at the model's maxSteps. */
  stepsFactor: number;
  /** Added to the model's default guidance scale (kept within 1..35). */
  guidanceScaleOffset: number;
}

/**
 * `quality` maps to steps and guidance relative to each model's defaults, so one preset fits every model:
 * draft halves the steps (about half the GPU time) and guides a little less, which fewer steps tolerate better;
 * high takes 1.5x the steps and slightly stronger guidance. An explicit `steps` or `guidanceScale` in the
 * request wins over the preset.
 */
export const QUALITY_PRESETS: Record<Quality, QualityPreset> = {
  draft: { stepsFactor: 0.5, guidanceScaleOffset: -1 },
  standard: { stepsFactor: 1, guidanceScaleOffset: 0 },
  high: { stepsFactor: 1.5, guidanceScaleOffset: 0.5 },
};

export const DEFAULT_QUALITY: Quality = 'standard';
