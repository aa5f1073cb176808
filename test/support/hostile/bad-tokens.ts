import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import {
  base64url,
  type CryptoKey,
  decodeJwt,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { randomBytes } from 'node:crypto';
import { formatApiKey, parseApiKey } from '../../../apps/api/src/keys/api-key-format.js';
import { headerText, hostileString } from './strings.js';

/** The keys and names a bad token is made from: the api's trusted issuer (its private key too) and a stranger. */
export interface TokenKit {
  issuer: string;
  clientId: string;
  trusted: { kid: string; privateKey: CryptoKey; publicJwk: JWK };
  stranger: { privateKey: CryptoKey; publicJwk: JWK };
  /** A valid access token of the trusted issuer, to cut and tamper with. */
  validToken: string;
  /** API keys of the api: one still valid (only ever spoiled before use), one revoked. */
  apiKeys: { valid: string; revoked: string };
}

/** Reads the dev IdP's signing key from its data dir (see startDevIdp's `dataDir`). */
export async function tokenKit(options: {
  issuer: string;
  clientId: string;
  dataDir: string;
  validToken: string;
  apiKeys: { valid: string; revoked: string };
}): Promise<TokenKit> {
  const privateJwk = JSON.parse(await readFile(path.join(options.dataDir, 'idp', 'signing-key.json'), 'utf8')) as JWK;
  const { kid, kty, n, e } = privateJwk;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return {
    issuer: options.issuer,
    clientId: options.clientId,
    trusted: {
      kid: kid!,
      privateKey: (await importJWK(privateJwk, 'RS256')) as CryptoKey,
      publicJwk: { kty, n, e, kid, alg: 'RS256', use: 'sig' },
    },
    stranger: { privateKey, publicJwk: { ...(await exportJWK(publicKey)), alg: 'RS256' } },
    validToken: options.validToken,
    apiKeys: options.apiKeys,
  };
}

/** How a token is bad; `mintBadToken` makes the token (signing is asynchronous, arbitraries are not). */
export type BadTokenRecipe =
  | { kind: 'expired'; secondsAgo: number }
  | { kind: 'not yet valid'; claim: 'nbf' | 'iat'; secondsAhead: number }
  | { kind: 'signed by another key'; kid: 'trusted' | 'own' | 'none'; embedJwk: boolean }
  | { kind: 'wrong issuer'; issuer: string }
  | { kind: 'wrong client id'; clientId: unknown }
  | { kind: 'alg none'; alg: string; signature: string }
  | { kind: 'HS256 with the public key'; secret: 'pem' | 'jwk' | 'modulus' }
  | { kind: 'tampered payload'; claims: JWTPayload }
  | { kind: 'id token' }
  | { kind: 'missing claim'; claim: 'exp' | 'sub' | 'token_use' | 'client_id' | 'iss' }
  | { kind: 'claim of the wrong type'; claim: 'exp' | 'sub' | 'iat' | 'nbf'; value: unknown }
  | { kind: 'cut short'; keep: number }
  | { kind: 'garbage'; text: string }
  | { kind: 'malformed API key'; text: string }
  | { kind: 'revoked API key' }
  | { kind: 'API key with a wrong checksum'; index: number; char: string }
  | { kind: 'API key with a wrong secret' }
  | { kind: 'API key cut short'; keep: number };

/** Tokens stay under 8 KB, so that the request reaches the api rather than Node's header size limit. */
const MAX_CLAIM_JSON_LENGTH = 2000;

const weirdValue = fc
  .oneof(
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.oneof(hostileString, fc.integer()), { maxLength: 3 }),
    fc.dictionary(hostileString, hostileString, { maxKeys: 2 }),
  )
  .filter((value) => JSON.stringify(value).length <= MAX_CLAIM_JSON_LENGTH);
const shortHostileString = hostileString.filter((text) => JSON.stringify(text).length <= MAX_CLAIM_JSON_LENGTH);

export const badTokenRecipe: fc.Arbitrary<BadTokenRecipe> = fc.oneof(
  fc.record({ kind: fc.constant('expired'), secondsAgo: fc.integer({ min: 5, max: 10 * 365 * 86_400 }) }),
  fc.record({
    kind: fc.constant('not yet valid'),
    claim: fc.constantFrom('nbf', 'iat'),
    secondsAhead: fc.integer({ min: 300, max: 10 * 365 * 86_400 }),
  }),
  fc.record({
    kind: fc.constant('signed by another key'),
    kid: fc.constantFrom('trusted', 'own', 'none'),
    embedJwk: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('wrong issuer'), issuer: fc.oneof(shortHostileString, fc.webUrl()) }),
  fc.record({ kind: fc.constant('wrong client id'), clientId: weirdValue }),
  fc.record({
    kind: fc.constant('alg none'),
    alg: fc.constantFrom('none', 'None', 'NONE', 'nOnE', ''),
    signature: fc.constantFrom('', 'AAAA', 'not-a-signature'),
  }),
  fc.record({ kind: fc.constant('HS256 with the public key'), secret: fc.constantFrom('pem', 'jwk', 'modulus') }),
  fc.record({
    kind: fc.constant('tampered payload'),
    claims: fc.oneof(
      fc.constant<JWTPayload>({ 'cognito:groups': ['admin'] }),
      fc.record<JWTPayload>({ sub: shortHostileString }),
      fc.record<JWTPayload>({ exp: fc.integer({ min: 2_000_000_000, max: 4_000_000_000 }) }),
      fc.dictionary(shortHostileString, weirdValue, { minKeys: 1, maxKeys: 2 }),
    ),
  }),
  fc.record({ kind: fc.constant('id token') }),
  fc.record({
    kind: fc.constant('missing claim'),
    claim: fc.constantFrom('exp', 'sub', 'token_use', 'client_id', 'iss'),
  }),
  fc.constantFrom('exp', 'sub', 'iat', 'nbf').chain((claim) =>
    fc.record({
      kind: fc.constant('claim of the wrong type'),
      claim: fc.constant(claim),
      // a subject must be a non-empty string, the times numbers
      value: weirdValue.filter((value) =>
        claim === 'sub' ? typeof value !== 'string' || value === '' : typeof value !== 'number',
      ),
    }),
  ),
  fc.record({ kind: fc.constant('cut short'), keep: fc.integer({ min: 0, max: 2000 }) }),
  fc.record({
    kind: fc.constant('malformed API key'),
    text: fc.oneof(
      fc.constantFrom('igk_', 'igk_live_', 'igk_live__', 'igk_test_01JD0000000000000000000000_x', 'IGK_LIVE_x'),
      headerText(120).map((text) => `igk_live_${text}`),
      fc.base64String({ maxLength: 120 }).map((text) => `igk_${text}`),
    ),
  }),
  fc.record({ kind: fc.constant('revoked API key') }),
  fc.record({
    kind: fc.constant('API key with a wrong checksum'),
    index: fc.integer({ min: 1, max: 6 }),
    char: fc.constantFrom(...'0189AZaz'),
  }),
  fc.record({ kind: fc.constant('API key with a wrong secret') }),
  fc.record({ kind: fc.constant('API key cut short'), keep: fc.integer({ min: 0, max: 83 }) }),
  fc.record({
    kind: fc.constant('garbage'),
    text: fc.oneof(
      headerText(200),
      fc.base64String({ maxLength: 200 }),
      fc.array(fc.base64String({ maxLength: 60 }), { minLength: 2, maxLength: 5 }).map((parts) => parts.join('.')),
    ),
  }),
);

/** Authorization headers around a bad token: the scheme in the usual spellings, and some that are not Bearer. */
export const authorizationScheme: fc.Arbitrary<(token: string) => string> = fc.constantFrom(
  (token: string) => `Bearer ${token}`,
  (token: string) => `bearer ${token}`,
  (token: string) => `Bearer \t ${token}`,
  (token: string) => `Bearer ${token} ${token}`,
  (token: string) => `Basic ${token}`,
  (token: string) => token,
);

const claimsOf = (kit: TokenKit, overrides: Record<string, unknown> = {}): JWTPayload => {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: kit.issuer,
    sub: 'b5d0c8f4-0000-5000-8000-00000000beef',
    client_id: kit.clientId,
    token_use: 'access',
    username: 'mallory',
    iat: now,
    exp: now + 600,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
};

const signTrusted = (kit: TokenKit, claims: JWTPayload) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: kit.trusted.kid }).sign(kit.trusted.privateKey);

const encodeJson = (value: unknown) => base64url.encode(JSON.stringify(value));

export async function mintBadToken(kit: TokenKit, recipe: BadTokenRecipe): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  switch (recipe.kind) {
    case 'expired':
      return signTrusted(kit, claimsOf(kit, { iat: now - recipe.secondsAgo - 600, exp: now - recipe.secondsAgo }));
    case 'not yet valid':
      return signTrusted(
        kit,
        claimsOf(kit, { [recipe.claim]: now + recipe.secondsAhead, exp: now + recipe.secondsAhead + 600 }),
      );
    case 'signed by another key': {
      const kid = { trusted: kit.trusted.kid, own: 'stranger-key', none: undefined }[recipe.kid];
      const header = {
        alg: 'RS256',
        ...(kid ? { kid } : {}),
        ...(recipe.embedJwk ? { jwk: { ...kit.stranger.publicJwk, ...(kid ? { kid } : {}) } } : {}),
      };
      return new SignJWT(claimsOf(kit)).setProtectedHeader(header).sign(kit.stranger.privateKey);
    }
    case 'wrong issuer':
      return signTrusted(kit, claimsOf(kit, { iss: recipe.issuer === kit.issuer ? `${kit.issuer}/x` : recipe.issuer }));
    case 'wrong client id':
      return signTrusted(
        kit,
        claimsOf(kit, { client_id: recipe.clientId === kit.clientId ? `${kit.clientId}x` : recipe.clientId }),
      );
    case 'alg none':
      return `${encodeJson({ alg: recipe.alg, typ: 'JWT', kid: kit.trusted.kid })}.${encodeJson(claimsOf(kit))}.${recipe.signature}`;
    case 'HS256 with the public key': {
      const publicKey = (await importJWK(kit.trusted.publicJwk, 'RS256')) as CryptoKey;
      const secret = {
        pem: async () => new TextEncoder().encode(await exportSPKI(publicKey)),
        jwk: async () => new TextEncoder().encode(JSON.stringify(kit.trusted.publicJwk)),
        modulus: async () => base64url.decode(kit.trusted.publicJwk.n!),
      }[recipe.secret];
      return new SignJWT(claimsOf(kit)).setProtectedHeader({ alg: 'HS256', kid: kit.trusted.kid }).sign(await secret());
    }
    case 'tampered payload': {
      const [header, , signature] = kit.validToken.split('.');
      const payload = encodeJson({ ...decodeJwt(kit.validToken), ...recipe.claims });
      return `${header}.${payload}.${signature}`;
    }
    case 'id token': {
      const { client_id: _clientId, ...claims } = claimsOf(kit, { token_use: 'id', aud: kit.clientId });
      return signTrusted(kit, claims);
    }
    case 'missing claim':
      return signTrusted(kit, claimsOf(kit, { [recipe.claim]: undefined }));
    case 'claim of the wrong type':
      return signTrusted(kit, claimsOf(kit, { [recipe.claim]: recipe.value }));
    case 'cut short':
      return kit.validToken.slice(0, Math.min(recipe.keep, kit.validToken.length - 1));
    case 'garbage':
    case 'malformed API key':
      return recipe.text;
    case 'revoked API key':
      return kit.apiKeys.revoked;
    case 'API key with a wrong checksum': {
      const key = kit.apiKeys.valid;
      const at = key.length - recipe.index;
      const char = key[at] === recipe.char ? (recipe.char === '0' ? '1' : '0') : recipe.char;
      return `${key.slice(0, at)}${char}${key.slice(at + 1)}`;
    }
    case 'API key with a wrong secret':
      // well-formed, its checksum holds, the id exists: only the HMAC tells it apart
      return formatApiKey(parseApiKey(kit.apiKeys.valid)!.keyId, randomBytes(32));
    case 'API key cut short':
      return kit.apiKeys.valid.slice(0, recipe.keep);
  }
}
