import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LOCAL_HOST } from '#libs/config';
import { startEmulators, type EmulatorPorts, type RunningEmulators } from './emulators.js';
import { isPortFree, PortInUseError } from './port-check.js';
import { provisionResources } from './provision.js';
import { readSample, SAMPLE, sampleEnv, writeSample } from '../test/persistence-sample.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

jest.setTimeout(60_000);

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(2_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Local addresses other than loopback, where an emulator must not answer. */
function otherLocalAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((address) => address !== undefined && !address.internal && address.family === 'IPv4')
    .map((address) => address!.address);
}

/** Addresses listening on a TCP port according to /proc/net/tcp (Linux), e.g. ['127.0.0.1']. */
async function procListenAddresses(port: number): Promise<string[] | undefined> {
  const text = await readFile('/proc/net/tcp', 'utf8').catch(() => undefined);
  if (text === undefined) {
    return undefined;
  }
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[3] === '0A' && Number.parseInt(fields[1]!.split(':')[1]!, 16) === port)
    .map((fields) => {
      const hex = fields[1]!.split(':')[0]!;
      // Little-endian IPv4.
      return [3, 2, 1, 0].map((i) => Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
    });
}

describe('startEmulators', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'imggen-emulators-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('binds fauxqs and dynalite to 127.0.0.1 only, and frees the ports on stop', async () => {
    const emulators = await startEmulators({ ports: { fauxqs: 0, dynalite: 0 } });
    try {
      expect(emulators.fauxqsUrl).toBe(`http://127.0.0.1:${emulators.ports.fauxqs}`);
      expect(emulators.dynamodbUrl).toBe(`http://127.0.0.1:${emulators.ports.dynalite}`);
      expect((await fetch(`${emulators.fauxqsUrl}/health`)).status).toBe(200);
      expect(await connects(LOCAL_HOST, emulators.ports.dynalite)).toBe(true);

      for (const port of Object.values(emulators.ports)) {
        const listening = await procListenAddresses(port);
        if (listening !== undefined) {
          expect(listening).toEqual(['127.0.0.1']);
        }
        for (const address of otherLocalAddresses()) {
          expect(await connects(address, port)).toBe(false);
        }
      }
    } finally {
      await emulators.stop();
    }
    expect(await isPortFree(emulators.ports.fauxqs, LOCAL_HOST)).toBe(true);
    expect(await isPortFree(emulators.ports.dynalite, LOCAL_HOST)).toBe(true);
    // A second stop() is harmless.
    await emulators.stop();
  });

  it('refuses to start on a busy port and names it', async () => {
    const first = await startEmulators({ ports: { fauxqs: 0, dynalite: 0 } });
    try {
      const attempt = startEmulators({ ports: { fauxqs: first.ports.fauxqs, dynalite: 0 } });
      await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
      await expect(attempt).rejects.toThrow(`port ${first.ports.fauxqs}`);
    } finally {
      await first.stop();
    }
  });

  it('keeps a table item, an S3 object and a queued message across stop and start', async () => {
    const prefix = 'it-restart';
    let emulators: RunningEmulators = await startEmulators({
      ports: { fauxqs: 0, dynalite: 0 },
      dataDir,
      createTableMs: 0,
    });
    try {
      const env = sampleEnv(emulators.ports, prefix);
      await provisionResources({ env });
      await writeSample(env);
      await emulators.stop();

      emulators = await startEmulators({ ports: emulators.ports, dataDir, createTableMs: 0 });
      const again = sampleEnv(emulators.ports, prefix);
      expect(await readSample(again)).toEqual({ status: 'QUEUED', object: SAMPLE.body, message: SAMPLE.body });
      // Provisioning the restored state is a no-op.
      expect((await provisionResources({ env: again })).changes).toEqual([]);
    } finally {
      await emulators.stop();
    }
  });

  it('starts again on the data dir of a process that was killed (SIGKILL)', async () => {
    const prefix = 'it-crash';
    // `node --import tsx` runs the script in this very process (the tsx CLI would fork a grandchild that SIGKILL misses).
    const child = spawn(
      process.execPath,
      [
        '--no-warnings=ExperimentalWarning',
        '--import',
        'tsx',
        path.join(repoRoot, 'libs/local-stack/test/emulator-child.ts'),
        dataDir,
        prefix,
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, TSX_TSCONFIG_PATH: path.join(repoRoot, 'scripts/tsconfig.tsx.json') },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    const ports = await new Promise<EmulatorPorts>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`emulator child exited early with ${code}`)));
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line.startsWith('READY ')) {
          resolve(JSON.parse(line.slice('READY '.length)) as EmulatorPorts);
        }
      });
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const emulators = await startEmulators({ ports, dataDir, createTableMs: 0 });
    try {
      expect(await readSample(sampleEnv(emulators.ports, prefix))).toEqual({
        status: 'QUEUED',
        object: SAMPLE.body,
        message: SAMPLE.body,
      });
    } finally {
      await emulators.stop();
    }
  });
});
