import { OUTPUT_FORMATS, type OutputFormat } from '#libs/contracts';
import { z } from 'zod';

export const CODEC_IDS = ['jumpstart-sd', 'jumpstart-sdxl', 'stability-sdxl', 'imggen'] as const;
export type CodecId = (typeof CODEC_IDS)[number];

export const INFERENCE_MODES = ['async', 'realtime'] as const;
export type InferenceMode = (typeof INFERENCE_MODES)[number];

export interface ModelDefaults {
  width: number;
  height: number;
  outputFormat: OutputFormat;
  numImages: number;
  guidanceScale: number;
  /** Steps of the `standard` quality preset; the other presets scale it (see QUALITY_PRESETS). */
  steps: number;
}

export interface ModelLimits {
  /** Optional lower bound on steps (default 1); presets never go below it. */
  minSteps?: number;
  maxSteps: number;
  minSize: number;
  maxSize: number;
  /** Width and height must both be multiples of this. */
  sizeMultiple: number;
  /** When set, only these [width, height] pairs are accepted (on top of min/max/multiple). */
  allowedSizes?: Array<[number, number]>;
  maxImages: number;
  maxPromptLength: number;
  /** Upper bound on guidanceScale for this model (default 35); 0 for a distilled model trained without guidance. */
  maxGuidanceScale?: number;
}

/** Where the model runs and what it costs (SageMaker hosting, on demand). */
export interface ModelHosting {
  /** SageMaker instance type of the endpoint, e.g. `ml.g5.xlarge`. */
  instanceType: string;
  /** SageMaker hosting price of one instance in USD per hour (not the EC2 price of the same hardware). */
  hourlyUsd: number;
  /** Time for a first instance to come into service when the endpoint has scaled to zero. */
  coldStartSeconds: number;
}

/**
 * How long one image takes on that instance: `overheadSecondsPerImage + secondsPerStepMegapixel x steps x
 * megapixels` (the denoising loop grows with steps and pixels; text encoders and the VAE decode are the overhead).
 */
export interface ModelTiming {
  secondsPerStepMegapixel: number;
  overheadSecondsPerImage: number;
}

export interface ModelDefinition {
  /** Stable public id, e.g. `stable-diffusion-xl`. */
  id: string;
  displayName: string;
  description: string;
  /** SageMaker endpoint name, e.g. `imggen-sdxl-async`. */
  endpointName: string;
  mode: InferenceMode;
  codec: CodecId;
  /** Exactly one model of a catalog is the default. */
  default?: boolean;
  /** Whether its container publishes "started" and step progress (our own `imggen` container does). */
  reportsProgress?: boolean;
  defaults: ModelDefaults;
  limits: ModelLimits;
  hosting: ModelHosting;
  timing: ModelTiming;
}

/** How many images one endpoint call can return, per codec (the catalog's maxImages may not exceed it). */
export const CODEC_MAX_IMAGES_PER_CALL: Record<CodecId, number> = {
  // num_images_per_prompt: any positive integer; GPU memory is the real bound.
  'jumpstart-sd': 8,
  // the response has a single `generated_image`.
  'jumpstart-sdxl': 1,
  // `samples` (Stability API: 1..10); Bedrock's SDXL accepts only 1.
  'stability-sdxl': 10,
  // our own container's default IMGGEN_MAX_IMAGES (docker/model): one num_images_per_prompt batch.
  imggen: 8,
};

// SageMaker endpoint names (reference/aws.md section 1.1).
const ENDPOINT_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;
const positiveInt = z.number().int().positive();

export const modelDefinitionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'must be 1-63 lower-case letters, digits, ".", "_" or "-"'),
    displayName: z.string().min(1),
    description: z.string(),
    endpointName: z.string().max(63).regex(ENDPOINT_NAME_PATTERN, 'is not a valid SageMaker endpoint name'),
    mode: z.enum(INFERENCE_MODES),
    codec: z.enum(CODEC_IDS),
    default: z.boolean().optional(),
    reportsProgress: z.boolean().optional(),
    defaults: z.strictObject({
      width: positiveInt,
      height: positiveInt,
      outputFormat: z.enum(OUTPUT_FORMATS),
      numImages: positiveInt,
      guidanceScale: z.number().min(0).max(35),
      steps: positiveInt,
    }),
    limits: z.strictObject({
      minSteps: positiveInt.optional(),
      maxSteps: positiveInt,
      minSize: positiveInt,
      maxSize: positiveInt,
      sizeMultiple: positiveInt,
      allowedSizes: z
        .array(z.tuple([positiveInt, positiveInt]))
        .min(1)
        .optional(),
      maxImages: positiveInt,
      maxPromptLength: positiveInt,
      maxGuidanceScale: z.number().min(0).max(35).optional(),
    }),
    hosting: z.strictObject({
      instanceType: z
        .string()
        .regex(/^ml\.[a-z0-9]+\.[a-z0-9]+$/, 'must be a SageMaker instance type like ml.g5.xlarge'),
      hourlyUsd: z.number().positive().max(1000),
      coldStartSeconds: z.number().nonnegative().max(3600),
    }),
    timing: z.strictObject({
      secondsPerStepMegapixel: z.number().positive().max(60),
      overheadSecondsPerImage: z.number().nonnegative().max(600),
    }),
  })
  .strict();

/**
 * Checks between fields of a definition that passed the schema (defaults within limits, codec capacity).
 * Returns one `path: message` string per problem.
 */
export function crossFieldIssues(def: ModelDefinition): string[] {
  const { defaults, limits } = def;
  const issues: string[] = [];
  const issue = (path: string, message: string): void => {
    issues.push(`${path}: ${message}`);
  };
  if (limits.minSize > limits.maxSize) {
    issue('limits.minSize', `must not exceed limits.maxSize (${limits.maxSize})`);
  }
  const sizeProblem = (size: number): string | undefined => {
    if (size < limits.minSize || size > limits.maxSize) {
      return `must be within limits.minSize..limits.maxSize (${limits.minSize}..${limits.maxSize})`;
    }
    if (size % limits.sizeMultiple !== 0) {
      return `must be a multiple of limits.sizeMultiple (${limits.sizeMultiple})`;
    }
    return undefined;
  };
  for (const key of ['width', 'height'] as const) {
    const problem = sizeProblem(defaults[key]);
    if (problem) {
      issue(`defaults.${key}`, problem);
    }
  }
  limits.allowedSizes?.forEach(([width, height], index) => {
    const problem = sizeProblem(width) ?? sizeProblem(height);
    if (problem) {
      issue(`limits.allowedSizes.${index}`, `${width}x${height}: ${problem}`);
    }
  });
  if (limits.allowedSizes && !limits.allowedSizes.some(([w, h]) => w === defaults.width && h === defaults.height)) {
    issue('defaults.width', `${defaults.width}x${defaults.height} is not one of limits.allowedSizes`);
  }
  if (defaults.steps > limits.maxSteps) {
    issue('defaults.steps', `must not exceed limits.maxSteps (${limits.maxSteps})`);
  }
  if (limits.minSteps !== undefined && limits.minSteps > limits.maxSteps) {
    issue('limits.minSteps', `must not exceed limits.maxSteps (${limits.maxSteps})`);
  }
  if (limits.minSteps !== undefined && defaults.steps < limits.minSteps) {
    issue('defaults.steps', `must be at least limits.minSteps (${limits.minSteps})`);
  }
  if (limits.maxGuidanceScale !== undefined && defaults.guidanceScale > limits.maxGuidanceScale) {
    issue('defaults.guidanceScale', `must not exceed limits.maxGuidanceScale (${limits.maxGuidanceScale})`);
  }
  if (defaults.numImages > limits.maxImages) {
    issue('defaults.numImages', `must not exceed limits.maxImages (${limits.maxImages})`);
  }
  const codecMax = CODEC_MAX_IMAGES_PER_CALL[def.codec];
  if (limits.maxImages > codecMax) {
    issue('limits.maxImages', `codec ${def.codec} returns at most ${codecMax} image(s) per call`);
  }
  return issues;
}
