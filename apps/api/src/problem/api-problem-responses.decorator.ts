import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails, ProblemType } from './problem.js';

export class FieldErrorView {
  @ApiProperty({ example: 'width' }) field!: string;
  @ApiProperty({ example: 'width must be divisible by 8' }) message!: string;
}

/** RFC 9457 problem details, as documented in the OpenAPI document. */
export class ProblemView {
  @ApiProperty({ example: '/problems/validation-error', description: 'What kind of problem (a relative URI)' })
  type!: string;
  @ApiProperty({ example: 'Invalid request' }) title!: string;
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400, description: 'The HTTP status' })
  status!: number;
  @ApiProperty({ example: 'The request has 1 invalid field: width' }) detail!: string;
  @ApiProperty({ example: '/v1/jobs', description: 'The path of the request that failed' }) instance!: string;
  @ApiPropertyOptional({
    type: [FieldErrorView],
    description:
      'On a 400: one entry per invalid field. On a 403: the parameter the caller may not use, or `scope`: the scope ' +
      'the API key lacks',
  })
  errors?: FieldErrorView[];
  @ApiPropertyOptional({
    example: '01JD0000000000000000000000',
    description:
      'On a 503 or 500 from POST /v1/jobs: the job that was recorded and left FAILED (see GET /v1/jobs/{jobId}); ' +
      'on a 409 job-not-cancelable: the job',
  })
  jobId?: string;
  @ApiPropertyOptional({
    enum: ['user', 'key', 'platform'],
    example: 'user',
    description:
      'On a 429 budget-exhausted: whose monthly budget is spent (yours, the API key’s, or the whole platform’s)',
  })
  budget?: 'user' | 'key' | 'platform';
  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-12-01T00:00:00.000Z',
    description: 'On a 429 budget-exhausted: when the budget resets (00:00 UTC on the first day of next month)',
  })
  resetsAt?: string;
  @ApiPropertyOptional({
    name: 'violated-policies',
    type: [String],
    example: ['jobs-per-day'],
    description:
      'On a 429: the limits the request went over, named as in the `RateLimit` fields ' +
      '(`requests-per-minute`, `jobs-per-day`, `jobs-in-flight`, `open-streams`)',
  })
  violatedPolicies?: string[];
  @ApiPropertyOptional({
    type: 'integer',
    example: 100,
    description: 'On a 429 from POST /v1/batches: how many jobs the refused batch has (none of them was submitted)',
  })
  jobsRequested?: number;
  @ApiPropertyOptional({
    type: 'integer',
    example: 12,
    description: 'On a 429 quota-exceeded from POST /v1/batches: how many jobs the limit still has room for',
  })
  jobsAvailable?: number;
  @ApiPropertyOptional({
    type: 'number',
    example: 1.32,
    description: 'On a 429 budget-exhausted from POST /v1/batches: the batch’s estimated cost in USD',
  })
  estimatedUsd?: number;
  @ApiPropertyOptional({
    type: 'number',
    example: 0.4,
    description: 'On a 429 budget-exhausted from POST /v1/batches: what is left of that budget in USD',
  })
  remainingUsd?: number;
  @ApiPropertyOptional({
    example: 'SUCCEEDED',
    description: 'On a 409 job-not-cancelable: the job’s current status, a final one',
  })
  jobStatus?: string;
}

const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    required: true,
    schema: { type: 'integer', minimum: 0, example: 5 },
  },
};

interface ProblemResponse {
  description: string;
  example: ProblemDetails;
  headers?: typeof RETRY_AFTER;
}

/** Each error status the api answers, with an example body of that status. */
const PROBLEM_RESPONSES = {
  400: {
    description: 'Invalid input; `errors` names each bad field',
    example: {
      type: ProblemType.Validation,
      title: 'Invalid request',
      status: 400,
      detail: 'The request has 1 invalid field: width',
      instance: '/v1/jobs',
      errors: [{ field: 'width', message: 'width must be a multiple of 8 from 256 to 1536' }],
    },
  },
  401: {
    description: 'Missing, invalid or expired Bearer token',
    example: {
      type: ProblemType.Unauthorized,
      title: 'Unauthorized',
      status: 401,
      detail: 'The access token is invalid or expired',
      instance: '/v1/jobs',
    },
  },
  403: {
    description:
      'Authenticated, but not allowed: an API key without the scope the route needs (`detail` names it, `errors` ' +
      'has `scope`), an API key on a route that takes none (/v1/keys), or a parameter only administrators may use ' +
      '(`errors` names it)',
    example: {
      type: ProblemType.Forbidden,
      title: 'Forbidden',
      status: 403,
      detail: 'This API key lacks the scope jobs:write',
      instance: '/v1/jobs',
      errors: [{ field: 'scope', message: 'needs jobs:write; the key has jobs:read' }],
    },
  },
  404: {
    description: 'No such job or API key, or not yours',
    example: {
      type: ProblemType.NotFound,
      title: 'Not found',
      status: 404,
      detail: 'No job 01JD0000000000000000000000',
      instance: '/v1/jobs/01JD0000000000000000000000',
    },
  },
  409: {
    description:
      'A request with the same `Idempotency-Key` is still being processed. Retry the same request after ' +
      '`Retry-After` seconds to get its answer',
    example: {
      type: ProblemType.IdempotencyKeyInUse,
      title: 'Idempotency key in use',
      status: 409,
      detail:
        'A request with this Idempotency-Key is still being processed. Retry the same request after Retry-After ' +
        'seconds to get its answer.',
      instance: '/v1/jobs',
    },
    headers: RETRY_AFTER,
  },
  413: {
    description: 'Body over 8 KB',
    example: {
      type: ProblemType.PayloadTooLarge,
      title: 'Payload too large',
      status: 413,
      detail: 'Request bodies are limited to 8192 bytes',
      instance: '/v1/jobs',
    },
  },
  415: {
    description: 'Body is not application/json',
    example: {
      type: ProblemType.UnsupportedMediaType,
      title: 'Unsupported media type',
      status: 415,
      detail: 'Request bodies must be application/json, not text/plain',
      instance: '/v1/jobs',
    },
  },
  422: {
    description: 'The `Idempotency-Key` was already used with a different request body',
    example: {
      type: ProblemType.IdempotencyKeyReused,
      title: 'Idempotency key reused',
      status: 422,
      detail:
        'This Idempotency-Key was already used with a different request body. Send the original body to get its ' +
        'answer, or use a new key for a new request.',
      instance: '/v1/jobs',
    },
  },
  429: {
    description:
      'Over a limit; retry after `Retry-After` seconds. `/problems/rate-limited` (requests per minute) or ' +
      '`/problems/quota-exceeded` (jobs per day, jobs in flight, open event streams): `violated-policies` names ' +
      'the limit. On POST ' +
      '/v1/jobs and POST /v1/batches also `/problems/budget-exhausted`: the job (the whole batch) does not fit in ' +
      'what is left of a monthly budget (`budget` says whose); `Retry-After` and `resetsAt` point at the reset. A ' +
      'batch is refused whole: `jobsRequested` with `jobsAvailable` or `estimatedUsd` and `remainingUsd`.',
    example: {
      type: ProblemType.RateLimited,
      title: 'Too many requests',
      status: 429,
      detail: 'Over 120 requests per minute; try again in 42 s.',
      instance: '/v1/jobs',
      'violated-policies': ['requests-per-minute'],
    },
    headers: RETRY_AFTER,
  },
  500: {
    description:
      'The model is misconfigured on the platform (its endpoint does not exist, or SageMaker rejects its requests). ' +
      '`jobId` names the job, left FAILED with ENDPOINT_NOT_FOUND or INFERENCE_REJECTED. Retrying will not help.',
    example: {
      type: ProblemType.ModelMisconfigured,
      title: 'Model misconfigured',
      status: 500,
      detail:
        'The model stable-diffusion-xl is misconfigured on the platform: its SageMaker endpoint does not exist. ' +
        'The job was not started (job FAILED, ENDPOINT_NOT_FOUND).',
      instance: '/v1/jobs',
      jobId: '01JD0000000000000000000000',
    },
  },
  503: {
    description:
      'A dependency is unavailable; nothing was half-written. Retry after `Retry-After` seconds. On POST /v1/jobs, ' +
      '`jobId` names the job when it was recorded and left FAILED.',
    example: {
      type: ProblemType.DependencyUnavailable,
      title: 'Service temporarily unavailable',
      status: 503,
      detail: 'DynamoDB is unavailable; try again shortly.',
      instance: '/v1/jobs',
    },
    headers: RETRY_AFTER,
  },
} satisfies Record<number, ProblemResponse>;

export type ProblemStatus = keyof typeof PROBLEM_RESPONSES;

/** Documents problem+json answers for these statuses, each with its own example (and Retry-After where sent). */
export function ApiProblemResponses(...statuses: ProblemStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) => {
      const { description, example, headers } = PROBLEM_RESPONSES[status] as ProblemResponse;
      return ApiResponse({
        status,
        description,
        ...(headers ? { headers } : {}),
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemView) }, example } },
      });
    }),
  );
}
