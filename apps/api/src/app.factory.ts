import { HttpStatus, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError } from 'fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { REQUEST_ID_HEADER, requestIdOf } from './logging/request-id.js';
import type { ApiConfig } from './config/api.config.js';
import { ProblemView } from './problem/api-problem-responses.decorator.js';
import { PROBLEM_CONTENT_TYPE, ProblemType } from './problem/problem.js';
import { validationExceptionFactory } from './problem/validation.js';

/** Builds the api (used by main.ts and by the e2e tests), not yet listening. */
export async function createApiApp(config: ApiConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: true,
    requestIdHeader: false,
    genReqId: requestIdOf,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      // one message per field: the first constraint that fails
      stopAtFirstError: true,
      exceptionFactory: validationExceptionFactory,
    }),
  );
  const fastify = app.getHttpAdapter().getInstance();
  // JSON only: a text/plain body is answered 415 instead of reaching validation as a string
  fastify.removeContentTypeParser('text/plain');
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
  });
  handleBodyErrorsAsProblems(app);
  setUpOpenApi(app);
  app.enableShutdownHooks();
  return app;
}

/**
 * Body parsing happens in Fastify before Nest sees the request, so too-large, malformed and non-JSON bodies
 * are answered here, in the same problem+json shape as every other error.
 */
function handleBodyErrorsAsProblems(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? HttpStatus.INTERNAL_SERVER_ERROR;
    const byStatus: Record<number, { type: string; title: string; detail: string }> = {
      [HttpStatus.PAYLOAD_TOO_LARGE]: {
        type: ProblemType.PayloadTooLarge,
        title: 'Payload too large',
        detail: `Request bodies are limited to ${fastify.initialConfig.bodyLimit} bytes`,
      },
      [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: {
        type: ProblemType.UnsupportedMediaType,
        title: 'Unsupported media type',
        detail: 'Send the body as application/json',
      },
      [HttpStatus.BAD_REQUEST]: { type: ProblemType.Validation, title: 'Invalid request', detail: error.message },
    };
    const known = byStatus[status] ?? {
      type: ProblemType.Internal,
      title: 'Internal server error',
      detail: 'An unexpected error occurred; it has been logged.',
    };
    if (!byStatus[status]) {
      request.log.error({ err: error }, 'unhandled error');
    }
    void reply
      .status(byStatus[status] ? status : HttpStatus.INTERNAL_SERVER_ERROR)
      .type(PROBLEM_CONTENT_TYPE)
      .send({ ...known, status: byStatus[status] ? status : 500, instance: request.url });
  });
}

function setUpOpenApi(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('imggen API')
      .setDescription(
        'Text-to-image jobs rendered by Stable Diffusion on SageMaker asynchronous inference. ' +
          'Every /v1 route needs a Bearer access token (Cognito in AWS, `npm run token -- <user>` locally). ' +
          'Errors are RFC 9457 application/problem+json.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
    { extraModels: [ProblemView] },
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
