// The emulators of `make dev` in a process of their own, persisted on a data dir, so a fault test can SIGKILL them
// with the rest of the stack: `emulators-process.ts <dataDir> <fauxqsPort> <dynalitePort>`. Prints one READY line.
import { startEmulators } from '#libs/local-stack';

const [dataDir, fauxqs, dynalite] = process.argv.slice(2);
if (!dataDir || !fauxqs || !dynalite) {
  throw new Error('usage: emulators-process <dataDir> <fauxqsPort> <dynalitePort>');
}
const emulators = await startEmulators({
  ports: { fauxqs: Number(fauxqs), dynalite: Number(dynalite) },
  dataDir,
  createTableMs: 0,
});
process.stdout.write(`READY ${JSON.stringify(emulators.ports)}\n`);
// stays up until it is killed
setInterval(() => undefined, 60_000);
