/** The bench's emulators in a process of their own (as under make dev): dynalite and fauxqs, provisioned. */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { provisionResources, startEmulators } from '#libs/local-stack';

// Every AWS call the emulators answer, by operation, so the bench can compare the api's calls with its baseline's:
// DynamoDB and SQS name theirs in X-Amz-Target; S3 and SNS calls are told apart by method and service.
const calls: Record<string, number> = {};
subscribe('http.server.request.start', (message) => {
  const { request } = message as { request: IncomingMessage };
  const target = request.headers['x-amz-target'];
  const operation =
    typeof target === 'string'
      ? target.replace(/^DynamoDB_\d+\.|^AmazonSQS\./, '')
      : `${request.method} ${/\/sns\//.test(request.headers.authorization ?? '') ? 'SNS' : 'S3'}`;
  calls[operation] = (calls[operation] ?? 0) + 1;
});
process.on('SIGUSR2', () => console.log(`calls ${JSON.stringify(calls)}`));

const emulators = await startEmulators({
  ports: { fauxqs: Number(process.env.BENCH_FAUXQS_PORT), dynalite: Number(process.env.BENCH_DYNALITE_PORT) },
  // on disk, as make dev keeps them
  dataDir: process.env.BENCH_DATA_DIR,
  createTableMs: 0,
});
await provisionResources({ env: process.env });
console.log('emulators ready');
process.on('SIGTERM', () => {
  void emulators.stop().then(() => process.exit(0));
});
