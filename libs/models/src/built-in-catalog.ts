import type { ModelDefinition } from './model-definition.js';

/** The nine SDXL 1.0 training resolutions (Stability / Bedrock SDXL docs, reference/aws.md section 6.3). */
export const SDXL_ALLOWED_SIZES: Array<[number, number]> = [
  [1024, 1024],
  [1152, 896],
  [896, 1152],
  [1216, 832],
  [832, 1216],
  [1344, 768],
  [768, 1344],
  [1536, 640],
  [640, 1536],
];

/**
 * SageMaker hosting of one ml.g5.xlarge (1x A10G 24 GB), us-east-1 on demand: about $1.408/h (EC2's g5.xlarge is
 * $1.006/h; SageMaker hosting costs ~40% more). A new instance takes 4-9 minutes to come into service from zero.
 */
const G5_XLARGE = { instanceType: 'ml.g5.xlarge', hourlyUsd: 1.408, coldStartSeconds: 360 } as const;

/**
 * SDXL on an A10G: 9.4 s for 30 steps at 1024x1024 (1.048576 MP), fp16, no TensorRT. With ~0.5 s of text encoders
 * and VAE decode per image, the denoising loop is (9.4 - 0.5) / (30 x 1.048576) = 0.283 s per step and megapixel.
 */
const SDXL_ON_A10G = { secondsPerStepMegapixel: 0.283, overheadSecondsPerImage: 0.5 } as const;

/**
 * SD 1.5-class UNet (SD 2.1 base is the same size) on an A10G: 2.7 s for 50 steps at 512x512 (0.262144 MP). With
 * ~0.3 s of overhead per image: (2.7 - 0.3) / (50 x 0.262144) = 0.183 s per step and megapixel.
 */
const SD_ON_A10G = { secondsPerStepMegapixel: 0.183, overheadSecondsPerImage: 0.3 } as const;

/**
 * SDXL-Turbo is SDXL's UNet distilled to 1-4 steps (no guidance, so one UNet pass per step instead of two): the
 * per-step figure above halves. It is trained at 512x512, where the VAE decode and text encoders take ~0.3 s.
 * An estimate from the SDXL figures, not a measurement: measure it on the endpoint.
 */
const SDXL_TURBO_ON_A10G = { secondsPerStepMegapixel: 0.142, overheadSecondsPerImage: 0.3 } as const;

/**
 * The built-in catalog (reference/aws.md section 6). An environment can replace it with MODELS_CATALOG_FILE.
 *
 * - stable-diffusion-xl (default): JumpStart SDXL 1.0 open weights. The container takes any size divisible by 8
 *   above 256x256; we allow 512..1536 in steps of 64 (SDXL's latent grid, and the range where SDXL gives usable
 *   images) rather than the strict nine-size list, so custom aspect ratios still work. One image per call: the
 *   response has a single `generated_image`. 30 steps, cfg 7 (the usual SDXL defaults).
 * - stable-diffusion-2-1: JumpStart SD 2.1 base, trained at 512x512; 256..1024 in steps of 8 (the model's own rule).
 *   `num_images_per_prompt` batches up to 4 images on one GPU. It only answers JPEG (`application/json;jpeg`),
 *   so JPEG is its default output format: re-encoding a JPEG as PNG would only make it bigger.
 * - stability-sdxl: Stability AI's SDXL 1.0 Marketplace package. Only the nine SDXL sizes (Bedrock documents the
 *   same body with that list), steps 10..50 (Stability / Bedrock range), one image per call as on Bedrock
 *   (the format has `samples`, but whether the package honours more than one is unconfirmed).
 *
 * - imggen-sdxl: SDXL 1.0 base in our own container (docker/model, codec `imggen`): up to 4 images as one batch,
 *   each with its own outcome (the safety checker can filter one and keep the others), progress reported.
 * - sdxl-turbo: the distilled SDXL-Turbo in our own container (IMGGEN_MODEL_PRESET=sdxl-turbo): 1 step by default
 *   (4 at most), no guidance, 512x512: the cheapest image per dollar of the catalog.
 *
 * Prompts are capped at 2000 characters (Stability's `text_prompts[].text` limit); CLIP reads only ~77 tokens
 * anyway. All of them run on async endpoints (scale to zero, queueing).
 */
export const BUILT_IN_MODELS: ModelDefinition[] = [
  {
    id: 'stable-diffusion-xl',
    displayName: 'Stable Diffusion XL 1.0',
    description: 'SDXL 1.0 base (JumpStart open weights): 1024px images, best general quality.',
    endpointName: 'imggen-sdxl-async',
    mode: 'async',
    codec: 'jumpstart-sdxl',
    default: true,
    defaults: { width: 1024, height: 1024, outputFormat: 'png', numImages: 1, guidanceScale: 7, steps: 30 },
    limits: { maxSteps: 100, minSize: 512, maxSize: 1536, sizeMultiple: 64, maxImages: 1, maxPromptLength: 2000 },
    hosting: G5_XLARGE,
    timing: SDXL_ON_A10G,
  },
  {
    id: 'stable-diffusion-2-1',
    displayName: 'Stable Diffusion 2.1 base',
    description: 'SD 2.1 base (JumpStart): fast 512px images, up to 4 per job.',
    endpointName: 'imggen-sd21-async',
    mode: 'async',
    codec: 'jumpstart-sd',
    defaults: { width: 512, height: 512, outputFormat: 'jpeg', numImages: 1, guidanceScale: 7.5, steps: 30 },
    limits: { maxSteps: 100, minSize: 256, maxSize: 1024, sizeMultiple: 8, maxImages: 4, maxPromptLength: 2000 },
    hosting: G5_XLARGE,
    timing: SD_ON_A10G,
  },
  {
    id: 'stability-sdxl',
    displayName: 'Stability AI SDXL 1.0',
    description: "Stability AI's SDXL 1.0 model package: the nine SDXL resolutions, with content filtering.",
    endpointName: 'imggen-stability-sdxl-async',
    mode: 'async',
    codec: 'stability-sdxl',
    defaults: { width: 1024, height: 1024, outputFormat: 'png', numImages: 1, guidanceScale: 7, steps: 30 },
    limits: {
      minSteps: 10,
      maxSteps: 50,
      minSize: 640,
      maxSize: 1536,
      sizeMultiple: 64,
      allowedSizes: SDXL_ALLOWED_SIZES,
      maxImages: 1,
      maxPromptLength: 2000,
    },
    hosting: G5_XLARGE,
    timing: SDXL_ON_A10G,
  },
  {
    id: 'imggen-sdxl',
    displayName: 'SDXL 1.0 (imggen container)',
    description: 'SDXL 1.0 base in our own container: up to 4 images per job, per-image filtering, live progress.',
    endpointName: 'imggen-model-sdxl-async',
    mode: 'async',
    codec: 'imggen',
    reportsProgress: true,
    defaults: { width: 1024, height: 1024, outputFormat: 'png', numImages: 1, guidanceScale: 7, steps: 30 },
    limits: { maxSteps: 100, minSize: 512, maxSize: 1536, sizeMultiple: 64, maxImages: 4, maxPromptLength: 2000 },
    hosting: G5_XLARGE,
    timing: SDXL_ON_A10G,
  },
  {
    id: 'sdxl-turbo',
    displayName: 'SDXL-Turbo (imggen container)',
    description: 'SDXL-Turbo, distilled to 1-4 steps without guidance: 512px images in well under a second.',
    endpointName: 'imggen-model-sdxl-turbo-async',
    mode: 'async',
    codec: 'imggen',
    reportsProgress: true,
    defaults: { width: 512, height: 512, outputFormat: 'png', numImages: 1, guidanceScale: 0, steps: 1 },
    limits: {
      maxSteps: 4,
      minSize: 512,
      maxSize: 1024,
      sizeMultiple: 64,
      maxImages: 4,
      maxPromptLength: 2000,
      maxGuidanceScale: 0,
    },
    hosting: G5_XLARGE,
    timing: SDXL_TURBO_ON_A10G,
  },
];
