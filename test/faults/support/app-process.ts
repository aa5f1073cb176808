import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Env } from '#libs/config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const hooks = path.join(root, 'test/faults/support/ts-hooks.mjs');
// the child stops itself when this process dies without killing it (its IPC channel closes)
const guard = path.join(root, 'scripts/dev-child-guard.ts');
const READY_TIMEOUT_MS = 60_000;
const STDERR_LINES_KEPT = 40;

/** One app (worker, stub, emulators) in a process of its own, run from its TypeScript sources. */
export class AppProcess {
  private readonly stderr: string[] = [];
  private readonly stdout = new EventEmitter<{ line: [string] }>();
  readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    // both streams are always read, so a chatty app (TEST_LOG_LEVEL=info) never blocks on a full pipe
    const echo = process.env.TEST_LOG_LEVEL ? (line: string) => process.stderr.write(`${name} | ${line}\n`) : undefined;
    if (child.stderr) {
      createInterface({ input: child.stderr }).on('line', (line) => {
        echo?.(line);
        this.stderr.push(line);
        this.stderr.splice(0, this.stderr.length - STDERR_LINES_KEPT);
      });
    }
    if (child.stdout) {
      createInterface({ input: child.stdout }).on('line', (line) => {
        echo?.(line);
        this.stdout.emit('line', line);
      });
    }
  }

  /** Spawns `entry` (a .ts file under the repository) with exactly `env`. */
  static spawn(name: string, entry: string, env: Env, args: string[] = []): AppProcess {
    const child = spawn(
      process.execPath,
      ['--no-warnings=ExperimentalWarning', '--import', hooks, '--import', guard, path.join(root, entry), ...args],
      { cwd: root, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
    );
    return new AppProcess(name, child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once `url` answers with a status `accept` takes; fails (with the app's stderr) if the app exits first. */
  async ready(url: string, accept: (status: number) => boolean = (status) => status === 200): Promise<this> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (!this.running) {
        throw new Error(`${this.name} exited before it was ready:\n${this.stderr.join('\n')}`);
      }
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
        await response.arrayBuffer();
        if (accept(response.status)) {
          return this;
        }
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.name} did not answer ${url} within ${READY_TIMEOUT_MS} ms:\n${this.stderr.join('\n')}`);
  }

  /** Resolves with the rest of the first stdout line that starts with `prefix` (call it before the app prints it). */
  async line(prefix: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const onExit = () =>
        reject(new Error(`${this.name} exited before printing ${prefix}:\n${this.stderr.join('\n')}`));
      const onLine = (line: string) => {
        if (line.startsWith(prefix)) {
          this.child.off('exit', onExit);
          this.stdout.off('line', onLine);
          resolve(line.slice(prefix.length));
        }
      };
      this.child.once('exit', onExit);
      this.stdout.on('line', onLine);
    });
  }

  /** SIGKILL: no shutdown hook runs, nothing in flight is handed back. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM, as `make dev` stops its children. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    if (this.running) {
      this.child.kill(signal);
    }
    await this.exited;
  }
}
