import { CoreError } from '@challenges/core';

type Headers = Record<string, string | string[] | undefined>;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `http://localhost:3000/` and `HTTP://LOCALHOST:3000` name the origin a browser sends. */
export function parseOrigins(spec: string): string[] {
  return spec
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const url = URL.canParse(entry) ? new URL(entry) : null;
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
        throw new Error(`DASHBOARD_ORIGINS: '${entry}' is not an http(s) origin`);
      }
      return url.origin;
    });
}

export function defaultOrigins(webPort: number): string {
  return ['localhost', '127.0.0.1', '[::1]'].map((host) => `http://${host}:${webPort}`).join(',');
}

/**
 * The CSRF rule for every change made with the dashboard's session cookie. A browser lets any
 * site send a cookie-bearing form post (urlencoded, multipart or text/plain) without asking;
 * it only sends `application/json` cross-origin after a CORS preflight, which the api never
 * grants. And it sets `Origin` and `Sec-Fetch-Site` itself, so a page cannot forge them.
 * Both must hold: JSON, and either an allowed `Origin` or `Sec-Fetch-Site: same-origin`.
 */
export function assertSameOriginJson(headers: Headers, allowedOrigins: ReadonlySet<string>): void {
  const mediaType = single(headers['content-type'])?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new CoreError(
      'PERMISSION_DENIED',
      'dashboard changes must be sent as application/json (cross-site request refused)',
    );
  }
  const origin = single(headers.origin);
  if (origin !== undefined && allowedOrigins.has(origin)) return;
  if (single(headers['sec-fetch-site']) === 'same-origin') return;
  throw new CoreError(
    'PERMISSION_DENIED',
    `cross-site request refused: origin ${origin ?? '(none)'} is not a dashboard origin ` +
      '(DASHBOARD_ORIGINS)',
  );
}
