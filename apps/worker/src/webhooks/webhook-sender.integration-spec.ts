import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls, { type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { SSRF_BLOCKED_ADDRESSES } from '#libs/testing';
import type { HostResolver } from '#libs/webhooks';
import { WebhookSender } from './webhook-sender.js';

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

/** A real HTTP receiver on 127.0.0.1 whose behaviour each test sets. */
describe('WebhookSender against a local receiver', () => {
  let server: http.Server;
  let port: number;
  let handler: Handler;
  const seen: Array<{ host: string | undefined; url: string | undefined; body: string }> = [];

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen.push({ host: request.headers.host, url: request.url, body: Buffer.concat(chunks).toString() });
        handler(request, response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const local = new WebhookSender({ policy: { allowLoopback: true }, timeoutMs: 2000 });
  const post = (sender: WebhookSender, url: string) =>
    sender.send({ url, headers: { 'webhook-id': 'e1' }, body: '{"a":1}' });

  it('a 2xx is success; the body and headers arrive as sent', async () => {
    handler = (_req, res) => res.writeHead(204).end();
    seen.length = 0;
    const result = await post(local, `http://127.0.0.1:${port}/hook?x=1`);
    expect(result).toMatchObject({ statusCode: 204 });
    expect(result.error).toBeUndefined();
    expect(seen).toEqual([{ host: `127.0.0.1:${port}`, url: '/hook?x=1', body: '{"a":1}' }]);
  });

  it('anything else is a failure with the status', async () => {
    handler = (_req, res) => res.writeHead(500).end('boom');
    expect(await post(local, `http://127.0.0.1:${port}/`)).toMatchObject({
      statusCode: 500,
      error: 'the receiver answered 500',
    });
  });

  it('does not follow a redirect', async () => {
    handler = (req, res) =>
      req.url === '/elsewhere' ? res.writeHead(200).end() : res.writeHead(307, { location: '/elsewhere' }).end();
    seen.length = 0;
    const result = await post(local, `http://127.0.0.1:${port}/start`);
    expect(result).toMatchObject({ statusCode: 307, error: expect.stringContaining('redirects are not followed') });
    expect(seen.map((s) => s.url)).toEqual(['/start']);
  });

  it('reads at most 64 KB of an answer and does not wait for the rest', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      // 128 KB now, and the answer never ends
      res.write(Buffer.alloc(128 * 1024, 'a'));
    };
    const started = Date.now();
    const result = await post(local, `http://127.0.0.1:${port}/`);
    expect(result).toMatchObject({ statusCode: 200 });
    expect(result.error).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('gives up after the timeout when no answer comes', async () => {
    handler = () => undefined;
    const quick = new WebhookSender({ policy: { allowLoopback: true }, timeoutMs: 300 });
    const result = await post(quick, `http://127.0.0.1:${port}/`);
    expect(result.error).toBe('no complete answer within 300 ms');
    expect(result.statusCode).toBeUndefined();
    expect(result.durationMs).toBeGreaterThanOrEqual(290);
  });

  it('refuses loopback without WEBHOOKS_ALLOW_LOOPBACK, before connecting', async () => {
    handler = (_req, res) => res.writeHead(200).end();
    seen.length = 0;
    const strict = new WebhookSender({ policy: { allowLoopback: false }, timeoutMs: 2000 });
    for (const url of [
      `http://127.0.0.1:${port}/`,
      `http://localhost:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
    ]) {
      expect(await post(strict, url)).toMatchObject({ blocked: true, error: expect.stringContaining('blocked') });
    }
    expect(seen).toEqual([]);
  });

  it('DNS rebinding: resolves once and connects to the checked address, whatever a second lookup would say', async () => {
    handler = (_req, res) => res.writeHead(200).end();
    seen.length = 0;
    const answers = ['127.0.0.1', '10.0.0.1'];
    const resolver = jest.fn<HostResolver>(() => Promise.resolve([{ address: answers.shift()!, family: 4 }]));
    const sender = new WebhookSender({ policy: { allowLoopback: true }, timeoutMs: 2000, resolver });
    const result = await post(sender, `http://rebind.example.test:${port}/hook`);
    expect(result).toMatchObject({ statusCode: 200 });
    expect(resolver).toHaveBeenCalledTimes(1);
    // the request reached the checked address, with the name the client gave in Host
    expect(seen).toEqual([{ host: `rebind.example.test:${port}`, url: '/hook', body: '{"a":1}' }]);
  });

  it('DNS rebinding the other way: a blocked first answer is refused even if a later one would pass', async () => {
    handler = (_req, res) => res.writeHead(200).end();
    seen.length = 0;
    const answers = ['10.0.0.1', '127.0.0.1'];
    const resolver = jest.fn<HostResolver>(() => Promise.resolve([{ address: answers.shift()!, family: 4 }]));
    const sender = new WebhookSender({ policy: { allowLoopback: true }, timeoutMs: 2000, resolver });
    expect(await post(sender, `http://rebind.example.test:${port}/hook`)).toMatchObject({ blocked: true });
    expect(resolver).toHaveBeenCalledTimes(1);
    expect(seen).toEqual([]);
  });

  it('a name that does not resolve is a (retryable) failure, not a block', async () => {
    const resolver: HostResolver = () =>
      Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    const sender = new WebhookSender({ policy: { allowLoopback: true }, timeoutMs: 2000, resolver });
    const result = await post(sender, 'https://nowhere.example.test/');
    expect(result.blocked).toBeUndefined();
    expect(result.error).toContain('DNS lookup failed: ENOTFOUND');
  });

  it('a DNS lookup that never answers counts towards the timeout', async () => {
    const resolver: HostResolver = () => new Promise(() => undefined);
    const quick = new WebhookSender({ policy: { allowLoopback: true }, timeoutMs: 300, resolver });
    const result = await post(quick, 'https://slow-dns.example.test/');
    expect(result.error).toBe('no complete answer within 300 ms (DNS lookup)');
    expect(result.blocked).toBeUndefined();
    expect(result.durationMs).toBeGreaterThanOrEqual(290);
  });

  it('refuses every SSRF case at delivery, as an IP literal and as a name resolving to it, before connecting', async () => {
    handler = (_req, res) => res.writeHead(200).end();
    seen.length = 0;
    const refused: string[] = [];
    for (const [address, range] of SSRF_BLOCKED_ADDRESSES) {
      const resolver = jest.fn<HostResolver>(() =>
        Promise.resolve([{ address, family: address.includes(':') ? 6 : 4 }]),
      );
      // as in AWS: no loopback receivers either
      const sender = new WebhookSender({ policy: { allowLoopback: false }, timeoutMs: 2000, resolver });
      const literal = address.includes(':') ? `[${address}]` : address;
      for (const url of [`http://${literal}:${port}/hook`, `https://ssrf-case.example.test/hook`]) {
        const result = await post(sender, url);
        expect({ url, result }).toEqual({ url, result: expect.objectContaining({ blocked: true }) });
        expect(result.error).toMatch(/^blocked: /);
      }
      refused.push(`${address.padEnd(38)} ${range}`);
    }
    expect(seen).toEqual([]);
    console.log(`SSRF cases refused at delivery (literal and resolved name):\n${refused.join('\n')}`);
  });

  describe('over https', () => {
    let tlsServer: https.Server;
    let tlsPort: number;
    let defaultCas: string[];
    const sni: Array<string | false | null> = [];

    beforeAll(async () => {
      // a throw-away certificate for hooks.example.test (.test never resolves in DNS), trusted for this file only
      const dir = await mkdtemp(path.join(tmpdir(), 'imggen-webhook-tls-'));
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=hooks.example.test',
          '-addext',
          'subjectAltName=DNS:hooks.example.test',
          '-keyout',
          path.join(dir, 'key.pem'),
          '-out',
          path.join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      const cert = await readFile(path.join(dir, 'cert.pem'), 'utf8');
      defaultCas = tls.getCACertificates('default');
      tls.setDefaultCACertificates([...defaultCas, cert]);
      tlsServer = https.createServer({ cert, key: await readFile(path.join(dir, 'key.pem'), 'utf8') }, (req, res) => {
        sni.push((req.socket as TLSSocket).servername);
        req.resume().on('end', () => res.writeHead(200).end());
      });
      await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
      tlsPort = (tlsServer.address() as AddressInfo).port;
      await rm(dir, { recursive: true, force: true });
    });

    afterAll(async () => {
      tls.setDefaultCACertificates(defaultCas);
      tlsServer.closeAllConnections();
      await new Promise((resolve) => tlsServer.close(resolve));
    });

    const pinnedTo127: HostResolver = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);

    it('connects to the checked address and still verifies the certificate against the host name (SNI too)', async () => {
      sni.length = 0;
      const sender = new WebhookSender({ policy: { allowLoopback: true }, timeoutMs: 2000, resolver: pinnedTo127 });
      const result = await post(sender, `https://hooks.example.test:${tlsPort}/hook`);
      expect(result).toMatchObject({ statusCode: 200 });
      expect(result.error).toBeUndefined();
      expect(sni).toEqual(['hooks.example.test']);
    });

    it('refuses a certificate for another name, though the pinned address is the same', async () => {
      sni.length = 0;
      const sender = new WebhookSender({ policy: { allowLoopback: true }, timeoutMs: 2000, resolver: pinnedTo127 });
      const result = await post(sender, `https://elsewhere.example.test:${tlsPort}/hook`);
      expect(result.statusCode).toBeUndefined();
      expect(result.error).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
      expect(sni).toEqual([]);
    });
  });
});
