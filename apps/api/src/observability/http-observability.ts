import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { platformMetrics } from '#libs/observability';

/**
 * Per-route answer times (`imggen_http_request_duration_seconds`), and, when tracing is on, a span per request with
 * its route (@fastify/otel, under the HTTP instrumentation's server span, which continues a caller's traceparent).
 * Registered before the routes so that every route is covered.
 */
export async function observeHttp(app: NestFastifyApplication, tracing: boolean): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onResponse', async (request, reply) => {
    platformMetrics.httpRequests.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  if (tracing) {
    const { FastifyOtelInstrumentation } = await import('@fastify/otel');
    await app.register(
      new FastifyOtelInstrumentation({ ignorePaths: (route) => route.url.startsWith('/health') }).plugin(),
    );
  }
}
