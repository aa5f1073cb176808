import { loadStubConfig } from './config.js';
import { createLogger } from '#libs/logging';
import { stopTracing } from '#libs/observability';
import { closeOnShutdownSignals } from '#libs/runtime';
import { startStub } from './server.js';

/** Started by main.ts (`npm run start:stub` after `npm run build`). */
async function main(): Promise<void> {
  const config = loadStubConfig(process.env);
  const logger = createLogger(config.app, 'sagemaker-stub');
  const stub = await startStub({ config, logger });
  closeOnShutdownSignals(async (signal) => {
    logger.info({ event: 'stub.stopping', signal }, 'sagemaker-stub stopping');
    await stub.close();
    await stopTracing();
    logger.info({ event: 'stub.stopped' }, 'sagemaker-stub stopped');
    logger.flush();
  });
}

main().catch((error: unknown) => {
  // Configuration errors name every bad variable; print them plainly and exit non-zero.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
