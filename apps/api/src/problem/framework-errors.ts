import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { HttpStatus } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ulid } from 'ulid';
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

/** The problems Node's HTTP parser leads to, by the parser's error code (anything else is a malformed request). */
const CLIENT_ERRORS: Record<string, { status: number; title: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    title: 'Request header fields too large',
    detail: 'The request line and headers are limited to 16 KB',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: HttpStatus.REQUEST_TIMEOUT,
    title: 'Request timeout',
    detail: 'The request was not received in time',
  },
};

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser cannot read (headers over its 16 KB limit, a malformed
 * request line) never becomes a request, so no hook or filter sees it. Answered in problem+json all the same, with
 * a fresh request id; there is no URL to name as the instance. Then the connection is closed, as Node does.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) {
    return;
  }
  const { status, title, detail } = CLIENT_ERRORS[error.code ?? ''] ?? {
    status: HttpStatus.BAD_REQUEST,
    title: 'Bad request',
    detail: 'The request is not valid HTTP',
  };
  const body = JSON.stringify({ type: ProblemType.Http, title, status, detail });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `${REQUEST_ID_HEADER}: ${ulid()}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
