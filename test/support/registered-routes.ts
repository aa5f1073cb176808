import type { FastifyInstance, HTTPMethods } from 'fastify';

/** One route the router serves: a method and its URL template in Fastify's syntax (`/v1/jobs/:jobId`, `/docs/*`). */
export interface RegisteredRoute {
  method: HTTPMethods;
  url: string;
}

/** `├── /v1/jobs (GET, HEAD, POST)`: the tree drawing, the segment, then the methods when the node has a route. */
const LINE = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?)(?: \(([A-Z, ]+)\))?$/;

const EMPTY_ROOT = '(empty root node)';

/**
 * Every route the running app registered, from the router's own listing (`printRoutes`), so nothing can be
 * added to the app without the callers of this seeing it. Each parsed route is checked back with `hasRoute`:
 * if Fastify ever draws its tree differently, this throws instead of silently listing less.
 */
export function registeredRoutes(fastify: FastifyInstance): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  const prefixes: string[] = [];
  for (const line of fastify.printRoutes().split('\n')) {
    if (line.trim() === '') {
      continue;
    }
    const match = LINE.exec(line);
    if (!match) {
      throw new Error(`cannot read this line of printRoutes(): ${JSON.stringify(line)}`);
    }
    const [, indent = '', drawn = '', methods] = match;
    // the root draws as this when routes hang off both '/' and '*'
    const segment = drawn === EMPTY_ROOT ? '' : drawn;
    const depth = indent.length / 4;
    prefixes.length = depth;
    const joined = `${prefixes.join('')}${segment}`;
    // a wildcard at the root is registered as '*' but known to the router as '/*'
    const url = joined.startsWith('/') ? joined : `/${joined}`;
    prefixes.push(segment);
    for (const method of methods?.split(', ') ?? []) {
      routes.push({ method: method, url });
    }
  }
  for (const route of routes) {
    if (!fastify.hasRoute(route)) {
      throw new Error(`printRoutes() listed ${route.method} ${route.url}, which the router does not have`);
    }
  }
  if (routes.length === 0) {
    throw new Error('printRoutes() listed no routes: is the app ready?');
  }
  return routes;
}
