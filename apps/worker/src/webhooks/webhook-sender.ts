import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import {
  type AddressPolicy,
  BlockedDestinationError,
  type HostResolver,
  isIpLiteral,
  MAX_RESPONSE_BYTES,
  type ResolvedAddress,
  resolveChecked,
  systemResolver,
  unbracket,
} from '#libs/webhooks';
import { bounded, TIMED_OUT } from '#libs/runtime';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface WebhookResponse {
  /** The receiver's status; absent when there was no answer. */
  statusCode?: number;
  durationMs: number;
  /** Why it did not succeed (absent on a 2xx). */
  error?: string;
  /** Refused before connecting (SSRF guard): trying again will not help. */
  blocked?: boolean;
}

export interface WebhookSenderOptions {
  policy: AddressPolicy;
  timeoutMs: number;
  resolver?: HostResolver;
}

/**
 * POSTs one webhook: resolves the host once and refuses it when any address is blocked, then connects to exactly
 * the address it checked (the socket's `lookup` answers with it, so no second DNS query can be rebound; TLS still
 * verifies the certificate against the host name). Follows no redirect, reads at most 64 KB of the answer, and
 * gives up after `timeoutMs` in all, the DNS lookup included.
 */
export class WebhookSender {
  constructor(private readonly options: WebhookSenderOptions) {}

  async send(request: WebhookRequest): Promise<WebhookResponse> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const url = new URL(request.url);
    let target: ResolvedAddress | typeof TIMED_OUT;
    try {
      // the DNS lookup counts towards the attempt's time limit too: a resolver that never answers cannot hold the
      // attempt (and its queue message) past it
      target = await bounded(
        resolveChecked(url.hostname, this.options.policy, this.options.resolver ?? systemResolver),
        this.options.timeoutMs,
      );
    } catch (error) {
      if (error instanceof BlockedDestinationError) {
        return { durationMs: elapsed(), error: `blocked: ${error.message}`, blocked: true };
      }
      return { durationMs: elapsed(), error: `DNS lookup failed: ${describe(error)}` };
    }
    if (target === TIMED_OUT) {
      return { durationMs: elapsed(), error: `no complete answer within ${this.options.timeoutMs} ms (DNS lookup)` };
    }
    const outcome = await this.post(url, target, request, Math.max(1, this.options.timeoutMs - elapsed()));
    return { ...outcome, durationMs: elapsed() };
  }

  private post(
    url: URL,
    target: ResolvedAddress,
    request: WebhookRequest,
    remainingMs: number,
  ): Promise<Omit<WebhookResponse, 'durationMs'>> {
    const host = unbracket(url.hostname);
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if (options.all) {
        callback(null, [{ address: target.address, family: target.family }]);
      } else {
        callback(null, target.address, target.family);
      }
    };
    const secure = url.protocol === 'https:';
    return new Promise((resolve) => {
      let settled = false;
      const finish = (outcome: Omit<WebhookResponse, 'durationMs'>): void => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          resolve(outcome);
        }
      };
      const options: https.RequestOptions = {
        method: 'POST',
        hostname: host,
        port: url.port || (secure ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        headers: {
          ...request.headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(request.body)),
          'user-agent': 'imggen-webhooks/1',
        },
        lookup: pinned,
        // a fresh connection per attempt: nothing pooled from another host or an earlier resolution
        agent: false,
        ...(secure && !isIpLiteral(host) ? { servername: host } : {}),
      };
      const req = (secure ? https : http).request(options, (res) => {
        const statusCode = res.statusCode ?? 0;
        let received = 0;
        const done = (): void => {
          const ok = statusCode >= 200 && statusCode < 300;
          const redirect = statusCode >= 300 && statusCode < 400;
          finish({
            statusCode,
            ...(ok
              ? {}
              : {
                  error: redirect
                    ? `the receiver answered ${statusCode}; redirects are not followed`
                    : `the receiver answered ${statusCode}`,
                }),
          });
          res.destroy();
        };
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received >= MAX_RESPONSE_BYTES) {
            // enough: the rest of the answer is not read
            done();
          }
        });
        res.on('end', done);
        res.on('error', done);
        res.on('aborted', done);
      });
      const timer = setTimeout(() => {
        finish({ error: `no complete answer within ${this.options.timeoutMs} ms` });
        req.destroy();
      }, remainingMs);
      req.on('error', (error) => finish({ error: `could not deliver: ${describe(error)}` }));
      req.end(request.body);
    });
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${code} ${error.message}`.trim() : error.message;
  }
  return String(error);
}
