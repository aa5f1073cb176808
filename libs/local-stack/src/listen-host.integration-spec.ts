import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { withListenHostOverride } from './listen-host.js';
import { assertPortsFree, findPortHolder, isPortFree, PortInUseError } from './port-check.js';

function listenAll(server: http.Server): Promise<AddressInfo> {
  return new Promise((resolve) => {
    server.listen({ port: 0, host: '0.0.0.0' }, () => resolve(server.address() as AddressInfo));
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('withListenHostOverride', () => {
  it('rewrites 0.0.0.0 to the given host only while the start function runs', async () => {
    const inside = http.createServer();
    const { value, servers } = await withListenHostOverride('127.0.0.1', () => listenAll(inside));
    expect(value.address).toBe('127.0.0.1');
    expect(servers).toEqual([inside]);
    expect(Object.hasOwn(http.Server.prototype, 'listen')).toBe(false);

    const outside = http.createServer();
    expect((await listenAll(outside)).address).toBe('0.0.0.0');
    await Promise.all([close(inside), close(outside)]);
  });

  it('restores listen() when the start function fails, and serializes overlapping calls', async () => {
    await expect(withListenHostOverride('127.0.0.1', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(Object.hasOwn(http.Server.prototype, 'listen')).toBe(false);

    const [a, b] = [http.createServer(), http.createServer()];
    const results = await Promise.all([
      withListenHostOverride('127.0.0.1', () => listenAll(a)),
      withListenHostOverride('127.0.0.1', () => listenAll(b)),
    ]);
    expect(results.map((result) => result.servers)).toEqual([[a], [b]]);
    expect(Object.hasOwn(http.Server.prototype, 'listen')).toBe(false);
    await Promise.all([close(a), close(b)]);
  });
});

describe('port checks', () => {
  it('finds a busy port, the process holding it, and names it in the error', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await isPortFree(port, '127.0.0.1')).toBe(false);
      const holder = await findPortHolder(port);
      if (holder) {
        // Linux with /proc: it is this very process.
        expect(holder.pid).toBe(process.pid);
      }
      const check = assertPortsFree({ api: port }, '127.0.0.1');
      await expect(check).rejects.toBeInstanceOf(PortInUseError);
      await expect(check).rejects.toThrow(`port ${port} on 127.0.0.1 (api) is already in use`);
    } finally {
      await close(server);
    }
    expect(await isPortFree(port, '127.0.0.1')).toBe(true);
  });
});
