import { describe, expect, it } from '@jest/globals';
import { generateKeyPair, SignJWT } from 'jose';
import type { ApiConfig } from '../config/api.config.js';
import { InvalidTokenError, TokenVerifier } from './token-verifier.js';

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
