import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Env, LOCAL_SERVICE_NODE_FLAGS } from '#libs/config';

/** dist/bench/support → the repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface BenchProcess {
  name: string;
  child: ChildProcess;
  /** Resident set size now, in MB (Linux /proc), or undefined when the process is gone. */
  rssMb(): Promise<number | undefined>;
  /** CPU time (user + system) used so far, in ms (Linux /proc), or undefined when the process is gone. */
  cpuMs(): Promise<number | undefined>;
  /** Resolves with the process's last stdout line once it exits. */
  exited: Promise<string>;
  /** Resolves with the next line the process prints that starts with `prefix`. */
  nextLine(prefix: string): Promise<string>;
  /** Resolves once the process prints a line that contains `text`; fails if it exits first. */
  printed(text: string): Promise<void>;
  stop(): Promise<void>;
}

// USER_HZ, the unit of /proc/<pid>/stat's times: 100 on every Linux architecture Node ships for
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Starts `node <entry>` (a built file under dist/) with `env`, its output appended to `<logDir>/<name>.log`. By
 * default it runs as `make dev` runs the services (LOCAL_SERVICE_NODE_FLAGS: the heap of a 1 GiB task), the baselines
 * too; `nodeFlags` replaces that (the emulators, which stand in for AWS).
 */
export function startProcess(
  name: string,
  entry: string,
  env: Env,
  logDir: string,
  nodeFlags: readonly string[] = LOCAL_SERVICE_NODE_FLAGS,
): BenchProcess {
  const child = spawn(process.execPath, [...nodeFlags, path.join(ROOT, entry)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
  let lastLine = '';
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-10_000);
    lastLine = output.trim().split('\n').at(-1) ?? '';
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const lineWaiters = new Set<(line: string) => void>();
  let partialLine = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (partialLine + chunk.toString('utf8')).split('\n');
    partialLine = lines.pop() ?? '';
    for (const line of lines) {
      lineWaiters.forEach((waiter) => waiter(line));
    }
  });
  const exited = new Promise<string>((resolve) => child.once('exit', () => resolve(lastLine)));
  return {
    name,
    child,
    exited,
    nextLine: (prefix) =>
      new Promise<string>((resolve) => {
        const waiter = (line: string): void => {
          if (line.startsWith(prefix)) {
            lineWaiters.delete(waiter);
            resolve(line);
          }
        };
        lineWaiters.add(waiter);
      }),
    printed: (text) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (output.includes(text)) {
            child.stdout.off('data', check);
            resolve();
          }
        };
        child.stdout.on('data', check);
        void exited.then(() => reject(new Error(`${name} exited before printing "${text}" (see its log)`)));
        check();
      }),
    async rssMb() {
      try {
        const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
        const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
        return kb ? Number(kb) / 1024 : undefined;
      } catch {
        return undefined;
      }
    },
    async cpuMs() {
      try {
        // the fields after the command's closing parenthesis: state is the first, utime the 12th, stime the 13th
        const stat = await readFile(`/proc/${child.pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
      } catch {
        return undefined;
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Waits until `url` answers (any status), or fails after `timeoutMs` or when `process` exits. */
export async function untilAnswering(url: string, process: BenchProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process.child.exitCode !== null) {
      throw new Error(`${process.name} exited with code ${process.child.exitCode} (see its log)`);
    }
    try {
      await (await fetch(url, { signal: AbortSignal.timeout(1_000) })).arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`${process.name} does not answer ${url} after ${timeoutMs / 1000} s`);
}
