import ipaddr from 'ipaddr.js';

/** What the guard lets through besides public unicast addresses: loopback only, for local receivers (never in AWS). */
export interface AddressPolicy {
  allowLoopback: boolean;
}

const GLOBAL_UNICAST_IPV6 = ipaddr.parseCIDR('2000::/3');

/**
 * Why an address may not receive a webhook, or undefined when it may. Only ipaddr.js's `unicast` (globally routed)
 * range passes; every special-purpose range it knows is refused: for IPv4 unspecified 0/8, broadcast, multicast
 * 224/4, link-local 169.254/16 (the instance metadata and Amazon DNS addresses), loopback 127/8, carrier-grade NAT
 * 100.64/10, private 10/8, 172.16/12, 192.168/16, reserved (192.0.0/24, TEST-NETs, 198.18/15 benchmarking,
 * 192.88.99/24, 240/4), AS112, AMT; for IPv6 unspecified ::, loopback ::1, link-local fe80::/10, unique-local
 * fc00::/7 (fd00::/8, fd00:ec2::254 included), multicast ff00::/8, site-local fec0::/10, discard 100::/64, NAT64
 * 64:ff9b::/96 and 64:ff9b:1::/48, 6to4 2002::/16, Teredo 2001::/32, IPv4-translated ::ffff:0:0:0/96, ORCHID,
 * documentation 2001:db8::/32, benchmarking, segment routing; IPv4-mapped IPv6 (::ffff:a.b.c.d) is judged as
 * the IPv4 address it carries. An IPv6 address must moreover be global unicast (2000::/3, RFC 4291): that refuses the
 * deprecated IPv4-compatible ::/96 (::127.0.0.1, which some hosts route to IPv4) and unassigned space, which
 * ipaddr.js calls `unicast` too. Anything that does not parse as an address is refused.
 */
export function addressBlockReason(address: string, policy: AddressPolicy): string | undefined {
  if (!ipaddr.isValid(address)) {
    return `${address} is not an IP address`;
  }
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  if (range === 'unicast') {
    return parsed.kind() === 'ipv6' && !parsed.match(GLOBAL_UNICAST_IPV6)
      ? `${address} is in a blocked range (not global unicast 2000::/3)`
      : undefined;
  }
  if (range === 'loopback' && policy.allowLoopback) {
    return undefined;
  }
  return `${address} is in a blocked range (${range})`;
}

/** True for an IP literal (IPv4 dotted, IPv6, or IPv6 in URL brackets). */
export function isIpLiteral(host: string): boolean {
  return ipaddr.isValid(unbracket(host));
}

export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
