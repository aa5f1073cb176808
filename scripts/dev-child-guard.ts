// Preloaded (node --import) into every process `make dev` starts. The orchestrator keeps an IPC channel open to
// each child; when the orchestrator dies without cleaning up (kill -9, a crash), the channel closes and the child
// shuts itself down the way it would on Ctrl-C, so no orphan keeps a port busy for the next `make dev`.
const FORCED_EXIT_AFTER_MS = 15_000;

if (process.channel) {
  // The channel must not keep an otherwise finished process alive.
  process.channel.unref();
  process.once('disconnect', () => {
    setTimeout(() => process.exit(1), FORCED_EXIT_AFTER_MS).unref();
    process.kill(process.pid, 'SIGTERM');
  });
}
