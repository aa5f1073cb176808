import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildWebServer } from './server.js';

const INDEX_HTML = '<!doctype html><title>imggen</title><div id="root"></div>';

/** A stand-in for apps/web/dist (what vite build writes). */
async function fakeBuild(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'imggen-web-'));
  await mkdir(path.join(dir, 'assets'));
  await writeFile(path.join(dir, 'index.html'), INDEX_HTML);
  await writeFile(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  return dir;
}

/** Real HTTP rather than inject(): light-my-request requires the ESM-only `cookie`, which jest cannot load on Node 22. */
async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

describe('web server', () => {
  let api: FastifyInstance;
  let web: FastifyInstance;
  let webUrl: string;
  let staticDir: string;
  let idp: FastifyInstance;
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
    // A stand-in dev IdP.
    idp = Fastify();
    idp.post('/token', async (request) => ({
      access_token: `token-for-${(request.body as { username: string }).username}`,
    }));
    staticDir = await fakeBuild();
    web = await buildWebServer({ apiUrl: await listen(api), staticDir, devIdpUrl: await listen(idp) });
    webUrl = await listen(web);
  });

  afterAll(async () => {
    await web.close();
    await api.close();
    await idp.close();
    await rm(staticDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    seen.length = 0;
  });

  it('serves the built dashboard, and index.html for its own routes (SPA fallback)', async () => {
    for (const url of ['/', '/index.html', '/jobs/01JD0000000000000000000000', '/usage', '/gallery?x=1']) {
      const response = await fetch(`${webUrl}${url}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toBe(INDEX_HTML);
    }
    const asset = await fetch(`${webUrl}/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(seen).toEqual([]);
  });

  it('answers /config.json with the dev sign-in, and forwards the dev token request to the IdP', async () => {
    const config = await fetch(`${webUrl}/config.json`);
    expect(await config.json()).toEqual({ apiUrl: '', devTokenUrl: '/dev-idp/token' });
    const token = await fetch(`${webUrl}/dev-idp/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice' }),
    });
    expect(await token.json()).toEqual({ access_token: 'token-for-alice' });
  });

  it('offers no dev sign-in without WEB_DEV_IDP_URL, and serves the config.json a deploy wrote', async () => {
    const bare = await buildWebServer({ apiUrl: 'http://127.0.0.1:1', staticDir });
    const deployedDir = await fakeBuild();
    const deployedConfig = { apiUrl: 'https://api.example.com', authority: 'https://idp.example.com', clientId: 'c' };
    await writeFile(path.join(deployedDir, 'config.json'), JSON.stringify(deployedConfig));
    const deployed = await buildWebServer({
      apiUrl: 'http://127.0.0.1:1',
      staticDir: deployedDir,
      devIdpUrl: 'http://127.0.0.1:1',
    });
    try {
      const bareUrl = await listen(bare);
      expect(await (await fetch(`${bareUrl}/config.json`)).json()).toEqual({ apiUrl: '' });
      const token = await fetch(`${bareUrl}/dev-idp/token`, { method: 'POST', body: '{}' });
      expect(token.status).toBe(404);
      expect(await (await fetch(`${await listen(deployed)}/config.json`)).json()).toEqual(deployedConfig);
    } finally {
      await bare.close();
      await deployed.close();
      await rm(deployedDir, { recursive: true, force: true });
    }
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

  it('answers 404 itself for missing files and non-GET requests, and 5xx when the api is down', async () => {
    expect((await fetch(`${webUrl}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${webUrl}/..%2f..%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${webUrl}/nope`, { method: 'POST' })).status).toBe(404);
    expect(seen).toEqual([]);

    const orphan = await buildWebServer({ apiUrl: 'http://127.0.0.1:1', staticDir });
    try {
      const response = await fetch(`${await listen(orphan)}/health/live`);
      expect(response.status).toBeGreaterThanOrEqual(500);
    } finally {
      await orphan.close();
    }
  });
});
