import { type LookupAddress, lookup } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook may never reach unless allowed (docs/webhooks.md, SSRF): loopback,
 * private, carrier-grade NAT, link-local (cloud metadata 169.254.169.254), multicast, reserved,
 * and the IPv6 forms of the same (IPv4-mapped and NAT64 addresses included, since they reach
 * IPv4 hosts).
 */
// Two lists: a BlockList also matches an IPv4 address against IPv6 rules as ::ffff:a.b.c.d, so
// the IPv4-mapped rule below would refuse every IPv4 address if they shared one.
const BLOCKED_V4 = new BlockList();
const BLOCKED_V6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  BLOCKED_V4.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 127],
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED_V6.addSubnet(net, prefix, 'ipv6');
}

/** WEBHOOK_ALLOW_PRIVATE: `1` allows every address, else a comma-separated CIDR list. */
export interface WebhookAddressPolicy {
  allowAll: boolean;
  allowed: BlockList;
}

export function parseWebhookAllowList(value: string | undefined): WebhookAddressPolicy {
  const allowed = new BlockList();
  const raw = (value ?? '').trim();
  if (raw === '1' || raw === 'true') return { allowAll: true, allowed };
  for (const item of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [net, bits] = item.split('/');
    const family = isIP(net ?? '');
    if (!family) throw new Error(`WEBHOOK_ALLOW_PRIVATE: '${item}' is not an address or CIDR`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    allowed.addSubnet(net!, bits === undefined ? (family === 4 ? 32 : 128) : Number(bits), type);
  }
  return { allowAll: false, allowed };
}

/** Why `address` is refused, or null when a webhook may connect to it. */
export function refusedAddress(address: string, policy: WebhookAddressPolicy): string | null {
  const family = isIP(address);
  if (family === 0) return `'${address}' is not an IP address`;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (policy.allowAll || policy.allowed.check(address, type)) return null;
  return (family === 4 ? BLOCKED_V4 : BLOCKED_V6).check(address, type)
    ? `${address} is a private, loopback, link-local or reserved address`
    : null;
}

function resolveAll(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    lookup(hostname, { all: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );
}

/**
 * Resolves the URL's host and checks every address (a name with one public and one private
 * address is refused). null when the URL may be called; else why not, for the dashboard.
 */
export async function checkWebhookUrl(
  url: string,
  policy: WebhookAddressPolicy,
): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a valid URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return 'only http and https URLs are allowed';
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host)) return refusedAddress(host, policy);
  let addresses: LookupAddress[];
  try {
    addresses = await resolveAll(host);
  } catch (error) {
    return `cannot resolve ${host}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`;
  }
  for (const { address } of addresses) {
    const refused = refusedAddress(address, policy);
    if (refused) return `${host} resolves to ${refused}`;
  }
  return null;
}

/**
 * A `lookup` for the connection itself: the check above runs before a request, this one on the
 * addresses the socket really connects to, so a name that changes its answer in between (DNS
 * rebinding) is refused too.
 */
export function guardedLookup(policy: WebhookAddressPolicy) {
  return (
    hostname: string,
    options: { all?: boolean },
    callback: (
      error: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void,
  ): void => {
    resolveAll(hostname).then(
      (addresses) => {
        for (const { address } of addresses) {
          const refused = refusedAddress(address, policy);
          if (refused) return callback(Object.assign(new Error(refused), { code: 'EREFUSED' }), '');
        }
        if (options.all) return callback(null, addresses);
        const first = addresses[0]!;
        callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}
