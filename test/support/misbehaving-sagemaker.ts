import {
  createServer,
  type IncomingMessage,
  request as httpRequest,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How the stand-in answers InvokeEndpointAsync. */
export type Misbehaviour =
  /** A SageMaker error answer: status, `x-amzn-ErrorType` and message, as the real service sends them. */
  | { kind: 'error'; status: number; errorType: string; message: string }
  /** Reads the whole request, then drops the connection without a word. */
  | { kind: 'reset' }
  /** Reads the whole request and never answers. */
  | { kind: 'hang' }
  /** Passes the request on to a real (stub) runtime, which takes the job, then drops the connection. */
  | { kind: 'relay-then-reset'; target: string };

export interface MisbehavingSageMaker {
  url: string;
  /** How many invocations reached it (each one SageMaker might have queued). */
  readonly requests: number;
  close(): Promise<void>;
}

/** A SageMaker runtime on a loopback port that fails every invocation the given way. */
export async function startMisbehavingSageMaker(misbehaviour: Misbehaviour): Promise<MisbehavingSageMaker> {
  let requests = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests += 1;
    if (misbehaviour.kind === 'relay-then-reset') {
      relayThenReset(request, misbehaviour.target);
      return;
    }
    request.resume();
    request.on('end', () => {
      switch (misbehaviour.kind) {
        case 'error':
          response
            .writeHead(misbehaviour.status, {
              'content-type': 'application/json',
              'x-amzn-errortype': misbehaviour.errorType,
            })
            .end(JSON.stringify({ message: misbehaviour.message }));
          return;
        case 'reset':
          request.socket.destroy();
          return;
        case 'hang':
          return;
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        sockets.forEach((socket) => socket.destroy());
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function relayThenReset(incoming: IncomingMessage, target: string): void {
  const url = new URL(incoming.url ?? '/', target);
  const outgoing = httpRequest(
    url,
    { method: incoming.method, headers: { ...incoming.headers, host: url.host } },
    (answer) => {
      // the runtime answered (202: it took the job); the caller never hears it
      answer.resume();
      answer.on('end', () => incoming.socket.destroy());
    },
  );
  outgoing.on('error', () => incoming.socket.destroy());
  incoming.pipe(outgoing);
}
