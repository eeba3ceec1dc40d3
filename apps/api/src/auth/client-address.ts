import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** Where the dashboard's own proxy connects from by default: `npm start` runs it on this host. */
export const DEFAULT_TRUSTED_PROXIES = '127.0.0.1/8,::1';

/**
 * Parses TRUSTED_PROXIES: comma-separated addresses or CIDR blocks whose `X-Forwarded-For` is
 * believed; `none` trusts nobody. Throws on an entry that is neither.
 */
export function parseTrustedProxies(spec: string): BlockList {
  const list = new BlockList();
  if (spec.trim() === 'none') return list;
  for (const raw of spec.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const [address = '', bits] = entry.split('/');
    const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : null;
    const max = family === 'ipv4' ? 32 : 128;
    const prefix = bits === undefined ? max : Number(bits);
    if (!family || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
      throw new Error(`TRUSTED_PROXIES: '${entry}' is not an IP address or CIDR block`);
    }
    list.addSubnet(address, prefix, family);
  }
  return list;
}

/** `::ffff:1.2.3.4` (an IPv4 client of a dual-stack socket) is 1.2.3.4. */
function normalize(address: string): string | null {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed)?.[1];
  if (mapped && isIPv4(mapped)) return mapped;
  return isIPv4(trimmed) || isIPv6(trimmed) ? trimmed : null;
}

function trusts(list: BlockList, address: string): boolean {
  return list.check(address, isIPv4(address) ? 'ipv4' : 'ipv6');
}

/**
 * The address a sign-in is counted against. The socket's peer, unless that peer is a trusted
 * proxy: then `X-Forwarded-For` is read from the right (each proxy appends the address it saw)
 * and the first hop that is not itself a trusted proxy is the client. Entries left of it were
 * written by the client and are never believed.
 */
export function clientAddress(
  request: { socketAddress: string | undefined; forwardedFor: string | string[] | undefined },
  trusted: BlockList,
): string {
  let current = normalize(request.socketAddress ?? '') ?? 'unknown';
  if (current === 'unknown' || !trusts(trusted, current)) return current;
  const chain = [request.forwardedFor ?? []].flat().join(',').split(',');
  for (let i = chain.length - 1; i >= 0; i--) {
    const hop = normalize(chain[i] ?? '');
    if (hop === null) break;
    current = hop;
    if (!trusts(trusted, hop)) break;
  }
  return current;
}

function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  return [...left, ...Array<string>(Math.max(missing, 0)).fill('0'), ...right];
}

/**
 * The key a per-IP budget is kept under. An IPv6 host usually owns a whole /64, so counting
 * single addresses would let it rotate through 2^64 of them.
 */
export function addressKey(address: string): string {
  if (!isIPv6(address)) return address;
  const groups = expandIPv6(address.toLowerCase()).slice(0, 4);
  return `${groups.map((g) => Number.parseInt(g, 16).toString(16)).join(':')}::/64`;
}

/** `clientAddress` of an incoming HTTP request. */
export function requestAddress(
  req: {
    socket: { remoteAddress?: string };
    headers: Record<string, string | string[] | undefined>;
  },
  trusted: BlockList,
): string {
  return clientAddress(
    { socketAddress: req.socket.remoteAddress, forwardedFor: req.headers['x-forwarded-for'] },
    trusted,
  );
}
