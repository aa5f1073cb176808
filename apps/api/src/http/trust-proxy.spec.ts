import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import proxyAddr from '@fastify/proxy-addr';
import { trustProxyOf } from './trust-proxy.js';

/** The client address Fastify derives for a request from `peer` carrying `forwardedFor`. */
function clientIp(trust: ReturnType<typeof trustProxyOf>, peer: string, forwardedFor: string): string {
  const request = { socket: { remoteAddress: peer }, headers: { 'x-forwarded-for': forwardedFor } };
  return trust === false ? peer : proxyAddr(request as unknown as IncomingMessage, trust);
}

describe('trustProxyOf', () => {
  const behindAlb = trustProxyOf({ trustProxyHops: 1, trustedProxies: ['10.0.0.0/16'] });

  it('believes no X-Forwarded-For with 0 hops', () => {
    expect(trustProxyOf({ trustProxyHops: 0, trustedProxies: ['loopback'] })).toBe(false);
  });

  it('takes the address the ALB appended, not what the client wrote before it', () => {
    expect(clientIp(behindAlb, '10.0.3.4', '203.0.113.9')).toBe('203.0.113.9');
    expect(clientIp(behindAlb, '10.0.3.4', '6.6.6.6, 203.0.113.9')).toBe('203.0.113.9');
    expect(clientIp(behindAlb, '10.0.3.4', '10.0.9.9, 203.0.113.9')).toBe('203.0.113.9');
  });

  it('believes no more hops than configured, even from trusted addresses', () => {
    expect(clientIp(behindAlb, '10.0.3.4', '6.6.6.6, 10.0.7.7')).toBe('10.0.7.7');
  });

  it('ignores the header from a peer that is not a trusted proxy', () => {
    expect(clientIp(behindAlb, '198.51.100.1', '6.6.6.6')).toBe('198.51.100.1');
  });
});
