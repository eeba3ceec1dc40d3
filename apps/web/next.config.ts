import type { NextConfig } from 'next';

/**
 * On every response, pages and /trpc alike. The Content-Security-Policy (with its per-request
 * nonce) is set by proxy.ts; `X-Frame-Options` repeats its `frame-ancestors 'none'` for
 * browsers that predate CSP 2.
 */
const SECURITY_HEADERS = [
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
];

const config: NextConfig = {
  poweredByHeader: false,
  async headers() {
    return [{ source: '/:path*', headers: SECURITY_HEADERS }];
  },
};

export default config;
