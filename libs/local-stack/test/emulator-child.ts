// Child process for the crash test: starts the emulators on a data dir, provisions, writes the sample, prints one
// READY line with the ports, then waits to be killed with SIGKILL (no stop(), no clean close of the stores).
import { provisionResources, startEmulators } from '#libs/local-stack';
import { sampleEnv, writeSample } from './persistence-sample.js';

const [dataDir, prefix] = process.argv.slice(2);
if (!dataDir || !prefix) {
  throw new Error('usage: emulator-child <dataDir> <prefix>');
}
const emulators = await startEmulators({ ports: { fauxqs: 0, dynalite: 0 }, dataDir, createTableMs: 0 });
const env = sampleEnv(emulators.ports, prefix);
await provisionResources({ env });
await writeSample(env);
process.stdout.write(`READY ${JSON.stringify(emulators.ports)}\n`);
setInterval(() => undefined, 60_000);
