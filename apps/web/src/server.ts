import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import httpProxy from '@fastify/http-proxy';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';

/** Paths the web server forwards to the api, so the browser talks to one origin (no CORS). */
export const API_PREFIXES = ['/v1', '/docs', '/docs-json', '/docs-yaml', '/health'] as const;

export interface WebServerOptions {
  /** The api's base URL (WEB_API_URL), e.g. http://127.0.0.1:3000. */
  apiUrl: string;
  /** Static files; default: apps/web/public, found from the sources or from dist/. */
  publicDir?: string;
  logger?: FastifyServerOptions['logger'];
}

/** apps/web/public, whether this module runs from apps/web/src (tsx) or from dist/apps/web/src (node). */
export function defaultPublicDir(): string {
  const candidates = ['../public', '../../../../apps/web/public'].map((relative) =>
    fileURLToPath(new URL(relative, import.meta.url)),
  );
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(`apps/web/public not found (looked in ${candidates.join(', ')})`);
  }
  return found;
}

/** The placeholder dashboard: a static page plus a reverse proxy to the api. */
export async function buildWebServer(options: WebServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false });
  for (const prefix of API_PREFIXES) {
    await app.register(httpProxy, {
      upstream: options.apiUrl,
      prefix,
      rewritePrefix: prefix,
      // Server-Sent Events (/v1/jobs/{id}/events) stay open for as long as the job runs: no body timeout.
      undici: { bodyTimeout: 0 },
    });
  }
  await app.register(fastifyStatic, { root: options.publicDir ?? defaultPublicDir() });
  return app;
}
