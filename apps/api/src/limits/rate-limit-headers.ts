/**
 * One quota policy as the RateLimit-Policy and RateLimit fields describe it (draft-ietf-httpapi-ratelimit-headers-11:
 * both are Structured Field Lists of Items whose value is the policy's name as a String).
 */
export interface PolicyReport {
  name: string;
  /** `q`: the quota of the policy, in its units. */
  quota: number;
  /** `w`: the window in seconds; absent for a policy without one (jobs in flight). */
  windowSeconds?: number;
  /** `qu`: absent means the draft's default, requests. */
  unit?: 'concurrent-requests';
  /** `r`: the quota still available. */
  remaining: number;
  /** `t`: seconds until the available quota is restored; absent when no time restores it. */
  resetSeconds?: number;
}

export const RATE_LIMIT_POLICY_HEADER = 'RateLimit-Policy';
export const RATE_LIMIT_HEADER = 'RateLimit';

/** `RateLimit-Policy: "requests-per-minute";q=120;w=60` and `RateLimit: "requests-per-minute";r=119;t=42`. */
export function rateLimitHeaders(reports: readonly PolicyReport[]): Record<string, string> {
  if (reports.length === 0) {
    return {};
  }
  const policies = reports.map((report) =>
    item(report.name, [
      ['q', integer(report.quota)],
      ['qu', report.unit === undefined ? undefined : sfString(report.unit)],
      ['w', report.windowSeconds === undefined ? undefined : integer(report.windowSeconds)],
    ]),
  );
  const limits = reports.map((report) =>
    item(report.name, [
      ['r', integer(report.remaining)],
      ['t', report.resetSeconds === undefined ? undefined : integer(report.resetSeconds)],
    ]),
  );
  return { [RATE_LIMIT_POLICY_HEADER]: policies.join(', '), [RATE_LIMIT_HEADER]: limits.join(', ') };
}

function item(name: string, parameters: [string, string | undefined][]): string {
  return [
    sfString(name),
    ...parameters.flatMap(([key, value]) => (value === undefined ? [] : [`${key}=${value}`])),
  ].join(';');
}

/** An sf-string: printable ASCII in quotes, with `"` and `\` escaped (RFC 9651 section 3.3.3). */
function sfString(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) {
    throw new Error(`not a Structured Field string: ${JSON.stringify(value)}`);
  }
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** A non-negative sf-integer (quotas, windows and seconds are never negative nor fractional). */
function integer(value: number): string {
  return String(Math.max(0, Math.floor(value)));
}
