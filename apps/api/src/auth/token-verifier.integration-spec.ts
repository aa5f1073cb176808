import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  base64url,
  type CryptoKey,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { type RunningDevIdp, startDevIdp } from '../../../dev-idp/src/idp.js';
import type { ApiConfig } from '../config/api.config.js';
import { InvalidTokenError, ISSUED_AT_LEEWAY_SECONDS, TokenVerifier } from './token-verifier.js';

const CLIENT_ID = 'imggen-test';

/**
 * The generic issuer + JWKS branch (any OIDC issuer; the dev IdP locally) against a real JWKS over HTTP. Forged
 * tokens are signed with the trusted IdP's own private key (read from its data dir) when the point is a claim, and
 * with other keys when the point is the signature.
 */
describe('TokenVerifier (issuer + JWKS)', () => {
  let dataDir: string;
  let trusted: RunningDevIdp;
  let stranger: RunningDevIdp;
  let verifier: TokenVerifier;
  let trustedKey: { kid: string; privateKey: CryptoKey; publicJwk: JWK };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'imggen-idp-'));
    trusted = await startDevIdp({ port: 0, issuer: 'http://trusted.example', clientId: CLIENT_ID, dataDir });
    stranger = await startDevIdp({ port: 0, issuer: 'http://stranger.example', clientId: CLIENT_ID });
    verifier = new TokenVerifier({
      auth: {
        issuer: 'http://trusted.example',
        jwksUri: `${trusted.url}/.well-known/jwks.json`,
        clientId: CLIENT_ID,
      },
    } as ApiConfig);
    const privateJwk = JSON.parse(await readFile(path.join(dataDir, 'idp', 'signing-key.json'), 'utf8')) as JWK;
    const { kid, kty, n, e } = privateJwk;
    trustedKey = {
      kid: kid!,
      privateKey: (await importJWK(privateJwk, 'RS256')) as CryptoKey,
      publicJwk: { kty, n, e, kid, alg: 'RS256', use: 'sig' },
    };
  });

  afterAll(async () => {
    await trusted?.close();
    await stranger?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Claims of a valid access token from the trusted issuer, to spoil one at a time. */
  function accessClaims(overrides: JWTPayload = {}): JWTPayload {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: 'http://trusted.example',
      sub: 'b5d0c8f4-0000-5000-8000-000000000001',
      client_id: CLIENT_ID,
      token_use: 'access',
      username: 'mallory',
      iat: now,
      exp: now + 600,
      ...overrides,
    };
  }

  async function signedByTrustedKey(claims: JWTPayload): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: trustedKey.kid }).sign(trustedKey.privateKey);
  }

  async function rejection(token: string): Promise<unknown> {
    return verifier.verify(token).then(
      (user) => new Error(`accepted as ${JSON.stringify(user)}`),
      (error: unknown) => error,
    );
  }

  it('accepts an access token from the trusted issuer (the control case)', async () => {
    await expect(verifier.verify(await trusted.mintToken('alice'))).resolves.toMatchObject({ username: 'alice' });
    await expect(verifier.verify(await signedByTrustedKey(accessClaims()))).resolves.toMatchObject({
      username: 'mallory',
    });
  });

  it('accepts an iat a little ahead of this clock, within the leeway (the issuer’s clock may run fast)', async () => {
    const claims = accessClaims({ iat: Math.floor(Date.now() / 1000) + ISSUED_AT_LEEWAY_SECONDS - 10 });
    await expect(verifier.verify(await signedByTrustedKey(claims))).resolves.toMatchObject({ username: 'mallory' });
  });

  it('rejects an id token (token_use=id), even with the app client as its audience', async () => {
    const { client_id: _clientId, ...claims } = accessClaims({ token_use: 'id', aud: CLIENT_ID });
    expect(await rejection(await signedByTrustedKey(claims))).toBeInstanceOf(InvalidTokenError);
  });

  it('rejects an unsigned token (alg: none)', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT', kid: trustedKey.kid }));
    const payload = base64url.encode(JSON.stringify(accessClaims()));
    expect(await rejection(`${header}.${payload}.`)).toBeInstanceOf(InvalidTokenError);
  });

  it('rejects HS256 signed with the public key as the HMAC secret (algorithm confusion)', async () => {
    const publicKey = (await importJWK(trustedKey.publicJwk, 'RS256')) as CryptoKey;
    const secrets = [
      new TextEncoder().encode(await exportSPKI(publicKey)),
      new TextEncoder().encode(JSON.stringify(trustedKey.publicJwk)),
      base64url.decode(trustedKey.publicJwk.n!),
    ];
    for (const secret of secrets) {
      const token = await new SignJWT(accessClaims())
        .setProtectedHeader({ alg: 'HS256', kid: trustedKey.kid })
        .sign(secret);
      expect(await rejection(token)).toBeInstanceOf(InvalidTokenError);
    }
  });

  it('rejects a validly signed token from another issuer, with its own key pair and JWKS', async () => {
    const foreign = await stranger.mintToken('alice');
    expect(await rejection(foreign)).toBeInstanceOf(InvalidTokenError);
  });

  it("rejects another key's token claiming the trusted issuer, whatever kid or embedded key it names", async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const attackerJwk = { ...(await exportJWK(publicKey)), kid: trustedKey.kid, alg: 'RS256' };
    const headers = [
      { alg: 'RS256', kid: trustedKey.kid },
      { alg: 'RS256', kid: 'attacker-key' },
      { alg: 'RS256', kid: trustedKey.kid, jwk: attackerJwk },
      { alg: 'RS256', kid: trustedKey.kid, jku: `${stranger.url}/.well-known/jwks.json` },
    ];
    for (const header of headers) {
      const token = await new SignJWT(accessClaims()).setProtectedHeader(header).sign(privateKey);
      expect(await rejection(token)).toBeInstanceOf(InvalidTokenError);
    }
  });

  it.each<[string, JWTPayload]>([
    ['no sub', accessClaims({ sub: undefined })],
    ['an empty sub', accessClaims({ sub: '' })],
    ['a sub that is not a string', accessClaims({ sub: 42 as unknown as string })],
    ['another app client', accessClaims({ client_id: 'someone-else' })],
    ['no exp', accessClaims({ exp: undefined })],
    ['an exp in the past', accessClaims({ exp: Math.floor(Date.now() / 1000) - 60 })],
    ['an nbf in the future', accessClaims({ nbf: Math.floor(Date.now() / 1000) + 3600 })],
    [
      'an iat in the future, past the clock leeway',
      accessClaims({ iat: Math.floor(Date.now() / 1000) + ISSUED_AT_LEEWAY_SECONDS + 60 }),
    ],
    ['no token_use', accessClaims({ token_use: undefined })],
  ])('rejects a trusted-key token with %s', async (_label, claims) => {
    const defined = Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
    expect(await rejection(await signedByTrustedKey(defined))).toBeInstanceOf(InvalidTokenError);
  });
});
