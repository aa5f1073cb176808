import { WEBHOOK_URL_MAX_LENGTH } from '#libs/contracts';
import { type AddressPolicy, addressBlockReason, isIpLiteral, unbracket } from './address-policy.js';

export interface WebhookUrlPolicy extends AddressPolicy {
  /** AWS: only https on port 443. Locally http is allowed too (a receiver script on 127.0.0.1). */
  httpsOnly: boolean;
}

/** Host names that always mean this machine; refused unless loopback is allowed. */
const LOCAL_NAMES = /(^|\.)localhost\.?$/i;

/**
 * What is clearly wrong with a webhook URL at submit time (undefined when nothing is): not an absolute http(s) URL,
 * credentials in it, a fragment, not https on 443 where that is required, `localhost`, or an IP literal in a blocked
 * range. A host name that resolves somewhere blocked is caught at delivery, where DNS is resolved and pinned.
 */
export function webhookUrlProblem(value: string, policy: WebhookUrlPolicy): string | undefined {
  if (value.length > WEBHOOK_URL_MAX_LENGTH) {
    return `must be at most ${WEBHOOK_URL_MAX_LENGTH} characters`;
  }
  if (!URL.canParse(value)) {
    return 'must be an absolute URL';
  }
  const url = new URL(value);
  if (policy.httpsOnly) {
    if (url.protocol !== 'https:') {
      return 'must be an https URL';
    }
    if (url.port !== '' && url.port !== '443') {
      return 'must use port 443';
    }
  } else if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return 'must be an http or https URL';
  }
  if (url.username !== '' || url.password !== '') {
    return 'must not hold credentials';
  }
  if (url.hash !== '') {
    return 'must not have a fragment';
  }
  const host = unbracket(url.hostname);
  if (isIpLiteral(host)) {
    const reason = addressBlockReason(host, policy);
    return reason ? `must not point at a private or reserved address: ${reason}` : undefined;
  }
  if (LOCAL_NAMES.test(host)) {
    return policy.allowLoopback ? undefined : 'must not point at this machine (localhost)';
  }
  if (policy.httpsOnly && !host.includes('.')) {
    return 'must name a host with a domain (e.g. hooks.example.com)';
  }
  return undefined;
}
