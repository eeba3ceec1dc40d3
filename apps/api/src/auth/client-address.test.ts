import { describe, expect, it } from 'vitest';
import {
  addressKey,
  clientAddress,
  DEFAULT_TRUSTED_PROXIES,
  parseTrustedProxies,
} from './client-address.ts';

const loopback = parseTrustedProxies(DEFAULT_TRUSTED_PROXIES);
const from = (socketAddress: string, forwardedFor?: string, trusted = loopback) =>
  clientAddress({ socketAddress, forwardedFor }, trusted);

describe('clientAddress', () => {
  it('is the socket peer when the peer is no trusted proxy, whatever X-Forwarded-For says', () => {
    expect(from('203.0.113.5', '10.0.0.1')).toBe('203.0.113.5');
    expect(from('::ffff:203.0.113.5', '10.0.0.1')).toBe('203.0.113.5');
  });

  it('behind the trusted dashboard proxy, the right-most forwarded hop', () => {
    expect(from('127.0.0.1', '203.0.113.5')).toBe('203.0.113.5');
    expect(from('::1', 'spoofed, 1.1.1.1, 203.0.113.5')).toBe('203.0.113.5');
    expect(from('::ffff:127.0.0.1', '198.51.100.2')).toBe('198.51.100.2');
  });

  it('walks through every trusted proxy of a chain, no further', () => {
    const trusted = parseTrustedProxies('127.0.0.1, 10.0.0.0/8');
    expect(from('127.0.0.1', '1.2.3.4, 203.0.113.5, 10.1.2.3', trusted)).toBe('203.0.113.5');
    expect(from('127.0.0.1', '10.1.2.3, 10.0.0.9', trusted)).toBe('10.1.2.3');
  });

  it('stops at a malformed hop and keeps the last good one', () => {
    expect(from('127.0.0.1', '203.0.113.5, not-an-ip')).toBe('127.0.0.1');
    expect(from('127.0.0.1', '')).toBe('127.0.0.1');
    expect(from('127.0.0.1')).toBe('127.0.0.1');
  });

  it('with TRUSTED_PROXIES=none never reads the header', () => {
    expect(from('127.0.0.1', '203.0.113.5', parseTrustedProxies('none'))).toBe('127.0.0.1');
  });
});

describe('parseTrustedProxies', () => {
  it('refuses what is not an address or CIDR block', () => {
    expect(() => parseTrustedProxies('localhost')).toThrow(/not an IP address/);
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow(/not an IP address/);
    expect(() => parseTrustedProxies('::1/129')).toThrow(/not an IP address/);
  });
});

describe('addressKey', () => {
  it('keeps IPv4 addresses, groups IPv6 by /64', () => {
    expect(addressKey('203.0.113.5')).toBe('203.0.113.5');
    expect(addressKey('2001:db8:0:1::5')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:DB8:0:1:ffff:1:2:3')).toBe('2001:db8:0:1::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});
