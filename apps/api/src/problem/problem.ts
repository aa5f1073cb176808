import { HttpException, HttpStatus } from '@nestjs/common';
import { secondsUntil } from '#libs/contracts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details, the body of every error answer. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  /** Extension member: the job a refused submission (503 or 500) left FAILED. */
  jobId?: string;
  /** Extension member of budget-exhausted: whose monthly budget is spent. */
  budget?: BudgetScope;
  /** Extension member of budget-exhausted: when the budget resets (00:00 UTC on the first of next month). */
  resetsAt?: string;
  /** Extension member of a 429 (draft-ietf-httpapi-ratelimit-headers): the policies the request went over. */
  'violated-policies'?: string[];
  /** Extension member of a batch refused by a quota or a budget: how many jobs the batch has. */
  jobsRequested?: number;
  /** Extension member of a batch refused by a quota: how many jobs that quota still has room for. */
  jobsAvailable?: number;
  /** Extension member of a batch refused by a budget: the batch's estimated cost, in USD. */
  estimatedUsd?: number;
  /** Extension member of a batch refused by a budget: what is left of that budget, in USD. */
  remainingUsd?: number;
  /** Extension member of job-not-cancelable: the job's current (final) status. */
  jobStatus?: string;
}

/** What a batch asked for against a limit that could not give it all (a batch is accepted whole or not at all). */
export type BatchShortfall = Pick<ProblemDetails, 'jobsRequested' | 'jobsAvailable' | 'estimatedUsd' | 'remainingUsd'>;

/**
 * Whose monthly budget refused a job: the caller's own, the API key's it was submitted with, or the whole
 * platform's (MONTHLY_BUDGET_USD).
 */
export type BudgetScope = 'user' | 'key' | 'platform';

/** Problem types (relative URIs, documented in the README). */
export const ProblemType = {
  Validation: '/problems/validation-error',
  Unauthorized: '/problems/unauthorized',
  Forbidden: '/problems/forbidden',
  NotFound: '/problems/not-found',
  MethodNotAllowed: '/problems/method-not-allowed',
  PayloadTooLarge: '/problems/payload-too-large',
  UnsupportedMediaType: '/problems/unsupported-media-type',
  DependencyUnavailable: '/problems/dependency-unavailable',
  RateLimited: '/problems/rate-limited',
  QuotaExceeded: '/problems/quota-exceeded',
  ModelMisconfigured: '/problems/model-misconfigured',
  IdempotencyKeyReused: '/problems/idempotency-key-reused',
  IdempotencyKeyInUse: '/problems/idempotency-key-in-use',
  BudgetExhausted: '/problems/budget-exhausted',
  JobNotCancelable: '/problems/job-not-cancelable',
  Internal: '/problems/internal-error',
  Http: 'about:blank',
} as const;

/** An HttpException that already knows its problem body. */
export class ProblemException extends HttpException {
  constructor(
    readonly problem: Omit<ProblemDetails, 'instance'>,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem, problem.status);
    this.message = problem.detail;
  }

  static validation(errors: FieldError[], detail?: string): ProblemException {
    return new ProblemException({
      type: ProblemType.Validation,
      title: 'Invalid request',
      status: HttpStatus.BAD_REQUEST,
      detail:
        detail ??
        `The request has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}: ${errors.map((e) => e.field).join(', ')}`,
      errors,
    });
  }

  /** Authenticated, but the caller's role does not allow this; `errors` names what it may not use. */
  static forbidden(detail: string, errors: FieldError[] = []): ProblemException {
    return new ProblemException({
      type: ProblemType.Forbidden,
      title: 'Forbidden',
      status: HttpStatus.FORBIDDEN,
      detail,
      ...(errors.length > 0 ? { errors } : {}),
    });
  }

  static notFound(detail: string): ProblemException {
    return new ProblemException({
      type: ProblemType.NotFound,
      title: 'Not found',
      status: HttpStatus.NOT_FOUND,
      detail,
    });
  }

  static methodNotAllowed(method: string, url: string, allow: string[]): ProblemException {
    return new ProblemException(
      {
        type: ProblemType.MethodNotAllowed,
        title: 'Method not allowed',
        status: HttpStatus.METHOD_NOT_ALLOWED,
        detail: `${method} is not allowed on ${url.split('?', 1)[0]}; allowed: ${allow.join(', ')}`,
      },
      { allow: allow.join(', ') },
    );
  }

  static dependencyUnavailable(detail: string, extensions: { jobId?: string } = {}): ProblemException {
    return new ProblemException(
      {
        type: ProblemType.DependencyUnavailable,
        title: 'Service temporarily unavailable',
        status: HttpStatus.SERVICE_UNAVAILABLE,
        detail,
        ...extensions,
      },
      { 'retry-after': '5' },
    );
  }

  /** 429: the job does not fit in what is left of a monthly budget; Retry-After points at the reset. */
  static budgetExhausted(
    budget: BudgetScope,
    resetsAt: Date,
    now: Date,
    batch?: { jobsRequested: number; estimatedUsd: number; remainingUsd: number },
  ): ProblemException {
    const whose = {
      user: 'Your monthly GPU budget',
      key: "This API key's monthly GPU budget",
      platform: "The platform's monthly GPU budget",
    }[budget];
    const what = batch
      ? `this batch of ${batch.jobsRequested} jobs (estimated ${batch.estimatedUsd} USD; ${batch.remainingUsd} USD ` +
        'left), so none of it was submitted'
      : "this job's estimated cost";
    return new ProblemException(
      {
        type: ProblemType.BudgetExhausted,
        title: 'Budget exhausted',
        status: HttpStatus.TOO_MANY_REQUESTS,
        detail:
          `${whose} has no room for ${what} (see POST /v1/jobs/estimate and GET /v1/usage). ` +
          `It resets at ${resetsAt.toISOString()}; jobs already accepted still run.`,
        budget,
        resetsAt: resetsAt.toISOString(),
        ...batch,
      },
      { 'retry-after': String(secondsUntil(resetsAt, now)) },
    );
  }

  /** 429: over a rate limit (`RateLimited`) or a quota (`QuotaExceeded`); Retry-After says when to try again. */
  static tooManyRequests(
    kind: typeof ProblemType.RateLimited | typeof ProblemType.QuotaExceeded,
    detail: string,
    violatedPolicies: string[],
    retryAfterSeconds: number,
    shortfall: BatchShortfall = {},
  ): ProblemException {
    return new ProblemException(
      {
        type: kind,
        title: kind === ProblemType.RateLimited ? 'Too many requests' : 'Quota exceeded',
        status: HttpStatus.TOO_MANY_REQUESTS,
        detail,
        'violated-policies': violatedPolicies,
        ...shortfall,
      },
      { 'retry-after': String(Math.max(1, retryAfterSeconds)) },
    );
  }

  /** 409: the job is already final (SUCCEEDED, FAILED or TIMED_OUT), so there is nothing left to cancel. */
  static jobNotCancelable(jobId: string, status: string): ProblemException {
    return new ProblemException({
      type: ProblemType.JobNotCancelable,
      title: 'Job not cancelable',
      status: HttpStatus.CONFLICT,
      detail: `Job ${jobId} is ${status}: only a QUEUED or RUNNING job can be canceled.`,
      jobId,
      jobStatus: status,
    });
  }

  /** Not transient, so no Retry-After: the model's setup on the platform is wrong and an operator must fix it. */
  static modelMisconfigured(detail: string, extensions: { jobId?: string } = {}): ProblemException {
    return new ProblemException({
      type: ProblemType.ModelMisconfigured,
      title: 'Model misconfigured',
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      detail,
      ...extensions,
    });
  }
}
