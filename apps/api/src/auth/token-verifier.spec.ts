import { describe, expect, it } from '@jest/globals';
import { generateKeyPair, SignJWT } from 'jose';
import type { ApiConfig } from '../config/api.config.js';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { InvalidTokenError, TokenVerifier, VERIFIED_TOKEN_TTL_MS } from './token-verifier.js';

async function signedToken(claims: Record<string, unknown>, issuer: string): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(issuer)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
}

describe(TokenVerifier.name, () => {
  it('uses the Cognito verifier when a user pool is configured, so only that pool’s issuer is trusted', async () => {
    const verifier = new TokenVerifier({ auth: { userPoolId: 'eu-west-1_AbC123', clientId: 'app' } } as ApiConfig);
    const token = await signedToken({ sub: 'u', token_use: 'access', client_id: 'app' }, 'http://127.0.0.1:9000');
    const failure = await verifier.verify(token).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InvalidTokenError);
    expect((failure as Error).message).toMatch(/issuer/i);
  });
});

/** The real verifier with its signature check replaced: counts the checks, answers with the given claims. */
class CountingVerifier extends TokenVerifier {
  checks = 0;
  time = Date.parse('2026-11-27T12:00:00Z');

  constructor(private readonly claims: (token: string, nowSeconds: number) => JwtPayload) {
    super({ auth: { issuer: 'http://127.0.0.1:9000', clientId: 'app' } } as ApiConfig);
    this.clock = { now: () => this.time };
  }

  protected override verifySignature(token: string): Promise<JwtPayload> {
    this.checks += 1;
    return Promise.resolve(this.claims(token, Math.floor(this.time / 1000)));
  }
}

const validFor =
  (seconds: number, extra: Partial<JwtPayload> = {}) =>
  (token: string, nowSeconds: number): JwtPayload => ({ sub: `user-${token}`, exp: nowSeconds + seconds, ...extra });

describe('TokenVerifier: verified tokens remembered', () => {
  it('checks a token once, then answers its next requests from memory with the same user', async () => {
    const verifier = new CountingVerifier(validFor(3600));
    const first = await verifier.verify('a');
    const second = await verifier.verify('a');
    expect(verifier.checks).toBe(1);
    expect(second).toEqual({ id: 'user-a', username: 'user-a', groups: [] });
    expect(second).toBe(first);
    await verifier.verify('b');
    expect(verifier.checks).toBe(2);
  });

  it('checks the token again once it has expired, so an expired token is refused', async () => {
    const exp = Math.floor(Date.parse('2026-11-27T12:00:00Z') / 1000) + 60;
    const verifier = new CountingVerifier((_token, nowSeconds) => {
      if (nowSeconds >= exp) {
        throw new Error('Token expired');
      }
      return { sub: 'u', exp };
    });
    await verifier.verify('t');
    verifier.time += 59_000;
    await verifier.verify('t');
    expect(verifier.checks).toBe(1);
    verifier.time += 1_000;
    await expect(verifier.verify('t')).rejects.toBeInstanceOf(InvalidTokenError);
    expect(verifier.checks).toBe(2);
  });

  it('remembers a long-lived token for at most VERIFIED_TOKEN_TTL_MS', async () => {
    const verifier = new CountingVerifier(validFor(86_400));
    await verifier.verify('t');
    verifier.time += VERIFIED_TOKEN_TTL_MS - 1;
    await verifier.verify('t');
    expect(verifier.checks).toBe(1);
    verifier.time += 1;
    await verifier.verify('t');
    expect(verifier.checks).toBe(2);
  });

  it('never remembers a refusal', async () => {
    let refuse = true;
    const verifier = new CountingVerifier((token, nowSeconds) => {
      if (refuse) {
        throw new Error('Invalid signature');
      }
      return validFor(3600)(token, nowSeconds);
    });
    await expect(verifier.verify('t')).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verifier.verify('t')).rejects.toBeInstanceOf(InvalidTokenError);
    refuse = false;
    await expect(verifier.verify('t')).resolves.toMatchObject({ id: 'user-t' });
    expect(verifier.checks).toBe(3);
  });

  it('shares a frozen user, so no request can change what the next one sees', async () => {
    const verifier = new CountingVerifier(validFor(3600, { 'cognito:groups': ['admins'] }));
    const user = await verifier.verify('t');
    expect(() => user.groups.push('other')).toThrow(TypeError);
    expect(() => Object.assign(user, { id: 'someone-else' })).toThrow(TypeError);
  });
});
