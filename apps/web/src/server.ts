import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import httpProxy from '@fastify/http-proxy';
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
  servePublicFiles(app, options.publicDir ?? defaultPublicDir());
  return app;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * GET of the files in `root` (`/` is index.html). Not @fastify/static: its content-disposition dependency is
 * ESM-only, which jest cannot require on Node 22, and one placeholder page needs none of its features.
 */
function servePublicFiles(app: FastifyInstance, root: string): void {
  const base = path.resolve(root);
  app.get('/*', async (request, reply) => {
    const urlPath = decodeURIComponent(new URL(request.url, 'http://web').pathname);
    const file = path.resolve(base, `.${urlPath.endsWith('/') ? `${urlPath}index.html` : urlPath}`);
    const type = CONTENT_TYPES[path.extname(file)];
    if (!file.startsWith(base + path.sep) || type === undefined) {
      return reply.callNotFound();
    }
    try {
      return await reply.type(type).send(await readFile(file));
    } catch {
      return reply.callNotFound();
    }
  });
}
