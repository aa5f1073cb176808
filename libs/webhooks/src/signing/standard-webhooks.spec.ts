import { describe, expect, it } from '@jest/globals';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { formatSecret, generateSecretKey, parseSecret, signedHeaders } from './standard-webhooks.js';

// verified with the reference implementation (the standardwebhooks package), not with our own code
describe('Standard Webhooks signing', () => {
  const body = JSON.stringify({ type: 'job.completed', timestamp: '2026-11-27T00:00:00.000Z', data: { a: 'é' } });

  it('signs so that the reference implementation verifies with the whsec_ secret', () => {
    const key = generateSecretKey();
    const headers = signedHeaders([key], '01JD0000000000000000000000.completed', new Date(), body);
    expect(new Webhook(formatSecret(key)).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  it('refuses a changed body, id or timestamp, and another secret', () => {
    const key = generateSecretKey();
    const headers = signedHeaders([key], 'evt', new Date(), body);
    const hook = new Webhook(formatSecret(key));
    expect(() => hook.verify(body.replace('é', 'e'), { ...headers })).toThrow(WebhookVerificationError);
    expect(() => hook.verify(body, { ...headers, 'webhook-id': 'evt2' })).toThrow(WebhookVerificationError);
    const earlier = String(Number(headers['webhook-timestamp']) - 1);
    expect(() => hook.verify(body, { ...headers, 'webhook-timestamp': earlier })).toThrow(WebhookVerificationError);
    expect(() => new Webhook(formatSecret(generateSecretKey())).verify(body, { ...headers })).toThrow(
      WebhookVerificationError,
    );
  });

  it('during a rotation signs with both keys, space-separated, so either secret verifies', () => {
    const [next, previous] = [generateSecretKey(), generateSecretKey()];
    const headers = signedHeaders([next, previous], 'evt', new Date(), body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const key of [next, previous]) {
      expect(new Webhook(formatSecret(key)).verify(body, { ...headers })).toEqual(JSON.parse(body));
    }
  });

  it('round-trips the whsec_ form', () => {
    const key = generateSecretKey();
    expect(parseSecret(formatSecret(key))).toEqual(key);
    expect(formatSecret(key)).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(() => parseSecret('sk_abc')).toThrow();
  });
});
