import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem.js';

export class FieldErrorView {
  @ApiProperty({ example: 'width' }) field!: string;
  @ApiProperty({ example: 'width must be divisible by 8' }) message!: string;
}

/** RFC 9457 problem details, as documented in the OpenAPI document. */
export class ProblemView {
  @ApiProperty({ example: '/problems/validation-error' }) type!: string;
  @ApiProperty({ example: 'Invalid request' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty({ example: 'The request has 1 invalid field: width' }) detail!: string;
  @ApiProperty({ example: '/v1/jobs' }) instance!: string;
  @ApiPropertyOptional({ type: [FieldErrorView] }) errors?: FieldErrorView[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `errors` names each bad field',
  401: 'Missing, invalid or expired Bearer token',
  404: 'No such job, or not yours',
  413: 'Body over 8 KB',
  415: 'Body is not application/json',
  503: 'A dependency is unavailable; nothing was half-written. Retry after `Retry-After` seconds',
};

export function ApiProblemResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemView' } } },
      }),
    ),
  );
}
