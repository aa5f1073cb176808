import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { type ModelDefinition, ModelCatalog } from '#libs/models';
import { ApiProblemResponses } from '../problem/api-problem-responses.decorator.js';

class ModelDefaultsView {
  @ApiProperty() width!: number;
  @ApiProperty() height!: number;
  @ApiProperty() steps!: number;
  @ApiProperty() guidanceScale!: number;
  @ApiProperty() numImages!: number;
  @ApiProperty() outputFormat!: string;
}

class ModelLimitsView {
  @ApiProperty() maxSteps!: number;
  @ApiProperty() minSize!: number;
  @ApiProperty() maxSize!: number;
  @ApiProperty() sizeMultiple!: number;
  @ApiPropertyOptional({ type: 'array', items: { type: 'array', items: { type: 'number' } } })
  allowedSizes?: Array<[number, number]>;
  @ApiProperty() maxImages!: number;
  @ApiProperty() maxPromptLength!: number;
}

class ModelView {
  @ApiProperty({ example: 'stable-diffusion-xl' }) id!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: ['async', 'realtime'] }) mode!: string;
  @ApiProperty() default!: boolean;
  @ApiProperty({ type: ModelDefaultsView }) defaults!: ModelDefaultsView;
  @ApiProperty({ type: ModelLimitsView }) limits!: ModelLimitsView;
}

class ModelListView {
  @ApiProperty({ type: [ModelView] }) items!: ModelView[];
}

function toView(model: ModelDefinition): ModelView {
  return {
    id: model.id,
    displayName: model.displayName,
    description: model.description,
    mode: model.mode,
    default: model.default === true,
    defaults: model.defaults,
    limits: model.limits,
  };
}

@ApiTags('models')
@ApiBearerAuth()
@Controller('v1/models')
export class ModelsController {
  constructor(private readonly catalog: ModelCatalog) {}

  @Get()
  @ApiOperation({ summary: 'The models you can use, with their defaults and limits' })
  @ApiOkResponse({ type: ModelListView })
  @ApiProblemResponses(401)
  list(): ModelListView {
    return { items: this.catalog.list().map(toView) };
  }
}
