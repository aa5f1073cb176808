import type { FastifyInstance } from 'fastify';

// OPTIONS is left out: the CORS plugin answers it on every path.
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** The methods some route serves at this URL: empty for an unknown path (404), else the `Allow` of a 405. */
export function allowedMethods(fastify: FastifyInstance, url: string): string[] {
  const path = url.split('?', 1)[0] ?? url;
  return METHODS.filter((method) => fastify.findRoute({ method, url: path }) !== null);
}
