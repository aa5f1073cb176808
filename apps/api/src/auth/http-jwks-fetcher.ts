import type { Fetcher } from 'aws-jwt-verify/https';

/**
 * aws-jwt-verify's default fetcher speaks https only; the local identity provider serves its JWKS over
 * plain http on 127.0.0.1, so locally the JWKS is fetched with Node's fetch instead.
 */
export class HttpJwksFetcher implements Fetcher {
  async fetch(uri: string): Promise<ArrayBuffer> {
    const response = await fetch(uri, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) {
      throw new Error(`JWKS fetch from ${uri} answered ${response.status}`);
    }
    return response.arrayBuffer();
  }
}
