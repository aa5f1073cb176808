export * from './bounded.js';
export * from './wait-for.js';

export type ShutdownSignal = 'SIGINT' | 'SIGTERM';

/**
 * Runs `close` once, on the first SIGINT or SIGTERM, then exits 0 (or 1 if closing failed). For the plain
 * Fastify servers; the Nest apps use enableShutdownHooks() instead.
 */
export function closeOnShutdownSignals(close: (signal: ShutdownSignal) => Promise<void>): void {
  let closing = false;
  const onSignal = (signal: ShutdownSignal): void => {
    if (closing) {
      return;
    }
    closing = true;
    close(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}
