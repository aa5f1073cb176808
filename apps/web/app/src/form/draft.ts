import type { CreateJob, JobParams, Model } from '../api/types';

export const QUALITIES = ['draft', 'standard', 'high'] as const;
export const OUTPUT_FORMATS = ['png', 'jpeg', 'webp'] as const;
export const MAX_SEED = 4_294_967_295;

/** The new-image form as typed (strings where the user types numbers). Kept in sessionStorage as it changes. */
export interface Draft {
  prompt: string;
  negativePrompt: string;
  modelId: string;
  /** `${width}x${height}` */
  size: string;
  detail: 'quality' | 'steps';
  quality: (typeof QUALITIES)[number];
  steps: string;
  seedMode: 'random' | 'fixed';
  seed: string;
  numImages: number;
  outputFormat: (typeof OUTPUT_FORMATS)[number] | '';
}

export const EMPTY_DRAFT: Draft = {
  prompt: '',
  negativePrompt: '',
  modelId: '',
  size: '',
  detail: 'quality',
  quality: 'standard',
  steps: '',
  seedMode: 'random',
  seed: '',
  numImages: 1,
  outputFormat: '',
};

export interface SizePreset {
  label: string;
  width: number;
  height: number;
}

const RATIOS: [number, number][] = [
  [1, 1],
  [4, 3],
  [3, 4],
  [3, 2],
  [2, 3],
  [16, 9],
  [9, 16],
];

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const ratioLabel = (width: number, height: number): string => {
  const divisor = gcd(width, height);
  const [w, h] = [width / divisor, height / divisor];
  // near-ratios (SDXL's 1152x896 is 9:7) read better as the closest common one
  const near = RATIOS.find(([rw, rh]) => Math.abs(rw / rh - width / height) < 0.05);
  return near && (w > 21 || h > 21 || near[0] !== w) ? `≈${near[0]}:${near[1]}` : `${w}:${h}`;
};

/**
 * Sizes to offer for a model, by aspect ratio: its allowed sizes when it has a list, else each common ratio at
 * about the model's default area, in its size multiple and within its min/max (ratios that do not fit are left out).
 */
export function sizePresets(model: Model): SizePreset[] {
  const { limits, defaults } = model;
  if (limits.allowedSizes?.length) {
    return limits.allowedSizes.map(([width, height]) => ({
      label: `${ratioLabel(width!, height!)} · ${width}×${height}`,
      width: width!,
      height: height!,
    }));
  }
  const area = defaults.width * defaults.height;
  const presets: SizePreset[] = [];
  for (const [rw, rh] of RATIOS) {
    const snap = (value: number) => Math.round(value / limits.sizeMultiple) * limits.sizeMultiple;
    const width = snap(Math.sqrt((area * rw) / rh));
    const height = snap(Math.sqrt((area * rh) / rw));
    const fits = [width, height].every((side) => side >= limits.minSize && side <= limits.maxSize);
    if (fits && !presets.some((preset) => preset.width === width && preset.height === height)) {
      presets.push({ label: `${rw}:${rh} · ${width}×${height}`, width, height });
    }
  }
  return presets;
}

const codePoints = (text: string): number => [...text].length;

function integerIssue(text: string, min: number, max: number): string | undefined {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value)) {
    return 'must be an integer';
  }
  return value < min || value > max ? `must be between ${min} and ${max}` : undefined;
}

/** The api's checks for this model (same wording as its 400 `errors[]`), so the form says it before submitting. */
export function validateDraft(draft: Draft, model: Model): Record<string, string> {
  const { limits } = model;
  const issues: Record<string, string> = {};
  if (draft.prompt.trim() === '') {
    issues.prompt = 'must be a non-empty string';
  } else if (codePoints(draft.prompt) > limits.maxPromptLength) {
    issues.prompt = `must be at most ${limits.maxPromptLength} characters for model ${model.id}`;
  }
  if (codePoints(draft.negativePrompt) > limits.maxPromptLength) {
    issues.negativePrompt = `must be at most ${limits.maxPromptLength} characters for model ${model.id}`;
  }
  if (draft.detail === 'steps') {
    const issue = integerIssue(draft.steps, limits.minSteps, limits.maxSteps);
    if (issue) {
      issues.steps = issue;
    }
  }
  if (draft.seedMode === 'fixed') {
    const issue = integerIssue(draft.seed, 0, MAX_SEED);
    if (issue) {
      issues.seed = issue;
    }
  }
  if (draft.numImages < 1 || draft.numImages > limits.maxImages) {
    issues.numImages = `must be between 1 and ${limits.maxImages}`;
  }
  return issues;
}

/** The POST /v1/jobs body for a valid draft: only what the user chose (the api fills in the model's defaults). */
export function draftToRequest(draft: Draft, model: Model): CreateJob {
  const [width, height] = draft.size.split('x').map(Number);
  const sized = width && height && sizePresets(model).some((p) => p.width === width && p.height === height);
  return {
    prompt: draft.prompt,
    ...(draft.negativePrompt.trim() ? { negativePrompt: draft.negativePrompt } : {}),
    modelId: model.id,
    ...(sized ? { width, height } : {}),
    ...(draft.detail === 'steps' ? { steps: Number(draft.steps) } : { quality: draft.quality }),
    ...(draft.seedMode === 'fixed' ? { seed: Number(draft.seed) } : {}),
    numImages: draft.numImages,
    ...(draft.outputFormat ? { outputFormat: draft.outputFormat } : {}),
  };
}

/** A draft from a job's resolved parameters: "re-run" with the same seed, or a new one. */
export function draftFromParams(params: JobParams, seed: 'same' | 'new'): Draft {
  return {
    prompt: params.prompt,
    negativePrompt: params.negativePrompt ?? '',
    modelId: params.modelId,
    size: `${params.width}x${params.height}`,
    detail: 'steps',
    quality: params.quality,
    steps: String(params.steps),
    seedMode: seed === 'same' ? 'fixed' : 'random',
    seed: seed === 'same' ? String(params.seed) : '',
    numImages: params.numImages,
    outputFormat: params.outputFormat,
  };
}

const DRAFT_KEY = 'imggen.draft';

export function loadDraft(storage: Storage = sessionStorage): Draft {
  try {
    return { ...EMPTY_DRAFT, ...(JSON.parse(storage.getItem(DRAFT_KEY) ?? '{}') as Partial<Draft>) };
  } catch {
    return EMPTY_DRAFT;
  }
}

export function saveDraft(draft: Draft, storage: Storage = sessionStorage): void {
  storage.setItem(DRAFT_KEY, JSON.stringify(draft));
}
