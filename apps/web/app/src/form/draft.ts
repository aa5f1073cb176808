import type { CreateJob, JobParams, Model } from '../api/types';

export const QUALITIES = ['draft', 'standard', 'high'] as const;
export const OUTPUT_FORMATS = ['png', 'jpeg', 'webp'] as const;
export const MAX_SEED = 4_294_967_295;

/**
 * The request schema's bounds (openapi.json's CreateJobDto; draft.spec.ts checks them against it): the api checks
 * these before the chosen model's own limits, with other words, so the form says what the api would.
 */
export const REQUEST_BOUNDS = {
  promptLength: 2000,
  steps: { min: 1, max: 100 },
  seed: { min: 0, max: MAX_SEED },
} as const;

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
  /** Only from a re-run (the form has no control for it): the job's guidance, so the same seed gives the same image. */
  guidanceScale?: number;
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
    let [exactWidth, exactHeight] = [Math.sqrt((area * rw) / rh), Math.sqrt((area * rh) / rw)];
    // a small default area (sdxl-turbo's 512²) would put the short side under the minimum: grow to fit it
    const grow = Math.max(1, limits.minSize / Math.min(exactWidth, exactHeight));
    [exactWidth, exactHeight] = [exactWidth * grow, exactHeight * grow];
    const width = snap(exactWidth);
    const height = snap(exactHeight);
    const fits = [width, height].every((side) => side >= limits.minSize && side <= limits.maxSize);
    if (fits && !presets.some((preset) => preset.width === width && preset.height === height)) {
      presets.push({ label: `${rw}:${rh} · ${width}×${height}`, width, height });
    }
  }
  return presets;
}

const codePoints = (text: string): number => [...text].length;

/** The request schema's check first ("an integer from 1 to 100"), then the model's narrower range, as the api does. */
function integerIssue(
  text: string,
  schema: { min: number; max: number },
  model?: { min: number; max: number; id: string },
): string | undefined {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < schema.min || value > schema.max) {
    return `must be an integer from ${schema.min} to ${schema.max}`;
  }
  return model && (value < model.min || value > model.max)
    ? `must be between ${model.min} and ${model.max} for model ${model.id}`
    : undefined;
}

function lengthIssue(text: string, model: Model): string | undefined {
  const length = codePoints(text);
  if (length > REQUEST_BOUNDS.promptLength) {
    return `must be at most ${REQUEST_BOUNDS.promptLength} characters`;
  }
  return length > model.limits.maxPromptLength
    ? `must be at most ${model.limits.maxPromptLength} characters for model ${model.id}`
    : undefined;
}

/**
 * The api's checks for this model, in the words of its 400 `errors[]` (without the field name the api puts first,
 * see fieldMessage), so the form says it before submitting.
 */
export function validateDraft(draft: Draft, model: Model): Record<string, string> {
  const { limits } = model;
  const issues: Record<string, string> = {};
  const prompt = draft.prompt.trim() === '' ? 'must not be empty' : lengthIssue(draft.prompt, model);
  if (prompt) {
    issues.prompt = prompt;
  }
  const negativePrompt = lengthIssue(draft.negativePrompt, model);
  if (negativePrompt) {
    issues.negativePrompt = negativePrompt;
  }
  if (draft.detail === 'steps') {
    const issue = integerIssue(draft.steps, REQUEST_BOUNDS.steps, {
      min: limits.minSteps,
      max: limits.maxSteps,
      id: model.id,
    });
    if (issue) {
      issues.steps = issue;
    }
  }
  if (draft.seedMode === 'fixed') {
    const issue = integerIssue(draft.seed, REQUEST_BOUNDS.seed);
    if (issue) {
      issues.seed = issue;
    }
  }
  if (draft.numImages < 1 || draft.numImages > limits.maxImages) {
    issues.numImages = `must be between 1 and ${limits.maxImages} for model ${model.id}`;
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
    // the quality also nudges the guidance: a re-run keeps it even when it gives the steps
    quality: draft.quality,
    ...(draft.detail === 'steps' ? { steps: Number(draft.steps) } : {}),
    ...(draft.guidanceScale !== undefined ? { guidanceScale: draft.guidanceScale } : {}),
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
    guidanceScale: params.guidanceScale,
  };
}

/** The api's message without the field name it starts with ("steps must be …" → "must be …"), for `<label> …`. */
export function fieldMessage(field: string, message: string): string {
  return message.startsWith(`${field} `) ? message.slice(field.length + 1) : message;
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

/** Sign-out: the next person in this tab does not see the last one's prompt (an expired session keeps it). */
export function clearDraft(storage: Storage = sessionStorage): void {
  storage.removeItem(DRAFT_KEY);
}

const DRAFT_REPLACED = 'imggen:draft-replaced';

/** Puts a draft in the form (re-run): saved, and an open form takes it at once. */
export function replaceDraft(draft: Draft): void {
  saveDraft(draft);
  window.dispatchEvent(new Event(DRAFT_REPLACED));
}

/** Calls `onReplace` with the new draft whenever replaceDraft runs; returns the unsubscribe. */
export function onDraftReplaced(onReplace: (draft: Draft) => void): () => void {
  const listener = () => onReplace(loadDraft());
  window.addEventListener(DRAFT_REPLACED, listener);
  return () => window.removeEventListener(DRAFT_REPLACED, listener);
}
