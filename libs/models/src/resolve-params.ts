import {
  characterCount,
  DEFAULT_WEBHOOK_EVENTS,
  type JobParams,
  type JobRequest,
  OUTPUT_FORMATS,
  QUALITIES,
  type Quality,
  WEBHOOK_EVENT_KINDS,
  type WebhookEventKind,
} from '#libs/contracts';
import type { ModelParamsIssue } from './errors.js';
import type { ModelDefinition } from './model-definition.js';
import { DEFAULT_QUALITY, QUALITY_PRESETS } from './quality.js';

/** Seeds are unsigned 32-bit integers (Stability's range; torch takes them too). */
export const MAX_SEED = 4_294_967_295;
/** cfg_scale range documented for SDXL (Bedrock); JumpStart SD takes any float, values <= 1 disable guidance. */
export const MIN_GUIDANCE_SCALE = 0;
export const MAX_GUIDANCE_SCALE = 35;

/**
 * Draws a seed in 1..MAX_SEED. Never 0: Stability treats seed 0 as "pick one at random", which would make the
 * job impossible to reproduce.
 */
export function drawSeed(random: () => number): number {
  return Math.min(MAX_SEED, Math.floor(random() * MAX_SEED) + 1);
}

function presetSteps(model: ModelDefinition, quality: Quality): number {
  const steps = Math.round(model.defaults.steps * QUALITY_PRESETS[quality].stepsFactor);
  return Math.min(model.limits.maxSteps, Math.max(model.limits.minSteps ?? 1, steps));
}

function presetGuidance(model: ModelDefinition, quality: Quality): number {
  const guidance = model.defaults.guidanceScale + QUALITY_PRESETS[quality].guidanceScaleOffset;
  // Round away binary noise (7.5 - 1 stays 6.5, 7 + 0.5 stays 7.5).
  return Math.round(Math.min(maxGuidanceScale(model), Math.max(1, guidance)) * 100) / 100;
}

function maxGuidanceScale(model: ModelDefinition): number {
  return model.limits.maxGuidanceScale ?? MAX_GUIDANCE_SCALE;
}

class IssueCollector {
  readonly issues: ModelParamsIssue[] = [];

  add(field: string, message: string): void {
    this.issues.push({ field, message });
  }

  /**
   * Checks an optional integer; returns it when valid, undefined when absent or invalid (issue recorded). `scope`
   * ends the range message, e.g. " for model sdxl-turbo" when the range is the model's own limit.
   */
  integer(field: string, value: unknown, min: number, max: number, scope = ''): number | undefined {
    if (value === undefined) {
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.add(field, 'must be an integer');
      return undefined;
    }
    if (value < min || value > max) {
      this.add(field, `must be between ${min} and ${max}${scope}`);
      return undefined;
    }
    return value;
  }
}

/** Resolves a request against one model (see ModelCatalog.resolve). Returns the params or the list of issues. */
export function resolveForModel(
  model: ModelDefinition,
  request: JobRequest,
  random: () => number,
): JobParams | ModelParamsIssue[] {
  const check = new IssueCollector();
  const { limits, defaults } = model;
  // the model's own limits say whose they are: a client that named no model learns which one it got
  const forModel = ` for model ${model.id}`;

  if (typeof request.prompt !== 'string' || request.prompt.trim().length === 0) {
    check.add('prompt', 'must be a non-empty string');
  } else if (characterCount(request.prompt) > limits.maxPromptLength) {
    check.add('prompt', `must be at most ${limits.maxPromptLength} characters for model ${model.id}`);
  }
  let negativePrompt: string | undefined;
  if (request.negativePrompt !== undefined) {
    if (typeof request.negativePrompt !== 'string') {
      check.add('negativePrompt', 'must be a string');
    } else if (characterCount(request.negativePrompt) > limits.maxPromptLength) {
      check.add('negativePrompt', `must be at most ${limits.maxPromptLength} characters for model ${model.id}`);
    } else if (request.negativePrompt.trim().length > 0) {
      negativePrompt = request.negativePrompt;
    }
  }

  let quality: Quality = DEFAULT_QUALITY;
  if (request.quality !== undefined) {
    if (QUALITIES.includes(request.quality)) {
      quality = request.quality;
    } else {
      check.add('quality', `must be one of ${QUALITIES.join(', ')}`);
    }
  }

  const steps = check.integer('steps', request.steps, limits.minSteps ?? 1, limits.maxSteps, forModel);

  let guidanceScale: number | undefined;
  if (request.guidanceScale !== undefined) {
    if (typeof request.guidanceScale !== 'number' || !Number.isFinite(request.guidanceScale)) {
      check.add('guidanceScale', 'must be a number');
    } else if (request.guidanceScale < MIN_GUIDANCE_SCALE || request.guidanceScale > maxGuidanceScale(model)) {
      check.add(
        'guidanceScale',
        maxGuidanceScale(model) === MIN_GUIDANCE_SCALE
          ? `must be ${MIN_GUIDANCE_SCALE} for model ${model.id} (it was trained without guidance)`
          : `must be between ${MIN_GUIDANCE_SCALE} and ${maxGuidanceScale(model)}`,
      );
    } else {
      guidanceScale = request.guidanceScale;
    }
  }

  const sizeIssuesBefore = check.issues.length;
  const size = (field: 'width' | 'height', value: number | undefined): number | undefined => {
    const checked = check.integer(field, value, limits.minSize, limits.maxSize, forModel);
    if (checked !== undefined && checked % limits.sizeMultiple !== 0) {
      check.add(field, `must be a multiple of ${limits.sizeMultiple}${forModel}`);
    }
    return checked;
  };
  const width = size('width', request.width) ?? defaults.width;
  const height = size('height', request.height) ?? defaults.height;
  const allowed = limits.allowedSizes;
  if (allowed && check.issues.length === sizeIssuesBefore && !allowed.some(([w, h]) => w === width && h === height)) {
    // Blame the dimension the client chose; when it chose both (or neither), the width.
    const field = request.width === undefined && request.height !== undefined ? 'height' : 'width';
    check.add(
      field,
      `${width}x${height} is not a size model ${model.id} supports; use one of ${allowed
        .map(([w, h]) => `${w}x${h}`)
        .join(', ')}`,
    );
  }

  const numImages = check.integer('numImages', request.numImages, 1, limits.maxImages, forModel) ?? defaults.numImages;
  const explicitSeed = check.integer('seed', request.seed, 0, MAX_SEED);

  let outputFormat = defaults.outputFormat;
  if (request.outputFormat !== undefined) {
    if (OUTPUT_FORMATS.includes(request.outputFormat)) {
      outputFormat = request.outputFormat;
    } else {
      check.add('outputFormat', `must be one of ${OUTPUT_FORMATS.join(', ')}`);
    }
  }

  if (check.issues.length > 0) {
    return check.issues;
  }
  return {
    prompt: request.prompt,
    ...(negativePrompt !== undefined ? { negativePrompt } : {}),
    modelId: model.id,
    steps: steps ?? presetSteps(model, quality),
    width,
    height,
    quality,
    guidanceScale: guidanceScale ?? presetGuidance(model, quality),
    seed: explicitSeed ?? drawSeed(random),
    numImages,
    outputFormat,
    ...(request.webhookUrl !== undefined && request.webhookUrl !== null
      ? { webhookUrl: request.webhookUrl, webhookEvents: webhookEventsOf(request.webhookEvents) }
      : {}),
  };
}

/** The chosen events, each once, in the catalogue's order; none chosen: the default. */
function webhookEventsOf(chosen: readonly WebhookEventKind[] | null | undefined): WebhookEventKind[] {
  const wanted = new Set(
    chosen === undefined || chosen === null || chosen.length === 0 ? DEFAULT_WEBHOOK_EVENTS : chosen,
  );
  return WEBHOOK_EVENT_KINDS.filter((kind) => wanted.has(kind));
}
