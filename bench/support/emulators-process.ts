/** The bench's emulators in a process of their own (as under make dev): dynalite and fauxqs, provisioned. */
import { provisionResources, startEmulators } from '#libs/local-stack';

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
