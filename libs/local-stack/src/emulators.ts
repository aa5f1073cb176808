import { mkdir } from 'node:fs/promises';
import type http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FauxqsServer, startFauxqs as StartFauxqs } from 'fauxqs';
import { LOCAL_HOST, LOCAL_REGION } from '#libs/config';
import { withListenHostOverride } from './listen-host.js';
import { assertPortsFree } from './port-check.js';

export interface EmulatorPorts {
  fauxqs: number;
  dynalite: number;
}

export interface StartEmulatorsOptions {
  /** 0 picks a free port. */
  ports: EmulatorPorts;
  /** Persist state: dynalite's LevelDB under `<dataDir>/dynamodb`, fauxqs' SQLite under `<dataDir>/fauxqs`. In memory when omitted. */
  dataDir?: string;
  /** How long dynalite keeps a new table in CREATING (dynalite's default: 500 ms). */
  createTableMs?: number;
  /** fauxqs request logging (JSON lines on stdout). Off by default. */
  logger?: boolean;
}

export interface RunningEmulators {
  /** S3, SQS and SNS (`AWS_ENDPOINT_URL`). */
  fauxqsUrl: string;
  /** DynamoDB (`AWS_ENDPOINT_URL_DYNAMODB`). */
  dynamodbUrl: string;
  ports: EmulatorPorts;
  /** Closes both servers and their stores; ports are free once it resolves. Safe to call twice. */
  stop(): Promise<void>;
}

interface DynaliteOptions {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}

type DynaliteFactory = (options: DynaliteOptions) => http.Server;

/**
 * Both emulators are loaded on first use, so importing this lib (e.g. for provisionResources) does not pull in
 * fauxqs' node:sqlite (and its ExperimentalWarning) or LevelDB. dynalite is CommonJS without type definitions.
 */
async function loadEmulators(): Promise<{
  startFauxqs: typeof StartFauxqs;
  dynalite: DynaliteFactory;
}> {
  const { startFauxqs } = await import('fauxqs');
  const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;
  return { startFauxqs, dynalite };
}

/** Starts fauxqs (S3, SQS, SNS) and dynalite (DynamoDB) in this process, both bound to 127.0.0.1 only. */
export async function startEmulators(options: StartEmulatorsOptions): Promise<RunningEmulators> {
  const { ports, dataDir, createTableMs, logger = false } = options;
  // Fail before opening any store: a failed startFauxqs() would leave its SQLite database open.
  await assertPortsFree({ fauxqs: ports.fauxqs, dynalite: ports.dynalite }, LOCAL_HOST);
  const { startFauxqs, dynalite } = await loadEmulators();

  const dynamodbDir = dataDir ? path.resolve(dataDir, 'dynamodb') : undefined;
  const fauxqsDir = dataDir ? path.resolve(dataDir, 'fauxqs') : undefined;
  if (dynamodbDir) {
    await mkdir(dynamodbDir, { recursive: true });
  }

  const dynamo = dynalite({
    ...(dynamodbDir ? { path: dynamodbDir } : {}),
    ...(createTableMs !== undefined
      ? { createTableMs, deleteTableMs: createTableMs, updateTableMs: createTableMs }
      : {}),
  });
  await listen(dynamo, ports.dynalite, 'dynalite');

  let fauxqs: FauxqsServer;
  let listened: http.Server[];
  try {
    ({ value: fauxqs, servers: listened } = await withListenHostOverride(LOCAL_HOST, () =>
      startFauxqs({
        port: ports.fauxqs,
        // Queue URLs then read http://sqs.us-east-1.localhost:<port>/...; clients route by their endpoint, not by it.
        host: 'localhost',
        defaultRegion: LOCAL_REGION,
        logger,
        ...(fauxqsDir ? { dataDir: fauxqsDir } : {}),
      }),
    ));
  } catch (error) {
    await closeDynalite(dynamo);
    throw new Error(`fauxqs failed to start on ${LOCAL_HOST}:${ports.fauxqs}: ${errorMessage(error)}`, {
      cause: error,
    });
  }

  // fauxqs.address reports 127.0.0.1 even when bound to 0.0.0.0: ask the socket itself.
  const fauxqsSocket = listened.map((server) => server.address()).find((address) => isPortOf(address, fauxqs.port));
  const bound = fauxqsSocket?.address ?? 'an unknown address';
  if (bound !== LOCAL_HOST) {
    await Promise.allSettled([fauxqs.stop(), closeDynalite(dynamo)]);
    throw new Error(`fauxqs bound to ${bound} instead of ${LOCAL_HOST}; refusing to expose it`);
  }

  const actual: EmulatorPorts = { fauxqs: fauxqs.port, dynalite: (dynamo.address() as AddressInfo).port };
  let stopping: Promise<void> | undefined;
  return {
    fauxqsUrl: `http://${LOCAL_HOST}:${actual.fauxqs}`,
    dynamodbUrl: `http://${LOCAL_HOST}:${actual.dynalite}`,
    ports: actual,
    stop() {
      stopping ??= (async () => {
        const results = await Promise.allSettled([fauxqs.stop(), closeDynalite(dynamo)]);
        const failures = results.filter((result) => result.status === 'rejected');
        if (failures.length > 0) {
          throw new AggregateError(
            failures.map((failure) => failure.reason as unknown),
            'stopping the emulators failed',
          );
        }
      })();
      return stopping;
    },
  };
}

function isPortOf(address: string | AddressInfo | null, port: number): address is AddressInfo {
  return typeof address === 'object' && address !== null && address.port === port;
}

function listen(server: http.Server, port: number, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(new Error(`${name} failed to listen on ${LOCAL_HOST}:${port}: ${error.code ?? error.message}`));
    };
    server.once('error', onError);
    server.listen(port, LOCAL_HOST, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** dynalite's close() waits for open connections, then closes LevelDB (releasing its LOCK file). */
function closeDynalite(server: http.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close((error?: Error) => (error ? reject(error) : resolve()));
    // Idle keep-alive sockets of SDK clients would otherwise hold close() open.
    server.closeAllConnections();
  });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
