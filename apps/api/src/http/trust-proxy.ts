import proxyAddr from '@fastify/proxy-addr';
import type { HttpConfig } from '../config/api.config.js';

/**
 * Fastify's trustProxy: believe X-Forwarded-For only across the configured number of proxies, each of which
 * must connect from a trusted address. Walking from the socket peer (hop 0) leftwards through the header,
 * the first address not vouched for is the client: what a client writes in the header itself is never used.
 * (Fastify refuses a bare hop count, which would believe any direct caller.)
 */
export function trustProxyOf(http: Pick<HttpConfig, 'trustProxyHops' | 'trustedProxies'>) {
  if (http.trustProxyHops === 0) {
    return false;
  }
  const trusted = proxyAddr.compile(http.trustedProxies);
  return (address: string, hop: number): boolean => hop < http.trustProxyHops && trusted(address, hop);
}
