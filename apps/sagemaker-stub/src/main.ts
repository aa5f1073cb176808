import { loadStubConfig } from './config.js';
import { createLogger } from './logger.js';
import { startStub } from './server.js';

/** Entry point: `npm run start:stub` (after `npm run build`). */
async function main(): Promise<void> {
  const config = loadStubConfig(process.env);
  const logger = createLogger(config.app);
  const stub = await startStub({ config, logger });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    logger.info({ event: 'stub.stopping', signal }, 'sagemaker-stub stopping');
    stub.close().then(
      () => {
        logger.info({ event: 'stub.stopped' }, 'sagemaker-stub stopped');
        logger.flush();
        process.exitCode = 0;
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  // Configuration errors name every bad variable; print them plainly and exit non-zero.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
