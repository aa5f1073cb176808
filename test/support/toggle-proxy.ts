import { createConnection, createServer, type Socket } from 'node:net';

export interface ToggleProxy {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** down: every connection is reset at once, as an unreachable dependency looks to a client. */
  setDown(down: boolean): void;
  /** Connections reset while down. */
  refused(): number;
  close(): Promise<void>;
}

/** A TCP proxy in front of `target` (http://host:port) that can simulate an outage and its end. */
export async function startToggleProxy(target: string): Promise<ToggleProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let down = false;
  let refused = 0;
  const server = createServer((client) => {
    client.on('error', () => undefined);
    if (down) {
      refused++;
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection({ host: hostname, port: Number(port) });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    sockets.add(client).add(upstream);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('proxy has no port');
  }
  return {
    url: `http://127.0.0.1:${address.port}`,
    setDown(value) {
      down = value;
      if (down) {
        // kept-alive connections would otherwise carry on as if nothing happened
        for (const socket of sockets) {
          socket.destroy();
        }
      }
    },
    refused: () => refused,
    async close() {
      for (const socket of sockets) {
        socket.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
