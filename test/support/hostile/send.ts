import { Agent, request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Sends a request exactly as given, over a real socket: the path is not re-encoded (so it can be malformed), the body
 * is bytes (so it can be invalid UTF-8). Node sets Content-Length from the body.
 */
export class RawHttpClient {
  // a connection per request: the api closes some after an error answer, and a reused one would race that close
  private readonly agent = new Agent({ keepAlive: false });

  constructor(private readonly origin: URL) {}

  send(options: {
    method: string;
    path: string;
    headers: Record<string, string>;
    body?: Buffer;
  }): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          agent: this.agent,
          host: this.origin.hostname,
          port: this.origin.port,
          method: options.method,
          path: options.path,
          headers: options.headers,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () =>
            resolve({
              status: incoming.statusCode ?? 0,
              headers: incoming.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(options.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
