import { HttpStatus } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER } from '../logging/request-id.js';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails, ProblemType } from './problem.js';

/**
 * Fastify's `frameworkErrors`: the answers its router gives before any hook, route or Nest filter runs, in
 * problem+json like every other answer, with the request id the onRequest hook would have set.
 * - FST_ERR_BAD_URL: the path is not valid percent-encoded UTF-8 (`/v1/jobs/%`, `/v1/jobs/%ED%A0%80`): 400;
 * - FST_ERR_MAX_PARAM_LENGTH: a path parameter longer than any route takes (a job id of 101 characters): 404, as for
 *   any URL no route serves.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const path = request.url.split('?', 1)[0] ?? request.url;
  const problem: Omit<ProblemDetails, 'instance'> =
    error.code === 'FST_ERR_BAD_URL'
      ? {
          type: ProblemType.Validation,
          title: 'Invalid request',
          status: HttpStatus.BAD_REQUEST,
          detail: 'The URL is not valid percent-encoded UTF-8',
        }
      : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? {
            type: ProblemType.NotFound,
            title: 'Not found',
            status: HttpStatus.NOT_FOUND,
            detail: `Cannot ${request.method} ${path}`,
          }
        : {
            type: ProblemType.Internal,
            title: 'Internal server error',
            status: HttpStatus.INTERNAL_SERVER_ERROR,
            detail: 'An unexpected error occurred; it has been logged.',
          };
  if (problem.status >= 500) {
    request.log.error({ err: error }, problem.detail);
  }
  void reply
    .status(problem.status)
    .header(REQUEST_ID_HEADER, request.id)
    .type(PROBLEM_CONTENT_TYPE)
    .send({ ...problem, instance: request.url });
}
