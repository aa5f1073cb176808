import { createServer } from 'node:net';

/** A port free on 127.0.0.1 right now, for servers that must know their URL before they listen. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') {
    throw new Error('could not find a free port');
  }
  return address.port;
}
