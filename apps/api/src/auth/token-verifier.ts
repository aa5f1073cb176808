import { Inject, Injectable } from '@nestjs/common';
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { LRUCache } from 'lru-cache';
import { API_CONFIG, type ApiConfig } from '../config/api.config.js';
import type { Clock } from '../keys/api-key-verifier.js';
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

/** Tokens whose verification is remembered, the most recently used first (about 1 KB each). */
export const VERIFIED_TOKENS_CACHED = 2_000;
/** The longest a verification is remembered, well within a token's own lifetime (Cognito's: 5 min to 1 day). */
export const VERIFIED_TOKEN_TTL_MS = 5 * 60_000;

/**
 * Verifies Cognito-style access tokens: Cognito's verifier in AWS, a generic issuer + JWKS verifier locally.
 * A client sends the same token with every request until it expires, so a verified token is remembered (by its
 * exact text, until its `exp` and at most VERIFIED_TOKEN_TTL_MS): its next requests skip the signature check,
 * which was the largest part of the api's own CPU time on a read. Failures are never remembered.
 */
@Injectable()
export class TokenVerifier {
  private readonly verifyToken: Verify;
  private readonly verified: LRUCache<string, AuthUser>;
  protected clock: Clock = { now: () => Date.now() };

  constructor(@Inject(API_CONFIG) { auth }: ApiConfig) {
    this.verified = new LRUCache<string, AuthUser>({
      max: VERIFIED_TOKENS_CACHED,
      ttlResolution: 0,
      perf: { now: () => this.clock.now() },
    });
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
    const remembered = this.verified.get(token);
    if (remembered) {
      return remembered;
    }
    return this.verifyUncached(token);
  }

  /** The signature and claims check itself (aws-jwt-verify); tests replace it to count the checks. */
  protected verifySignature(token: string): Promise<JwtPayload> {
    return this.verifyToken(token);
  }

  private async verifyUncached(token: string): Promise<AuthUser> {
    let payload: JwtPayload;
    try {
      payload = await this.verifySignature(token);
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
    // shared by every request that brings this token: frozen, so that none can change it for the others
    const user: AuthUser = Object.freeze({
      id: payload.sub,
      username: typeof payload.username === 'string' ? payload.username : payload.sub,
      groups: Object.freeze(
        Array.isArray(groups) ? groups.filter((group): group is string => typeof group === 'string') : [],
      ) as string[],
    });
    // lru-cache serves an entry until its age exceeds `ttl`: one ms less, so none is served at or past its end
    const ttl = Math.min(VERIFIED_TOKEN_TTL_MS, payload.exp * 1000 - this.clock.now()) - 1;
    if (ttl > 0) {
      this.verified.set(token, user, { ttl });
    }
    return user;
  }
}
