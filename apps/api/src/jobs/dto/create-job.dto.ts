import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import {
  OUTPUT_FORMATS,
  type OutputFormat,
  QUALITIES,
  type Quality,
  WEBHOOK_EVENT_KINDS,
  WEBHOOK_URL_MAX_LENGTH,
  type WebhookEventKind,
} from '#libs/contracts';
import { IsIntegerInRange, IsNumberInRange, IsText } from './constraints.js';
import { REQUEST_BOUNDS as B } from './request-bounds.js';
import { DEFAULT_JOB_LIFETIME, MAX_JOB_TIMEOUT_SECONDS } from '../lifetime/job-lifetime.config.js';

/** Width or height: an optional integer within the size bounds, in the model's multiple. */
function ImageSide(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      example: 1024,
      minimum: B.size.min,
      maximum: B.size.max,
      multipleOf: B.size.multipleOf,
      description: 'Pixels. Default: the model default',
    }),
    IsOptional(),
    IsIntegerInRange(B.size.min, B.size.max, { multipleOf: B.size.multipleOf }),
  );
}

const MODEL_ID_MESSAGE = 'modelId must be a model id from GET /v1/models';

/**
 * POST /v1/jobs body. Only `prompt` is required; everything else defaults from the model catalog and the
 * quality preset. The bounds are the widest any built-in model takes; each model narrows them (GET /v1/models).
 *
 * class-validator runs a property's constraints bottom-up, and reports only the first failure
 * (stopAtFirstError): where a property has two, the type check is the lower one.
 */
export class CreateJobDto {
  @ApiProperty({
    example: 'A beautiful sunset over mountains',
    maxLength: B.promptLength,
    description: 'Length in characters (Unicode code points). No control characters other than tab and line breaks',
  })
  @IsDefined({ message: 'prompt is required' })
  @IsText({ maxLength: B.promptLength })
  prompt!: string;

  @ApiPropertyOptional({ example: 'blurry', maxLength: B.promptLength })
  @IsOptional()
  @IsText({ maxLength: B.promptLength, allowBlank: true })
  negativePrompt?: string;

  @ApiPropertyOptional({ example: 'stable-diffusion-xl', description: 'A model id from GET /v1/models' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9.-]{0,63}$/, { message: MODEL_ID_MESSAGE })
  @IsString({ message: MODEL_ID_MESSAGE })
  modelId?: string;

  @ApiPropertyOptional({
    type: 'integer',
    example: 30,
    minimum: B.steps.min,
    maximum: B.steps.max,
    description: 'Default: the quality preset of the model',
  })
  @IsOptional()
  @IsIntegerInRange(B.steps.min, B.steps.max)
  steps?: number;

  @ImageSide()
  width?: number;

  @ImageSide()
  height?: number;

  @ApiPropertyOptional({ enum: QUALITIES, example: 'standard', description: 'Preset for steps and guidance' })
  @IsOptional()
  @IsIn(QUALITIES)
  quality?: Quality;

  @ApiPropertyOptional({
    type: 'number',
    example: 7,
    minimum: B.guidanceScale.min,
    maximum: B.guidanceScale.max,
  })
  @IsOptional()
  @IsNumberInRange(B.guidanceScale.min, B.guidanceScale.max)
  guidanceScale?: number;

  @ApiPropertyOptional({
    type: 'integer',
    format: 'int64',
    example: 42,
    minimum: B.seed.min,
    maximum: B.seed.max,
    description: 'Random when omitted',
  })
  @IsOptional()
  @IsIntegerInRange(B.seed.min, B.seed.max)
  seed?: number;

  @ApiPropertyOptional({ type: 'integer', example: 1, minimum: B.numImages.min, maximum: B.numImages.max })
  @IsOptional()
  @IsIntegerInRange(B.numImages.min, B.numImages.max)
  numImages?: number;

  @ApiPropertyOptional({ enum: OUTPUT_FORMATS, example: 'png' })
  @IsOptional()
  @IsIn(OUTPUT_FORMATS)
  outputFormat?: OutputFormat;

  @ApiPropertyOptional({
    type: 'integer',
    example: 600,
    minimum: 1,
    maximum: MAX_JOB_TIMEOUT_SECONDS,
    description:
      'Seconds the job may take from submission to a final state, queue time included; past it the job ends ' +
      `TIMED_OUT. The deployment bounds it (JOBS_MIN_TIMEOUT_SECONDS..JOBS_MAX_TIMEOUT_SECONDS, by default ` +
      `${DEFAULT_JOB_LIFETIME.minTimeoutSeconds}..${DEFAULT_JOB_LIFETIME.maxTimeoutSeconds}); a value outside is a ` +
      `400. Default: JOBS_DEFAULT_TIMEOUT_SECONDS (${DEFAULT_JOB_LIFETIME.defaultTimeoutSeconds})`,
  })
  @IsOptional()
  @IsIntegerInRange(1, MAX_JOB_TIMEOUT_SECONDS)
  timeoutSeconds?: number;

  @ApiPropertyOptional({
    format: 'uri',
    maxLength: WEBHOOK_URL_MAX_LENGTH,
    example: 'https://example.com/hook',
    description:
      'Where the job’s events are POSTed, signed per Standard Webhooks (GET /v1/webhooks/secret). In AWS only https ' +
      'on port 443; a URL that names localhost or a private, loopback, link-local or reserved IP address is refused ' +
      '(a host name that resolves to one is refused at delivery, and the refusal is in the delivery log)',
  })
  @IsOptional()
  @MaxLength(WEBHOOK_URL_MAX_LENGTH, { message: `webhookUrl must be at most ${WEBHOOK_URL_MAX_LENGTH} characters` })
  @IsString({ message: 'webhookUrl must be a URL string' })
  webhookUrl?: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', enum: [...WEBHOOK_EVENT_KINDS] },
    maxItems: WEBHOOK_EVENT_KINDS.length,
    example: ['queued', 'completed'],
    description:
      'Which events go to webhookUrl (only with webhookUrl). `completed` is any final state. Default: `completed`',
  })
  @IsOptional()
  @IsIn(WEBHOOK_EVENT_KINDS, { each: true, message: `webhookEvents may hold ${WEBHOOK_EVENT_KINDS.join(', ')}` })
  @ArrayUnique({ message: 'webhookEvents must not repeat an event' })
  @ArrayMaxSize(WEBHOOK_EVENT_KINDS.length)
  @IsArray({ message: 'webhookEvents must be an array of event names' })
  webhookEvents?: WebhookEventKind[];
}
