import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureImage } from './engine-image.js';

/** A Docker API on a unix socket that has no image and whose registry is out of reach, as on the CI machines. */
describe('ensureImage against an engine’s API', () => {
  let dir: string;
  let server: http.Server;
  const requests: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'imggen-engine-'));
    server = http.createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      if (request.url?.startsWith('/images/create')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          `${JSON.stringify({ status: 'Trying to pull...' })}\n${JSON.stringify({ error: 'no such host' })}\n`,
        );
        return;
      }
      if (request.url === '/images/present%3A1.0/json') {
        response.writeHead(200).end('{}');
        return;
      }
      response.writeHead(404).end(JSON.stringify({ message: 'no such image' }));
    });
    await new Promise<void>((resolve) => server.listen(path.join(dir, 'engine.sock'), resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('pulls a missing image and throws the registry’s answer when the pull fails', async () => {
    await expect(ensureImage(`unix://${dir}/engine.sock`, 'localstack/localstack:3.8.1')).rejects.toThrow(
      'pulling localstack/localstack:3.8.1 failed: no such host',
    );
    expect(requests.slice(-2)).toEqual([
      'GET /images/localstack%2Flocalstack%3A3.8.1/json',
      'POST /images/create?fromImage=localstack%2Flocalstack%3A3.8.1',
    ]);
  });

  it('leaves an image the engine has alone', async () => {
    await expect(ensureImage(`unix://${dir}/engine.sock`, 'present:1.0')).resolves.toBeUndefined();
    expect(requests.at(-1)).toBe('GET /images/present%3A1.0/json');
  });

  it('says that nothing answers on a socket that is not there', async () => {
    await expect(ensureImage(`unix://${dir}/missing.sock`, 'localstack/localstack:3.8.1')).rejects.toThrow(
      /connect ENOENT .*missing\.sock/,
    );
  });
});
