import { lookup } from 'node:dns/promises';
import { type AddressPolicy, addressBlockReason, isIpLiteral, unbracket } from './address-policy.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to (node:dns lookup with `all`: what the OS resolver answers). */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: HostResolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

/** The delivery was refused before connecting: the host resolves (or is) somewhere the platform must not call. */
export class BlockedDestinationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BlockedDestinationError';
  }
}

/**
 * Resolves the host once and checks EVERY address it answers; one blocked address refuses the whole host (an
 * attacker's name may mix a public and a private answer). The caller connects to the address returned, never
 * resolving again, so a DNS answer that changes between the check and the connection (rebinding) cannot matter.
 */
export async function resolveChecked(
  hostname: string,
  policy: AddressPolicy,
  resolver: HostResolver = systemResolver,
): Promise<ResolvedAddress> {
  const host = unbracket(hostname);
  const addresses: ResolvedAddress[] = isIpLiteral(host)
    ? [{ address: host, family: host.includes(':') ? 6 : 4 }]
    : await resolver(host);
  if (addresses.length === 0) {
    throw new BlockedDestinationError(`${host} resolves to no address`);
  }
  for (const { address } of addresses) {
    const reason = addressBlockReason(address, policy);
    if (reason) {
      throw new BlockedDestinationError(`${host} resolves to ${reason}`);
    }
  }
  return addresses[0]!;
}
