import { describe, expect, it } from '@jest/globals';
import { DEFAULT_LOCAL_PORTS, localEnvironment } from '#libs/config';
import { DEV_API_KEYS_SECRET, DEV_JOBS_CURSOR_SECRET, loadApiConfig } from './api.config.js';

describe('loadApiConfig', () => {
  const local = localEnvironment({ ports: DEFAULT_LOCAL_PORTS });
  /** What AWS needs for webhooks: no loopback receivers, a KMS key for the secrets. */
  const AWS_WEBHOOKS = { WEBHOOKS_ALLOW_LOOPBACK: 'false', WEBHOOKS_KMS_KEY_ID: 'alias/imggen-webhooks' };

  it('accepts the local environment and verifies tokens against the dev identity provider', () => {
    const config = loadApiConfig(local);
    expect(config.auth).toEqual({
      issuer: 'http://127.0.0.1:9000',
      jwksUri: 'http://127.0.0.1:9000/.well-known/jwks.json',
      clientId: 'imggen-local',
    });
    expect(config.http).toEqual({
      host: '127.0.0.1',
      port: 3000,
      bodyLimitBytes: 8192,
      corsOrigins: ['http://127.0.0.1:5173', 'http://localhost:5173'],
      trustProxyHops: 0,
      trustedProxies: ['loopback', 'uniquelocal'],
    });
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
    const inAws = { ...local, ...AWS_WEBHOOKS, APP_ENV: 'aws', API_KEYS_SECRET: 'k'.repeat(32) };

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

  describe('API_KEYS_SECRET and API_KEYS_CACHE_TTL_SECONDS', () => {
    const secret = 'k'.repeat(32);
    const inAws = { ...local, ...AWS_WEBHOOKS, APP_ENV: 'aws', JOBS_CURSOR_SECRET: 's'.repeat(32) };

    it('defaults to the development key locally and to a 5 s cache', () => {
      expect(loadApiConfig(local).apiKeys).toEqual({ secret: DEV_API_KEYS_SECRET, cacheTtlMs: 5000 });
      expect(loadApiConfig({ ...local, API_KEYS_CACHE_TTL_SECONDS: '2' }).apiKeys.cacheTtlMs).toBe(2000);
      expect(() => loadApiConfig({ ...local, API_KEYS_CACHE_TTL_SECONDS: '61' })).toThrow(/API_KEYS_CACHE_TTL_SECONDS/);
    });

    it('is required in AWS, not the development key, and at least 32 characters', () => {
      expect(() => loadApiConfig(inAws)).toThrow(/API_KEYS_SECRET: required when APP_ENV=aws/);
      expect(() => loadApiConfig({ ...inAws, API_KEYS_SECRET: DEV_API_KEYS_SECRET })).toThrow(/API_KEYS_SECRET/);
      expect(() => loadApiConfig({ ...inAws, API_KEYS_SECRET: 'k'.repeat(31) })).toThrow(
        /API_KEYS_SECRET: must be at least 32 characters/,
      );
      expect(loadApiConfig({ ...inAws, API_KEYS_SECRET: secret }).apiKeys.secret).toBe(secret);
    });
  });

  it('trusts the ALB in AWS and no proxy locally, unless told how many hops', () => {
    const aws = {
      ...local,
      ...AWS_WEBHOOKS,
      APP_ENV: 'aws',
      JOBS_CURSOR_SECRET: 's'.repeat(32),
      API_KEYS_SECRET: 'k'.repeat(32),
    };
    expect(loadApiConfig(aws).http.trustProxyHops).toBe(1);
    expect(loadApiConfig({ ...local, API_TRUST_PROXY_HOPS: '2' }).http.trustProxyHops).toBe(2);
    expect(loadApiConfig({ ...aws, API_TRUST_PROXY_HOPS: '0' }).http.trustProxyHops).toBe(0);
    expect(() => loadApiConfig({ ...local, API_TRUST_PROXY_HOPS: 'true' })).toThrow(/API_TRUST_PROXY_HOPS/);
    expect(loadApiConfig({ ...aws, API_TRUSTED_PROXIES: '10.0.0.0/16, 10.1.0.7' }).http.trustedProxies).toEqual([
      '10.0.0.0/16',
      '10.1.0.7',
    ]);
    expect(() => loadApiConfig({ ...aws, API_TRUSTED_PROXIES: 'alb.internal' })).toThrow(
      /API_TRUSTED_PROXIES.*alb\.internal is not an IP address/,
    );
  });

  it('allows browser origins from API_CORS_ORIGINS; none by default in AWS', () => {
    const aws = {
      ...local,
      ...AWS_WEBHOOKS,
      APP_ENV: 'aws',
      JOBS_CURSOR_SECRET: 's'.repeat(32),
      API_KEYS_SECRET: 'k'.repeat(32),
    };
    expect(loadApiConfig(aws).http.corsOrigins).toEqual([]);
    expect(
      loadApiConfig({ ...aws, API_CORS_ORIGINS: 'https://d111111abcdef8.cloudfront.net, https://app.example.com:8443' })
        .http.corsOrigins,
    ).toEqual(['https://d111111abcdef8.cloudfront.net', 'https://app.example.com:8443']);
    expect(() => loadApiConfig({ ...aws, API_CORS_ORIGINS: 'https://app.example.com/' })).toThrow(
      /API_CORS_ORIGINS.*https:\/\/app\.example\.com\/ is not an origin/,
    );
    expect(() => loadApiConfig({ ...aws, API_CORS_ORIGINS: '*' })).toThrow(/API_CORS_ORIGINS/);
  });

  it('caps presigned image URLs at one hour', () => {
    expect(loadApiConfig({ ...local, IMAGES_URL_TTL_SECONDS: '3600' }).images.urlTtlSeconds).toBe(3600);
    expect(() => loadApiConfig({ ...local, IMAGES_URL_TTL_SECONDS: '3601' })).toThrow(/IMAGES_URL_TTL_SECONDS/);
    expect(() => loadApiConfig({ ...local, IMAGES_URL_TTL_SECONDS: '604800' })).toThrow(/IMAGES_URL_TTL_SECONDS/);
  });
});
