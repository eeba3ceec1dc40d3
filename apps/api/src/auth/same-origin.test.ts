import { isCoreError } from '@challenges/core';
import { describe, expect, it } from 'vitest';
import { assertSameOriginJson, defaultOrigins, parseOrigins } from './same-origin.ts';

const allowed = new Set(parseOrigins('https://live.example.com'));
const refusal = (headers: Record<string, string>) => {
  try {
    assertSameOriginJson(headers, allowed);
    return 'accepted';
  } catch (error) {
    return isCoreError(error) ? error.code : 'other';
  }
};
const json = { 'content-type': 'application/json; charset=utf-8' };

describe('assertSameOriginJson', () => {
  it('accepts JSON from an allowed Origin, or marked same-origin by the browser', () => {
    expect(refusal({ ...json, origin: 'https://live.example.com' })).toBe('accepted');
    expect(refusal({ ...json, 'sec-fetch-site': 'same-origin' })).toBe('accepted');
    expect(
      refusal({ ...json, origin: 'http://10.0.0.5:3000', 'sec-fetch-site': 'same-origin' }),
    ).toBe('accepted');
  });

  it('refuses other origins, null, same-site siblings and no evidence at all', () => {
    expect(refusal({ ...json, origin: 'https://evil.example' })).toBe('PERMISSION_DENIED');
    expect(refusal({ ...json, origin: 'null' })).toBe('PERMISSION_DENIED');
    expect(
      refusal({ ...json, origin: 'https://x.example.com', 'sec-fetch-site': 'same-site' }),
    ).toBe('PERMISSION_DENIED');
    expect(refusal(json)).toBe('PERMISSION_DENIED');
  });

  it('refuses every body type a cross-site form can send, from the right origin too', () => {
    const origin = 'https://live.example.com';
    for (const type of [
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded',
      'text/plain',
    ]) {
      expect(refusal({ origin, 'content-type': type })).toBe('PERMISSION_DENIED');
    }
    expect(refusal({ origin })).toBe('PERMISSION_DENIED');
    // Media types are case-insensitive and may have spaces before their parameters.
    expect(refusal({ origin, 'content-type': 'Application/JSON ; charset=utf-8' })).toBe(
      'accepted',
    );
  });

  it('tells the dashboard why, naming the origin it refused', () => {
    const message = (headers: Record<string, string>) => {
      try {
        assertSameOriginJson(headers, allowed);
        return null;
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(message({ origin: 'https://live.example.com', 'content-type': 'text/plain' })).toBe(
      'dashboard changes must be sent as application/json (cross-site request refused)',
    );
    expect(message({ ...json, origin: 'https://evil.example' })).toBe(
      'cross-site request refused: origin https://evil.example is not a dashboard origin (DASHBOARD_ORIGINS)',
    );
    expect(message(json)).toBe(
      'cross-site request refused: origin (none) is not a dashboard origin (DASHBOARD_ORIGINS)',
    );
  });
});

describe('DASHBOARD_ORIGINS', () => {
  it('normalises origins and refuses what is not one', () => {
    expect(parseOrigins(' HTTPS://Live.Example.com:443/ , http://a.test:8080')).toEqual([
      'https://live.example.com',
      'http://a.test:8080',
    ]);
    // Empty entries (a trailing comma, a blank between two) are skipped.
    expect(parseOrigins('http://a.test, , http://b.test,')).toEqual([
      'http://a.test',
      'http://b.test',
    ]);
    expect(() => parseOrigins('live.example.com')).toThrow(/not an http\(s\) origin/);
    expect(() => parseOrigins('ftp://x.test')).toThrow(/not an http\(s\) origin/);
  });

  it('defaults to the local dashboard on WEB_PORT', () => {
    expect(parseOrigins(defaultOrigins(3000))).toEqual([
      'http://localhost:3000',
      'http://127.0.0.1:3000',
      'http://[::1]:3000',
    ]);
  });
});
