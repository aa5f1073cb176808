// Tracing starts before anything else is imported: a module is instrumented only if it loads after (ESM loader hook).
import { startTracing } from '#libs/observability';

await startTracing(process.env, 'api');
await import('./serve.js');
