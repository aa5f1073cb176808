import type { FastifyReply } from 'fastify';

/** An error answered in AWS's JSON shape: status, `x-amzn-ErrorType` header, `__type` + message body. */
export class SageMakerApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly errorType: string,
    message: string,
    /** Extra body members (ModelError's OriginalStatusCode...); replaces the default body when `replaceBody`. */
    readonly body?: Record<string, unknown>,
    readonly contentType = 'application/json',
  ) {
    super(message);
    this.name = errorType;
  }
}

/** 400 ValidationError, the runtime's error for anything wrong with the request (reference/aws.md section 1.5). */
export function validationError(message: string): SageMakerApiError {
  return new SageMakerApiError(400, 'ValidationError', message);
}

export function sendApiError(reply: FastifyReply, error: SageMakerApiError): FastifyReply {
  // Both spellings of the message: the SDK reads `message` first, then `Message`.
  const body = error.body ?? { __type: error.errorType, message: error.message, Message: error.message };
  return reply
    .code(error.statusCode)
    .header('x-amzn-ErrorType', error.errorType)
    .header('content-type', error.contentType)
    .send(Buffer.from(JSON.stringify(body)));
}
