import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { REQUEST_ID_HEADER, requestIdOf } from './logging/request-id.js';
import type { ApiConfig } from './config/api.config.js';
import { setUpOpenApi } from './openapi/openapi.document.js';
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
  // JSON only: a text/plain body is answered 415 instead of reaching validation as a string. Body errors
  // (413, 415, malformed JSON) reach ProblemDetailsFilter through Nest's own Fastify error handler.
  fastify.removeContentTypeParser('text/plain');
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
  });
  setUpOpenApi(app);
  app.enableShutdownHooks();
  return app;
}
