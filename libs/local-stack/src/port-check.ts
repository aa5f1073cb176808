import { readdir, readFile, readlink } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export class PortInUseError extends Error {
  constructor(
    readonly busy: { name: string; port: number; holder?: PortHolder }[],
    host: string,
  ) {
    super(
      busy
        .map(({ name, port, holder }) => {
          const who = holder
            ? `held by pid ${holder.pid} (${holder.command})`
            : `find the process with: ss -ltnp 'sport = :${port}'  (or: lsof -i :${port})`;
          return `port ${port} on ${host} (${name}) is already in use, ${who}`;
        })
        .join('\n') +
        '\nIs another `make dev` (or a leftover process from a crashed one) still running? Stop it and try again.',
    );
    this.name = 'PortInUseError';
  }
}

export interface PortHolder {
  pid: number;
  command: string;
}

/** True when nothing listens on host:port (we could bind it ourselves and released it at once). */
export function isPortFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') {
        resolve(false);
      } else {
        reject(error);
      }
    });
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/** Fails with one message naming every busy port (and, on Linux, the process that holds it when we can see it). */
export async function assertPortsFree(ports: Record<string, number>, host: string): Promise<void> {
  const busy: { name: string; port: number; holder?: PortHolder }[] = [];
  for (const [name, port] of Object.entries(ports)) {
    if (port !== 0 && !(await isPortFree(port, host))) {
      const holder = await findPortHolder(port);
      busy.push(holder ? { name, port, holder } : { name, port });
    }
  }
  if (busy.length > 0) {
    throw new PortInUseError(busy, host);
  }
}

const TCP_LISTEN = '0A';

/**
 * Best effort, Linux only: the process listening on a TCP port, found through /proc (socket inode → /proc/<pid>/fd).
 * Returns undefined elsewhere or when the process belongs to another user.
 */
export async function findPortHolder(port: number): Promise<PortHolder | undefined> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = await readFile(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      const state = fields[3];
      const inode = fields[9];
      if (!local || state !== TCP_LISTEN || !inode || inode === '0') {
        continue;
      }
      const portHex = local.slice(local.lastIndexOf(':') + 1);
      if (Number.parseInt(portHex, 16) === port) {
        inodes.add(`socket:[${inode}]`);
      }
    }
  }
  if (inodes.size === 0) {
    return undefined;
  }
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = await readdir(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      if (inodes.has(target)) {
        const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        return { pid: Number(pid), command: shortCommand(cmdline.split('\0').filter(Boolean)) };
      }
    }
  }
  return undefined;
}

/** `node dist/apps/api/src/main.js` rather than the node binary's full path and every flag. */
function shortCommand(argv: string[]): string {
  const [program, ...args] = argv;
  if (!program) {
    return '?';
  }
  const kept: string[] = [path.basename(program)];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (arg === '--import' || arg === '--require' || arg === '-r') {
      index += 1;
    } else if (!arg.startsWith('-')) {
      kept.push(arg);
    }
  }
  const command = kept.join(' ');
  return command.length > 200 ? `${command.slice(0, 199)}…` : command;
}

/** A port free on 127.0.0.1 right now, for servers that must know their URL before they listen. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') {
    throw new Error('could not find a free port');
  }
  return address.port;
}
