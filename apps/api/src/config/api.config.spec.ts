import { describe, expect, it } from '@jest/globals';
import { DEFAULT_LOCAL_PORTS, localEnvironment } from '#libs/config';
import { DEV_JOBS_CURSOR_SECRET, loadApiConfig } from './api.config.js';

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

  describe('JOBS_CURSOR_SECRET', () => {
    const secret = 's'.repeat(32);
    const inAws = { ...local, APP_ENV: 'aws' };

    it('defaults to the documented development key locally and in tests', () => {
      expect(DEV_JOBS_CURSOR_SECRET).toBe('imggen-dev-cursor-secret-not-for-aws');
      expect(loadApiConfig(local).jobs).toEqual({ cursorSecret: DEV_JOBS_CURSOR_SECRET });
      expect(loadApiConfig({ ...local, APP_ENV: 'test' }).jobs.cursorSecret).toBe(DEV_JOBS_CURSOR_SECRET);
      expect(loadApiConfig({ ...local, JOBS_CURSOR_SECRET: '' }).jobs.cursorSecret).toBe(DEV_JOBS_CURSOR_SECRET);
      expect(loadApiConfig({ ...local, JOBS_CURSOR_SECRET: secret }).jobs.cursorSecret).toBe(secret);
    });

    it('is required in AWS, and not the development key', () => {
      expect(() => loadApiConfig(inAws)).toThrow(/JOBS_CURSOR_SECRET: required when APP_ENV=aws/);
      expect(() => loadApiConfig({ ...local, APP_ENV: undefined })).toThrow(/JOBS_CURSOR_SECRET/);
      expect(() => loadApiConfig({ ...inAws, JOBS_CURSOR_SECRET: DEV_JOBS_CURSOR_SECRET })).toThrow(
        /JOBS_CURSOR_SECRET: required when APP_ENV=aws \(at least 32 random characters, not the development default\)/,
      );
      expect(loadApiConfig({ ...inAws, JOBS_CURSOR_SECRET: secret }).jobs.cursorSecret).toBe(secret);
    });

    it('has at least 32 characters', () => {
      expect(() => loadApiConfig({ ...local, JOBS_CURSOR_SECRET: 's'.repeat(31) })).toThrow(
        /JOBS_CURSOR_SECRET: must be at least 32 characters/,
      );
      expect(() => loadApiConfig({ ...inAws, JOBS_CURSOR_SECRET: 's'.repeat(31) })).toThrow(
        /JOBS_CURSOR_SECRET: must be at least 32 characters/,
      );
    });
  });
});
