import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Inject,
  NotFoundException,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { DependencyUnavailableError, InferenceError } from '#libs/aws';
import { ModelParamsError } from '#libs/models';
import { API_CONFIG, type ApiConfig } from '../config/api.config.js';
import { InvalidCursorError } from '../jobs/job-cursor.js';
import { allowedMethods } from './allowed-methods.js';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails, ProblemException, ProblemType } from './problem.js';

/** Maps every error to an RFC 9457 application/problem+json answer. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(
    private readonly logger: PinoLogger,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.logger.setContext(ProblemDetailsFilter.name);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { problem, headers } = this.toProblem(exception, request);
    if (problem.status >= 500) {
      this.logger.error({ err: exception, status: problem.status }, problem.detail);
    }
    void reply
      .status(problem.status)
      .headers(headers)
      .type(PROBLEM_CONTENT_TYPE)
      .send({ ...problem, instance: request.url });
  }

  private toProblem(
    exception: unknown,
    request: FastifyRequest,
  ): {
    problem: Omit<ProblemDetails, 'instance'>;
    headers: Record<string, string>;
  } {
    if (exception instanceof ProblemException) {
      return { problem: exception.problem, headers: exception.headers };
    }
    if (exception instanceof ModelParamsError) {
      // the catalog's messages leave the field out ("must be between 1 and 50"); the client reads it whole
      const errors = exception.errors.map(({ field, message }) => ({ field, message: `${field} ${message}` }));
      return { problem: ProblemException.validation(errors).problem, headers: {} };
    }
    if (exception instanceof NotFoundException) {
      // the router's 404; a path some route serves with other methods is a 405 instead
      const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
      const allow = allowedMethods(fastify, request.url);
      if (allow.length > 0 && !allow.includes(request.method)) {
        const methodNotAllowed = ProblemException.methodNotAllowed(request.method, request.url, allow);
        return { problem: methodNotAllowed.problem, headers: methodNotAllowed.headers };
      }
    }
    if (exception instanceof HttpException && exception.getStatus() === 415) {
      const received = request.headers['content-type'];
      return {
        problem: {
          type: ProblemType.UnsupportedMediaType,
          title: 'Unsupported media type',
          status: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          detail: `Request bodies must be application/json${received ? `, not ${received}` : ''}`,
        },
        headers: {},
      };
    }
    if (exception instanceof InvalidCursorError) {
      const errors = [{ field: 'cursor', message: exception.message }];
      return { problem: ProblemException.validation(errors).problem, headers: {} };
    }
    if (exception instanceof DependencyUnavailableError || exception instanceof InferenceError) {
      // the cause (hosts, SDK messages) goes to the log, not to the client
      const dependency = exception instanceof DependencyUnavailableError ? exception.dependency : 'The image model';
      const unavailable = ProblemException.dependencyUnavailable(`${dependency} is unavailable; try again shortly.`);
      return { problem: unavailable.problem, headers: unavailable.headers };
    }
    if (exception instanceof HttpException) {
      return { problem: fromHttpException(exception, this.config.http.bodyLimitBytes, request.url), headers: {} };
    }
    return {
      problem: {
        type: ProblemType.Internal,
        title: 'Internal server error',
        status: HttpStatus.INTERNAL_SERVER_ERROR,
        detail: 'An unexpected error occurred; it has been logged.',
      },
      headers: {},
    };
  }
}

const BATCH_TOO_LARGE_HINT =
  'A large batch fits when its jobs share their fields: send `prompts` (one string per job) with the shared fields ' +
  'given once, instead of a full body per job in `jobs`, or split the batch.';

const TYPES_BY_STATUS: Partial<Record<number, { type: string; title: string }>> = {
  [HttpStatus.UNAUTHORIZED]: { type: ProblemType.Unauthorized, title: 'Unauthorized' },
  [HttpStatus.FORBIDDEN]: { type: ProblemType.Forbidden, title: 'Forbidden' },
  [HttpStatus.NOT_FOUND]: { type: ProblemType.NotFound, title: 'Not found' },
  [HttpStatus.PAYLOAD_TOO_LARGE]: { type: ProblemType.PayloadTooLarge, title: 'Payload too large' },
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: { type: ProblemType.UnsupportedMediaType, title: 'Unsupported media type' },
  [HttpStatus.BAD_REQUEST]: { type: ProblemType.Validation, title: 'Invalid request' },
};

function fromHttpException(
  exception: HttpException,
  bodyLimitBytes: number,
  url: string,
): Omit<ProblemDetails, 'instance'> {
  const status = exception.getStatus();
  const known = TYPES_BY_STATUS[status] ?? { type: ProblemType.Http, title: exception.name };
  if (status === (HttpStatus.PAYLOAD_TOO_LARGE as number)) {
    // the body limit mirrors AWS WAF's common rule set, which blocks larger bodies in front of the ALB
    const detail = `Request bodies are limited to ${bodyLimitBytes} bytes`;
    return { ...known, status, detail: url.startsWith('/v1/batches') ? `${detail}. ${BATCH_TOO_LARGE_HINT}` : detail };
  }
  const response = exception.getResponse();
  const detail =
    typeof response === 'string'
      ? response
      : typeof (response as { message?: unknown }).message === 'string'
        ? (response as { message: string }).message
        : exception.message;
  return { ...known, status, detail };
}
