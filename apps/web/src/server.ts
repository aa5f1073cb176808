import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import httpProxy from '@fastify/http-proxy';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';

/** Paths the web server forwards to the api, so the browser talks to one origin (no CORS). */
export const API_PREFIXES = ['/v1', '/docs', '/docs-json', '/docs-yaml', '/health'] as const;

/** Where the dashboard's dev sign-in asks for a token; forwarded to the dev IdP's POST /token. */
export const DEV_TOKEN_PATH = '/dev-idp/token';

export interface WebServerOptions {
  /** The api's base URL (WEB_API_URL), e.g. http://127.0.0.1:3000. */
  apiUrl: string;
  /** The built dashboard (vite build); default: apps/web/dist, found from the sources or from dist/. */
  staticDir?: string;
  /** The dev identity provider (WEB_DEV_IDP_URL): enables the dev sign-in. Never set in AWS. */
  devIdpUrl?: string;
  logger?: FastifyServerOptions['logger'];
}

/** The dashboard's run-time configuration when the static files bring none (the deploy writes one in AWS). */
export interface WebRuntimeConfig {
  apiUrl: string;
  devTokenUrl?: string;
}

/** apps/web/dist, whether this module runs from apps/web/src (tsx) or from dist/apps/web/src (node). */
export function defaultStaticDir(): string {
  const candidates = ['../dist', '../../../../apps/web/dist'].map((relative) =>
    fileURLToPath(new URL(relative, import.meta.url)),
  );
  const found = candidates.find((candidate) => existsSync(path.join(candidate, 'index.html')));
  if (!found) {
    throw new Error(`the dashboard is not built: no index.html in ${candidates.join(' or ')} (run npm run build:web)`);
  }
  return found;
}

function isApiPath(url: string): boolean {
  return API_PREFIXES.some((prefix) => url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`));
}

/**
 * The dashboard: its built files with a fallback to index.html for the SPA's own routes (/jobs/…, /usage), a
 * reverse proxy to the api, and locally /config.json plus the dev IdP's token route.
 */
export async function buildWebServer(options: WebServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false });
  const staticDir = options.staticDir ?? defaultStaticDir();
  for (const prefix of API_PREFIXES) {
    await app.register(httpProxy, {
      upstream: options.apiUrl,
      prefix,
      rewritePrefix: prefix,
      // Server-Sent Events (/v1/jobs/{id}/events) stay open for as long as the job runs: no body timeout.
      undici: { bodyTimeout: 0 },
    });
  }
  if (options.devIdpUrl) {
    await app.register(httpProxy, {
      upstream: options.devIdpUrl,
      prefix: DEV_TOKEN_PATH,
      rewritePrefix: '/token',
      httpMethods: ['POST'],
    });
  }
  if (!existsSync(path.join(staticDir, 'config.json'))) {
    const config: WebRuntimeConfig = { apiUrl: '', ...(options.devIdpUrl ? { devTokenUrl: DEV_TOKEN_PATH } : {}) };
    app.get('/config.json', async (_request, reply) => reply.header('cache-control', 'no-store').send(config));
  }
  await app.register(fastifyStatic, {
    root: staticDir,
    setHeaders(reply, filePath) {
      // hashed file names under assets/ never change; index.html must be fetched anew to see a new build
      const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
      reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.setNotFoundHandler(async (request, reply) => {
    const pathname = request.url.split('?')[0]!;
    // an SPA route: a GET for a path without a file extension outside the api's prefixes
    if ((request.method === 'GET' || request.method === 'HEAD') && !isApiPath(pathname) && !/\.[^/]*$/.test(pathname)) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.code(404).type('text/plain').send('Not found');
  });
  return app;
}
