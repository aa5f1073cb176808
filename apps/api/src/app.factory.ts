import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { REQUEST_ID_HEADER, requestIdOf } from './logging/request-id.js';
import type { ApiConfig } from './config/api.config.js';
import { trustProxyOf } from './http/trust-proxy.js';
import { setUpOpenApi } from './openapi/openapi.document.js';
import { answerClientError, answerFrameworkError } from './problem/framework-errors.js';
import { RequestValidationPipe } from './problem/validation.js';

/** Builds the api (used by main.ts and by the e2e tests), not yet listening. */
export async function createApiApp(config: ApiConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    // X-Forwarded-For is believed only across the configured proxies (the ALB), never a client's own
    trustProxy: trustProxyOf(config.http),
    requestIdHeader: false,
    genReqId: requestIdOf,
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), adapter, {
    bufferLogs: true,
    // Fastify's own JSON parser only: Nest's would add a form-urlencoded one, and `curl -d` bodies (sent as
    // form data) must be a 415, not a 400 about a field named after the JSON text.
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  enableBrowserAccess(app, config);
  app.useGlobalPipes(new RequestValidationPipe());
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

/**
 * CORS for the configured origins (the dashboard) and security headers on every answer, errors and 404s
 * included. Both run in Fastify request hooks that Nest places before its middleware (see FastifyAdapter).
 */
function enableBrowserAccess(app: NestFastifyApplication, config: ApiConfig): void {
  if (config.http.corsOrigins.length > 0) {
    // @fastify/cors
    app.enableCors({
      origin: config.http.corsOrigins,
      methods: ['GET', 'HEAD', 'POST'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Prefer', 'X-Request-Id'],
      exposedHeaders: [
        'Location',
        'Retry-After',
        'X-Request-Id',
        'RateLimit',
        'RateLimit-Policy',
        'Idempotent-Replayed',
      ],
      // Bearer tokens, no cookies
      credentials: false,
      maxAge: 600,
      // an OPTIONS that is not a preflight gets the same 204 instead of a text/plain 400
      strictPreflight: false,
    });
  }
  // Helmet 8's headers and defaults, built into Nest 12
  app.useSecurityHeaders({
    contentSecurityPolicy: {
      directives: {
        // Swagger UI (/docs) loads only same-origin scripts, inline styles and data: images, which the
        // defaults allow; upgrade-insecure-requests would send its assets to https on a plain-http host
        upgradeInsecureRequests: null,
      },
    },
  });
}
