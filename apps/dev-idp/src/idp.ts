import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { calculateJwkThumbprint, type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { z } from 'zod';

/** Cognito's limits for access tokens are 5 min to 1 day; negative values mint already-expired tokens for tests. */
const MAX_EXPIRES_IN_SECONDS = 24 * 3600;
export const DEFAULT_EXPIRES_IN_SECONDS = 12 * 3600;
const ALG = 'RS256';
const KEY_FILE = 'signing-key.json';

export interface DevIdpOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** The `iss` of every token (AUTH_ISSUER); the api trusts exactly this string. */
  issuer: string;
  /** The `client_id` of every token (AUTH_CLIENT_ID). */
  clientId: string;
  /** Keeps the signing key in `<dataDir>/idp/` so tokens survive restarts; a fresh in-memory key when omitted. */
  dataDir?: string;
  logger?: FastifyServerOptions['logger'];
}

export interface MintOptions {
  admin?: boolean;
  expiresInSeconds?: number;
}

export interface RunningDevIdp {
  url: string;
  port: number;
  mintToken(username: string, options?: MintOptions): Promise<string>;
  close(): Promise<void>;
}

const tokenRequestSchema = z.object({
  username: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u, 'letters, digits and symbols only, no spaces (like Cognito usernames)'),
  admin: z.boolean().default(false),
  expiresInSeconds: z.number().int().min(-MAX_EXPIRES_IN_SECONDS).max(MAX_EXPIRES_IN_SECONDS).optional(),
});

/** Fixed namespace for the UUIDv5 subjects, so a username maps to the same `sub` on every machine. */
const SUB_NAMESPACE = 'b5d0c8f4-6a47-4f8e-9a36-1c6f2f0e7a11';

/** RFC 9562 UUID version 5 (SHA-1, name-based) of the username: stable, like a Cognito user's `sub`. */
export function subjectFor(username: string): string {
  const namespace = Buffer.from(SUB_NAMESPACE.replaceAll('-', ''), 'hex');
  const bytes = createHash('sha1').update(namespace).update(username, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function newKey(): Promise<{ key: SigningKey; privateJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: ALG, use: 'sig' };
  return { key: { kid, privateKey, publicJwk: { ...publicJwk, kid, alg: ALG, use: 'sig' } }, privateJwk };
}

async function keyFromJwk(privateJwk: JWK): Promise<SigningKey> {
  const { kid, kty, n, e } = privateJwk;
  if (!kid || kty !== 'RSA' || !n || !e) {
    throw new Error('not an RSA private JWK with a kid');
  }
  const privateKey = await importJWK(privateJwk, ALG);
  if (privateKey instanceof Uint8Array) {
    throw new Error('the JWK imported as a symmetric secret, not an RSA key');
  }
  return { kid, privateKey, publicJwk: { kty, n, e, kid, alg: ALG, use: 'sig' } };
}

/** Loads `<dataDir>/idp/signing-key.json`, or creates it (mode 0600, written atomically) on first start. */
async function loadOrCreateKey(dataDir: string | undefined): Promise<SigningKey> {
  if (dataDir === undefined) {
    return (await newKey()).key;
  }
  const dir = path.resolve(dataDir, 'idp');
  const file = path.join(dir, KEY_FILE);
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
  }
  if (text !== undefined) {
    try {
      return await keyFromJwk(JSON.parse(text) as JWK);
    } catch (error) {
      throw new Error(`${file} is not a usable signing key (delete it to get a new one): ${String(error)}`, {
        cause: error,
      });
    }
  }
  const { key, privateJwk } = await newKey();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, file);
  return key;
}

/**
 * A local stand-in for Cognito: serves a JWKS and mints RS256 tokens shaped like Cognito access tokens
 * (no `aud`; `client_id`, `token_use: "access"`, `cognito:groups` for admins).
 */
export async function startDevIdp(options: DevIdpOptions): Promise<RunningDevIdp> {
  const { host = '127.0.0.1', port, issuer, clientId, dataDir, logger = false } = options;
  const key = await loadOrCreateKey(dataDir);

  const mintToken = async (username: string, mint: MintOptions = {}): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = mint.expiresInSeconds ?? DEFAULT_EXPIRES_IN_SECONDS;
    return new SignJWT({
      ...(mint.admin ? { 'cognito:groups': ['admin'] } : {}),
      client_id: clientId,
      token_use: 'access',
      scope: 'openid profile',
      auth_time: now,
      username,
    })
      .setProtectedHeader({ alg: ALG, kid: key.kid })
      .setIssuer(issuer)
      .setSubject(subjectFor(username))
      .setIssuedAt(now)
      .setExpirationTime(now + expiresIn)
      .setJti(randomUUID())
      .sign(key.privateKey);
  };

  const app = Fastify({ logger });
  app.get('/.well-known/jwks.json', () => Promise.resolve({ keys: [key.publicJwk] }));
  app.get('/.well-known/openid-configuration', () =>
    Promise.resolve({
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      token_endpoint: `${issuer}/token`,
      id_token_signing_alg_values_supported: [ALG],
    }),
  );
  app.get('/health', () => Promise.resolve({ status: 'ok' }));
  app.post('/token', async (request, reply) => {
    const parsed = tokenRequestSchema.safeParse(request.body ?? {});
    if (!parsed.success) {
      return reply
        .status(400)
        .type('application/problem+json')
        .send({
          type: 'about:blank',
          title: 'Bad Request',
          status: 400,
          detail: 'expected {"username": string, "admin"?: boolean, "expiresInSeconds"?: integer}',
          errors: parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })),
        });
    }
    const { username, admin, expiresInSeconds } = parsed.data;
    const expiresIn = expiresInSeconds ?? DEFAULT_EXPIRES_IN_SECONDS;
    return {
      access_token: await mintToken(username, { admin, expiresInSeconds: expiresIn }),
      token_type: 'Bearer',
      expires_in: expiresIn,
    };
  });

  await app.listen({ host, port });
  const actualPort = (app.server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    mintToken,
    close: () => app.close(),
  };
}
