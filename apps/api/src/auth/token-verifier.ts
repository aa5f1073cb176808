import { Inject, Injectable } from '@nestjs/common';
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { API_CONFIG, type ApiConfig } from '../config/api.config.js';
import type { AuthUser } from './auth-user.js';
import { HttpJwksFetcher } from './http-jwks-fetcher.js';

export class InvalidTokenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidTokenError';
  }
}

type Verify = (token: string) => Promise<JwtPayload>;

/** How far ahead of this server's clock a token's `iat` may be: the issuer's clock may run a little fast. */
export const ISSUED_AT_LEEWAY_SECONDS = 60;

/** Verifies Cognito-style access tokens: Cognito's verifier in AWS, a generic issuer + JWKS verifier locally. */
@Injectable()
export class TokenVerifier {
  private readonly verifyToken: Verify;

  constructor(@Inject(API_CONFIG) { auth }: ApiConfig) {
    if (auth.userPoolId) {
      const verifier = CognitoJwtVerifier.create({
        userPoolId: auth.userPoolId,
        tokenUse: 'access',
        clientId: auth.clientId,
      });
      this.verifyToken = (token) => verifier.verify(token);
    } else {
      const issuer = auth.issuer!;
      const jwksUri = auth.jwksUri ?? `${issuer}/.well-known/jwks.json`;
      const properties = {
        issuer,
        jwksUri,
        // Cognito access tokens carry no `aud`; the app client is checked through `client_id` instead.
        audience: null,
        customJwtCheck: ({ payload }: { payload: JwtPayload }) =>
          validateCognitoJwtFields(payload, { tokenUse: 'access', clientId: auth.clientId }),
      };
      const verifier = jwksUri.startsWith('http:')
        ? JwtVerifier.create(properties, { jwksCache: new SimpleJwksCache({ fetcher: new HttpJwksFetcher() }) })
        : JwtVerifier.create(properties);
      this.verifyToken = (token) => verifier.verify(token);
    }
  }

  async verify(token: string): Promise<AuthUser> {
    let payload: JwtPayload;
    try {
      payload = await this.verifyToken(token);
    } catch (error) {
      throw new InvalidTokenError(error instanceof Error ? error.message : 'token verification failed', {
        cause: error,
      });
    }
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) {
      throw new InvalidTokenError('token has no subject');
    }
    // aws-jwt-verify checks `exp` only when present; a token without one would never expire
    if (typeof payload.exp !== 'number') {
      throw new InvalidTokenError('token has no expiry');
    }
    // aws-jwt-verify checks `nbf` but not `iat`: a token issued in the future was minted by a wrong clock or a forger
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + ISSUED_AT_LEEWAY_SECONDS) {
      throw new InvalidTokenError('token was issued in the future');
    }
    const groups = payload['cognito:groups'];
    return {
      id: payload.sub,
      username: typeof payload.username === 'string' ? payload.username : payload.sub,
      groups: Array.isArray(groups) ? groups.filter((group): group is string => typeof group === 'string') : [],
    };
  }
}
