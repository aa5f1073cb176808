import http from 'node:http';
import type { ListenOptions } from 'node:net';

const ALL_INTERFACES = '0.0.0.0';

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `start` while every `http.Server#listen({ host: '0.0.0.0' })` in this process is rewritten to `host`.
 *
 * Why: fauxqs 2.4's `startFauxqs()` calls `app.listen({ port, host: "0.0.0.0" })` with no way to choose the host,
 * and the stores its persistence needs (SqsStore, SnsStore, S3Store, PersistenceManager) are not exported, so
 * `buildApp()` + our own `listen()` would lose the SQLite persistence. The override is as narrow as we can make it:
 * only http servers, only an options object asking for 0.0.0.0 (what Fastify passes), only while `start` runs, and
 * calls are serialized so two overlapping starts never stack or restore each other's patch.
 */
export function withListenHostOverride<T>(
  host: string,
  start: () => Promise<T>,
): Promise<{ value: T; servers: http.Server[] }> {
  const run = async (): Promise<{ value: T; servers: http.Server[] }> => {
    // Every http server that listened during the window, so the caller can check where each one really is bound.
    const servers: http.Server[] = [];
    const proto = http.Server.prototype as { listen: (...args: unknown[]) => http.Server };
    const hadOwn = Object.hasOwn(proto, 'listen');
    const original = proto.listen;
    proto.listen = function listen(this: http.Server, ...args: unknown[]): http.Server {
      servers.push(this);
      const [first, ...rest] = args;
      if (isListenOptions(first) && first.host === ALL_INTERFACES) {
        return original.call(this, { ...first, host }, ...rest);
      }
      return original.apply(this, args);
    };
    try {
      return { value: await start(), servers };
    } finally {
      if (hadOwn) {
        proto.listen = original;
      } else {
        // http.Server inherits listen() from net.Server: drop the shadowing property instead of pinning a copy.
        delete (proto as { listen?: unknown }).listen;
      }
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

function isListenOptions(value: unknown): value is ListenOptions {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
