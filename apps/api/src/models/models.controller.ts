import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/scopes.js';
import { OUTPUT_FORMATS, type OutputFormat } from '#libs/contracts';
import {
  INFERENCE_MODES,
  type InferenceMode,
  MAX_GUIDANCE_SCALE,
  type ModelDefinition,
  ModelCatalog,
} from '#libs/models';
import { ApiProblemResponses } from '../problem/api-problem-responses.decorator.js';

class ModelDefaultsView {
  @ApiProperty({ type: 'integer', example: 1024 }) width!: number;
  @ApiProperty({ type: 'integer', example: 1024 }) height!: number;
  @ApiProperty({ type: 'integer', example: 30, description: 'Steps of the `standard` quality preset' })
  steps!: number;
  @ApiProperty({ type: 'number', example: 7 }) guidanceScale!: number;
  @ApiProperty({ type: 'integer', example: 1 }) numImages!: number;
  @ApiProperty({ enum: OUTPUT_FORMATS, example: 'png' }) outputFormat!: OutputFormat;
}

class ModelLimitsView {
  @ApiProperty({ type: 'integer', example: 1 }) minSteps!: number;
  @ApiProperty({ type: 'integer', example: 100 }) maxSteps!: number;
  @ApiProperty({ type: 'integer', example: 512 }) minSize!: number;
  @ApiProperty({ type: 'integer', example: 1536 }) maxSize!: number;
  @ApiProperty({ type: 'integer', example: 8, description: 'Width and height must both be multiples of this' })
  sizeMultiple!: number;
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 },
    description: 'When present, only these [width, height] pairs are accepted',
    example: [
      [1024, 1024],
      [1152, 896],
    ],
  })
  allowedSizes?: Array<[number, number]>;
  @ApiProperty({ type: 'integer', example: 4 }) maxImages!: number;
  @ApiProperty({ type: 'integer', example: 2000, description: 'Longest prompt accepted, in characters' })
  maxPromptLength!: number;
  @ApiProperty({
    type: 'number',
    example: 35,
    description: 'Largest guidanceScale accepted; 0 for a distilled model trained without guidance',
  })
  maxGuidanceScale!: number;
}

class ModelView {
  @ApiProperty({ example: 'stable-diffusion-xl' }) id!: string;
  @ApiProperty({ example: 'Stable Diffusion XL' }) displayName!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: INFERENCE_MODES, example: 'async' }) mode!: InferenceMode;
  @ApiProperty({ description: 'The model used when a job names none' }) default!: boolean;
  @ApiProperty({
    description: 'Whether a running job of this model shows its step in `progress` (its container reports steps)',
  })
  reportsProgress!: boolean;
  @ApiProperty({ type: ModelDefaultsView }) defaults!: ModelDefaultsView;
  @ApiProperty({ type: ModelLimitsView }) limits!: ModelLimitsView;
}

class ModelListView {
  @ApiProperty({ type: [ModelView] }) items!: ModelView[];
}

function toView(model: ModelDefinition): ModelView {
  const { defaults, limits } = model;
  return {
    id: model.id,
    displayName: model.displayName,
    description: model.description,
    mode: model.mode,
    default: model.default === true,
    reportsProgress: model.reportsProgress === true,
    defaults: {
      width: defaults.width,
      height: defaults.height,
      steps: defaults.steps,
      guidanceScale: defaults.guidanceScale,
      numImages: defaults.numImages,
      outputFormat: defaults.outputFormat,
    },
    limits: {
      minSteps: limits.minSteps ?? 1,
      maxSteps: limits.maxSteps,
      minSize: limits.minSize,
      maxSize: limits.maxSize,
      sizeMultiple: limits.sizeMultiple,
      ...(limits.allowedSizes ? { allowedSizes: limits.allowedSizes } : {}),
      maxImages: limits.maxImages,
      maxPromptLength: limits.maxPromptLength,
      maxGuidanceScale: limits.maxGuidanceScale ?? MAX_GUIDANCE_SCALE,
    },
  };
}

@ApiTags('models')
@ApiBearerAuth()
@Controller('v1/models')
export class ModelsController {
  constructor(private readonly catalog: ModelCatalog) {}

  @Get()
  @RequireScope('jobs:read')
  @ApiOperation({ operationId: 'listModels', summary: 'The models you can use, with their defaults and limits' })
  @ApiOkResponse({ type: ModelListView })
  @ApiProblemResponses(401, 403, 429, 503)
  list(): ModelListView {
    return { items: this.catalog.list().map(toView) };
  }
}
