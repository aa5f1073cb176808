import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildWebServer } from './server.js';

/** Real HTTP rather than inject(): light-my-request requires the ESM-only `cookie`, which jest cannot load on Node 22. */
async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

describe('web placeholder server', () => {
  let api: FastifyInstance;
  let web: FastifyInstance;
  let webUrl: string;
  const seen: { method: string; url: string; authorization?: string; body?: unknown }[] = [];

  beforeAll(async () => {
    // A stand-in api that records what reaches it.
    api = Fastify();
    api.all('/*', async (request) => {
      seen.push({
        method: request.method,
        url: request.url,
        ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
        ...(request.body !== undefined ? { body: request.body } : {}),
      });
      return { upstream: request.url };
    });
    web = await buildWebServer({ apiUrl: await listen(api) });
    webUrl = await listen(web);
  });

  afterAll(async () => {
    await web.close();
    await api.close();
  });

  beforeEach(() => {
    seen.length = 0;
  });

  it('serves the placeholder page', async () => {
    const response = await fetch(`${webUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('<h1>imggen</h1>');
    expect(html).toContain('href="/docs"');
    expect(html).toMatch(/dashboard .* is coming/);
    expect((await fetch(`${webUrl}/index.html`)).status).toBe(200);
    expect(seen).toEqual([]);
  });

  it('proxies /v1 with the query, the Authorization header and the body', async () => {
    const list = await fetch(`${webUrl}/v1/jobs?limit=2`, { headers: { authorization: 'Bearer abc' } });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ upstream: '/v1/jobs?limit=2' });

    const created = await fetch(`${webUrl}/v1/jobs`, {
      method: 'POST',
      headers: { authorization: 'Bearer abc', 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'a cat' }),
    });
    expect(created.status).toBe(200);
    expect(seen).toEqual([
      { method: 'GET', url: '/v1/jobs?limit=2', authorization: 'Bearer abc' },
      { method: 'POST', url: '/v1/jobs', authorization: 'Bearer abc', body: { prompt: 'a cat' } },
    ]);
  });

  it('proxies the API docs and health routes', async () => {
    for (const url of ['/docs', '/docs/', '/docs/swagger-ui.css', '/docs-json', '/health/live', '/health/ready']) {
      const response = await fetch(`${webUrl}${url}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ upstream: url });
    }
  });

  it('answers 404 itself for other paths, and 5xx when the api is down', async () => {
    expect((await fetch(`${webUrl}/nope`)).status).toBe(404);
    expect((await fetch(`${webUrl}/..%2f..%2fpackage.json`)).status).toBe(404);
    expect(seen).toEqual([]);

    const orphan = await buildWebServer({ apiUrl: 'http://127.0.0.1:1' });
    try {
      const response = await fetch(`${await listen(orphan)}/health/live`);
      expect(response.status).toBeGreaterThanOrEqual(500);
    } finally {
      await orphan.close();
    }
  });
});
