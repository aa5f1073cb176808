import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { decodeProtectedHeader } from 'jose';
import { DEFAULT_EXPIRES_IN_SECONDS, type RunningDevIdp, startDevIdp, subjectFor } from './idp.js';

/** aws-jwt-verify's default fetcher speaks https only (reference/aws.md 7.2). */
class HttpFetcher {
  async fetch(uri: string): Promise<ArrayBuffer> {
    return (await fetch(uri)).arrayBuffer();
  }
}

const ISSUER = 'http://127.0.0.1:9000';
const CLIENT_ID = 'imggen-test';

function verifierFor(idp: RunningDevIdp, clientId = CLIENT_ID) {
  return JwtVerifier.create(
    {
      issuer: ISSUER,
      audience: null,
      jwksUri: `${idp.url}/.well-known/jwks.json`,
      customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse: 'access', clientId }),
    },
    { jwksCache: new SimpleJwksCache({ fetcher: new HttpFetcher() }) },
  );
}

async function requestToken(idp: RunningDevIdp, body: unknown): Promise<Response> {
  return fetch(`${idp.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('dev identity provider', () => {
  let idp: RunningDevIdp;

  beforeAll(async () => {
    idp = await startDevIdp({ port: 0, issuer: ISSUER, clientId: CLIENT_ID });
  });

  afterAll(async () => {
    await idp.close();
  });

  it('serves its public key as a JWKS', async () => {
    const response = await fetch(`${idp.url}/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as { keys: Record<string, string>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(typeof keys[0]!.kid).toBe('string');
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('mints over HTTP a Cognito-shaped access token that aws-jwt-verify accepts', async () => {
    const response = await requestToken(idp, { username: 'alice' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(DEFAULT_EXPIRES_IN_SECONDS);

    const payload = await verifierFor(idp).verify(body.access_token);
    expect(payload).toMatchObject({
      iss: ISSUER,
      sub: subjectFor('alice'),
      username: 'alice',
      client_id: CLIENT_ID,
      token_use: 'access',
      scope: 'openid profile',
    });
    expect(payload).not.toHaveProperty('aud');
    expect(payload).not.toHaveProperty('cognito:groups');
    expect(payload.exp! - payload.iat!).toBe(12 * 3600);
    expect(typeof payload.jti).toBe('string');
    expect(typeof payload.auth_time).toBe('number');
    expect(decodeProtectedHeader(body.access_token)).toMatchObject({ alg: 'RS256' });
  });

  it('puts admins in the admin group and honours expiresInSeconds', async () => {
    const response = await requestToken(idp, { username: 'root', admin: true, expiresInSeconds: 300 });
    const body = (await response.json()) as { access_token: string; expires_in: number };
    expect(body.expires_in).toBe(300);
    const payload = await verifierFor(idp).verify(body.access_token);
    expect(payload['cognito:groups']).toEqual(['admin']);
    expect(payload.exp! - payload.iat!).toBe(300);
  });

  it('derives a stable UUID subject per username', async () => {
    expect(subjectFor('alice')).toBe(subjectFor('alice'));
    expect(subjectFor('alice')).not.toBe(subjectFor('bob'));
    expect(subjectFor('alice')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const [first, second] = await Promise.all([idp.mintToken('alice'), idp.mintToken('alice')]);
    const verifier = verifierFor(idp);
    expect((await verifier.verify(first)).sub).toBe((await verifier.verify(second)).sub);
  });

  it('mints tokens the verifier rejects when expired or for another client', async () => {
    const expired = await idp.mintToken('dave', { expiresInSeconds: -60 });
    await expect(verifierFor(idp).verify(expired)).rejects.toThrow(/expired/i);
    const token = await idp.mintToken('erin');
    await expect(verifierFor(idp, 'another-client').verify(token)).rejects.toThrow(/Client ID not allowed/);
  });

  it('answers 400 problem+json to a bad token request', async () => {
    for (const body of [{}, { username: '' }, { username: 'has space' }, { username: 'x', admin: 'yes' }]) {
      const response = await requestToken(idp, body);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});

describe('dev identity provider key persistence', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'imggen-idp-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps its key in <dataDir>/idp, so tokens minted before a restart still verify', async () => {
    const first = await startDevIdp({ port: 0, issuer: ISSUER, clientId: CLIENT_ID, dataDir });
    const token = await first.mintToken('alice');
    await first.close();
    expect((await stat(path.join(dataDir, 'idp', 'signing-key.json'))).mode & 0o777).toBe(0o600);

    const second = await startDevIdp({ port: 0, issuer: ISSUER, clientId: CLIENT_ID, dataDir });
    try {
      expect((await verifierFor(second).verify(token)).username).toBe('alice');
    } finally {
      await second.close();
    }
  });

  it('uses a fresh key per start without a data dir', async () => {
    const first = await startDevIdp({ port: 0, issuer: ISSUER, clientId: CLIENT_ID });
    const token = await first.mintToken('alice');
    await first.close();
    const second = await startDevIdp({ port: 0, issuer: ISSUER, clientId: CLIENT_ID });
    try {
      await expect(verifierFor(second).verify(token)).rejects.toThrow();
    } finally {
      await second.close();
    }
  });
});
