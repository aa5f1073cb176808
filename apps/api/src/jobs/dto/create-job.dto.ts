import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsDivisibleBy,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { OUTPUT_FORMATS, type OutputFormat, QUALITIES, type Quality } from '#libs/contracts';

export const MAX_PROMPT_LENGTH = 2000;

/**
 * POST /v1/jobs body. Only `prompt` is required; everything else defaults from the model catalog and the
 * quality preset. These are the platform-wide bounds; each model narrows them (GET /v1/models).
 */
export class CreateJobDto {
  @ApiProperty({ example: 'A beautiful sunset over mountains', maxLength: MAX_PROMPT_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_PROMPT_LENGTH)
  prompt!: string;

  @ApiPropertyOptional({ example: 'blurry', maxLength: MAX_PROMPT_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_PROMPT_LENGTH)
  negativePrompt?: string;

  @ApiPropertyOptional({ example: 'stable-diffusion-xl', description: 'A model id from GET /v1/models' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9.-]{0,63}$/, { message: 'modelId must be a model id from GET /v1/models' })
  modelId?: string;

  @ApiPropertyOptional({ example: 30, minimum: 1, maximum: 150 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(150)
  steps?: number;

  @ApiPropertyOptional({ example: 1024, minimum: 64, maximum: 2048, description: 'A multiple of 8' })
  @IsOptional()
  @IsInt()
  @Min(64)
  @Max(2048)
  @IsDivisibleBy(8)
  width?: number;

  @ApiPropertyOptional({ example: 1024, minimum: 64, maximum: 2048, description: 'A multiple of 8' })
  @IsOptional()
  @IsInt()
  @Min(64)
  @Max(2048)
  @IsDivisibleBy(8)
  height?: number;

  @ApiPropertyOptional({ enum: QUALITIES, example: 'standard', description: 'Preset for steps and guidance' })
  @IsOptional()
  @IsIn(QUALITIES)
  quality?: Quality;

  @ApiPropertyOptional({ example: 7, minimum: 0, maximum: 35 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(35)
  guidanceScale?: number;

  @ApiPropertyOptional({ example: 42, minimum: 0, maximum: 4294967295, description: 'Random when omitted' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(4294967295)
  seed?: number;

  @ApiPropertyOptional({ example: 1, minimum: 1, maximum: 4 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(4)
  numImages?: number;

  @ApiPropertyOptional({ enum: OUTPUT_FORMATS, example: 'png' })
  @IsOptional()
  @IsIn(OUTPUT_FORMATS)
  outputFormat?: OutputFormat;

  @ApiPropertyOptional({ example: 'https://example.com/hook', description: 'Called when the job finishes' })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true, require_tld: true })
  @MaxLength(2048)
  webhookUrl?: string;
}
