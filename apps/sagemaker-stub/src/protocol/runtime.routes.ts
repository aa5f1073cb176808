import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { tryParseS3Uri } from '#libs/aws';
import type { AsyncInput } from '../inference/async-invocations.js';
import { InvocationTimeoutError } from '../inference/model-runner.js';
import { invokeRealtime } from '../inference/realtime-invocations.js';
import { SageMakerApiError, validationError } from './api-error.js';
import {
  header,
  MAX_ASYNC_INLINE_BYTES,
  MAX_REALTIME_BODY_BYTES,
  parseAsyncHeaders,
  parseInferenceId,
  RESPONSE_HEADERS,
} from './headers.js';
import { requireEndpoint, type StubContext } from './stub-context.js';

interface EndpointParams {
  name: string;
}

function bodyOf(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

/** ModelError (424) as SageMaker runtime reports a container's non-200 answer to InvokeEndpoint. */
function modelError(
  context: StubContext,
  endpointName: string,
  originalStatusCode: number,
  detail: string,
  originalMessage: string,
): SageMakerApiError {
  const logGroup = `/aws/sagemaker/Endpoints/${endpointName}`;
  const kind = originalStatusCode >= 500 || originalStatusCode === 0 ? 'server' : 'client';
  const message =
    `Received ${kind} error (${originalStatusCode}) from primary with message "${detail}". See ` +
    `https://${context.region}.console.aws.amazon.com/cloudwatch/home?region=${context.region}#logEventViewer:group=${logGroup} ` +
    `in account ${context.accountId} for more information.`;
  return new SageMakerApiError(424, 'ModelError', message, {
    // What SageMaker sends even for a 500 from the container (reference/aws.md section 1.5).
    ErrorCode: 'CLIENT_ERROR_FROM_MODEL',
    Message: message,
    OriginalStatusCode: originalStatusCode,
    OriginalMessage: originalMessage,
    LogStreamArn: `arn:aws:logs:${context.region}:${context.accountId}:log-group:${logGroup}`,
  });
}

/** SageMaker runtime: InvokeEndpointAsync and InvokeEndpoint (reference/aws.md sections 1.2, 1.3). */
export function registerRuntimeRoutes(app: FastifyInstance, context: StubContext): void {
  app.post<{ Params: EndpointParams }>('/endpoints/:name/async-invocations', async (request, reply) => {
    const endpoint = requireEndpoint(context, request.params.name);
    if (endpoint.mode !== 'async') {
      throw validationError(`Endpoint ${endpoint.name} of account ${context.accountId} is not an async endpoint.`);
    }
    const headers = parseAsyncHeaders(request.headers);
    context.throttle.check(headers.inferenceId);
    let input: AsyncInput;
    if (headers.inputLocation !== undefined) {
      // With an InputLocation the SDK still sends `content-type: application/octet-stream`: body and type are ignored.
      const location = tryParseS3Uri(headers.inputLocation);
      if (!location) {
        throw validationError(
          `InputLocation ${headers.inputLocation} is not supported by the stub: use s3://<bucket>/<key>.`,
        );
      }
      input = { kind: 's3', uri: headers.inputLocation, location };
    } else {
      const body = bodyOf(request.body);
      if (body.length === 0) {
        throw validationError('Either InputLocation or Body must be provided.');
      }
      if (body.length > MAX_ASYNC_INLINE_BYTES) {
        throw validationError(
          `The inline Body is ${body.length} bytes; it must be at most ${MAX_ASYNC_INLINE_BYTES} bytes. Use InputLocation.`,
        );
      }
      input = { kind: 'inline', body };
    }
    const accepted = context.asyncInvocations.accept({
      endpoint,
      // SageMaker generates an id when the caller gives none.
      inferenceId: headers.inferenceId ?? randomUUID(),
      input,
      ...(headers.contentType !== undefined ? { contentType: headers.contentType } : {}),
      ...(headers.accept !== undefined ? { accept: headers.accept } : {}),
      ttlMs: headers.requestTtlSeconds * 1000,
      timeoutMs: headers.invocationTimeoutSeconds * 1000,
    });
    reply.code(202).header(RESPONSE_HEADERS.outputLocation, accepted.outputLocation);
    if (accepted.failureLocation) {
      reply.header(RESPONSE_HEADERS.failureLocation, accepted.failureLocation);
    }
    return reply
      .header('content-type', 'application/json')
      .send(Buffer.from(JSON.stringify({ InferenceId: accepted.inferenceId })));
  });

  app.post<{ Params: EndpointParams }>('/endpoints/:name/invocations', async (request, reply) => {
    const endpoint = requireEndpoint(context, request.params.name);
    if (endpoint.mode !== 'realtime') {
      throw validationError(
        `Endpoint ${endpoint.name} of account ${context.accountId} is an async endpoint: use InvokeEndpointAsync.`,
      );
    }
    const body = bodyOf(request.body);
    if (body.length > MAX_REALTIME_BODY_BYTES) {
      throw validationError(`The Body is ${body.length} bytes; it must be at most ${MAX_REALTIME_BODY_BYTES} bytes.`);
    }
    const inferenceId = parseInferenceId(header(request.headers, 'x-amzn-sagemaker-inference-id'));
    const contentType = header(request.headers, 'content-type');
    const accept = header(request.headers, 'accept');
    let outcome;
    try {
      outcome = await invokeRealtime(
        {
          endpoint,
          body,
          ...(inferenceId !== undefined ? { inferenceId } : {}),
          ...(contentType !== undefined ? { contentType } : {}),
          ...(accept !== undefined ? { accept } : {}),
        },
        context,
      );
    } catch (error) {
      if (error instanceof InvocationTimeoutError) {
        const detail =
          'Your invocation timed out while waiting for a response from container primary. ' +
          'Review the latency metrics for each container in Amazon CloudWatch, resolve the issue, and try again.';
        throw modelError(context, endpoint.name, 0, detail, '');
      }
      throw error;
    }
    if (outcome.reply.statusCode !== 200) {
      const original = outcome.reply.body.toString('utf8');
      throw modelError(context, endpoint.name, outcome.reply.statusCode, original, original);
    }
    return reply
      .code(200)
      .header('content-type', outcome.reply.contentType)
      .header(RESPONSE_HEADERS.invokedVariant, 'AllTraffic')
      .send(outcome.reply.body);
  });

  // Liveness for scripts waiting on the stub (the route a model container answers, too).
  app.get('/ping', async (_request, reply) => reply.code(200).send(''));
}
