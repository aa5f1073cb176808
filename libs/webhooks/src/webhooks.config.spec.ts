import { describe, expect, it } from '@jest/globals';
import { DEFAULT_LOCAL_PORTS, localEnvironment } from '#libs/config';
import { loadWebhooksConfig } from './webhooks.config.js';

describe('loadWebhooksConfig', () => {
  it('defaults: no loopback, the local key file under LOCAL_DATA_DIR, the 24 h schedule, a 10 s timeout', () => {
    const config = loadWebhooksConfig({ LOCAL_DATA_DIR: '/tmp/x' }, 'local');
    expect(config).toMatchObject({
      allowLoopback: false,
      httpsOnly: false,
      localKeyFile: '/tmp/x/webhook-secrets.key',
      timeoutMs: 10_000,
      retry: { baseDelaySeconds: 30, factor: 3, maxDelaySeconds: 28_800, windowSeconds: 86_400 },
      rotationOverlapSeconds: 86_400,
    });
    expect(config.kmsKeyId).toBeUndefined();
  });

  it('refuses loopback receivers, a missing KMS key and a short retry window in AWS, where only https goes', () => {
    expect(() =>
      loadWebhooksConfig({ WEBHOOKS_ALLOW_LOOPBACK: 'true', WEBHOOKS_RETRY_WINDOW_SECONDS: '60' }, 'aws'),
    ).toThrow(
      /WEBHOOKS_ALLOW_LOOPBACK: must be false when APP_ENV=aws[\s\S]*WEBHOOKS_KMS_KEY_ID: required[\s\S]*WEBHOOKS_RETRY_WINDOW_SECONDS/,
    );
    const aws = loadWebhooksConfig({ WEBHOOKS_KMS_KEY_ID: 'alias/imggen-webhooks' }, 'aws');
    expect(aws).toMatchObject({ httpsOnly: true, allowLoopback: false, kmsKeyId: 'alias/imggen-webhooks' });
  });

  it('never lets an attempt last longer than 10 s', () => {
    expect(() => loadWebhooksConfig({ WEBHOOKS_TIMEOUT_MS: '10001' }, 'local')).toThrow(/WEBHOOKS_TIMEOUT_MS/);
  });

  it('make dev’s environment lets loopback receivers in (a script on 127.0.0.1); the default does not', () => {
    const dev = localEnvironment({ ports: DEFAULT_LOCAL_PORTS });
    expect(loadWebhooksConfig(dev, 'local').allowLoopback).toBe(true);
    expect(loadWebhooksConfig({ ...dev, WEBHOOKS_ALLOW_LOOPBACK: undefined }, 'local').allowLoopback).toBe(false);
  });
});
