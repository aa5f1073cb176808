import { describe, expect, it } from '@jest/globals';
import { ConfigValidationError } from '#libs/config';
import { DEFAULT_IDEMPOTENCY, loadIdempotencyConfig } from './idempotency.config.js';

describe(loadIdempotencyConfig.name, () => {
  it('keeps answers 24 h, holds a claim 5 min and waits 3 s by default', () => {
    expect(loadIdempotencyConfig({})).toEqual({ keyTtlSeconds: 86_400, claimSeconds: 300, waitMs: 3_000 });
    expect(DEFAULT_IDEMPOTENCY).toEqual(loadIdempotencyConfig({}));
  });

  it('reads the variables', () => {
    expect(
      loadIdempotencyConfig({
        IDEMPOTENCY_KEY_TTL_SECONDS: '3600',
        IDEMPOTENCY_CLAIM_SECONDS: '60',
        IDEMPOTENCY_WAIT_MS: '500',
      }),
    ).toEqual({ keyTtlSeconds: 3600, claimSeconds: 60, waitMs: 500 });
  });

  it.each([
    ['IDEMPOTENCY_KEY_TTL_SECONDS', '0'],
    ['IDEMPOTENCY_KEY_TTL_SECONDS', String(7 * 86_400 + 1)],
    ['IDEMPOTENCY_CLAIM_SECONDS', '3601'],
    ['IDEMPOTENCY_WAIT_MS', '30001'],
    ['IDEMPOTENCY_WAIT_MS', 'soon'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadIdempotencyConfig({ [name]: value })).toThrow(ConfigValidationError);
  });
});
