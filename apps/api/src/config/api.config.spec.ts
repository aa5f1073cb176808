import { describe, expect, it } from '@jest/globals';
import { DEFAULT_LOCAL_PORTS, localEnvironment } from '#libs/config';
import { loadApiConfig } from './api.config.js';

describe('loadApiConfig', () => {
  const local = localEnvironment({ ports: DEFAULT_LOCAL_PORTS });

  it('accepts the local environment and verifies tokens against the dev identity provider', () => {
    const config = loadApiConfig(local);
    expect(config.auth).toEqual({
      issuer: 'http://127.0.0.1:9000',
      jwksUri: 'http://127.0.0.1:9000/.well-known/jwks.json',
      clientId: 'imggen-local',
    });
    expect(config.http).toEqual({ host: '127.0.0.1', port: 3000, bodyLimitBytes: 8192 });
    expect(config.images.urlTtlSeconds).toBe(900);
  });

  it('needs an issuer or a Cognito user pool', () => {
    const { AUTH_ISSUER: _issuer, AUTH_JWKS_URI: _jwks, ...withoutIssuer } = local;
    expect(() => loadApiConfig(withoutIssuer)).toThrow(/AUTH_ISSUER/);
    expect(loadApiConfig({ ...withoutIssuer, AUTH_COGNITO_USER_POOL_ID: 'eu-west-1_AbC123' }).auth.userPoolId).toBe(
      'eu-west-1_AbC123',
    );
    expect(() => loadApiConfig({ ...withoutIssuer, AUTH_COGNITO_USER_POOL_ID: 'local_abc' })).toThrow(
      /AUTH_COGNITO_USER_POOL_ID/,
    );
  });

  it('never allows bodies above the 8 KB that AWS WAF lets through', () => {
    expect(() => loadApiConfig({ ...local, API_BODY_LIMIT_BYTES: '9000' })).toThrow(/API_BODY_LIMIT_BYTES/);
  });

  it('caps presigned image URLs at one hour', () => {
    expect(loadApiConfig({ ...local, IMAGES_URL_TTL_SECONDS: '3600' }).images.urlTtlSeconds).toBe(3600);
    expect(() => loadApiConfig({ ...local, IMAGES_URL_TTL_SECONDS: '3601' })).toThrow(/IMAGES_URL_TTL_SECONDS/);
    expect(() => loadApiConfig({ ...local, IMAGES_URL_TTL_SECONDS: '604800' })).toThrow(/IMAGES_URL_TTL_SECONDS/);
  });
});
