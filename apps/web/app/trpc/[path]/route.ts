// Same origin for the browser: /trpc/* on the dashboard is forwarded to the api, so the api's
// http-only session cookie is set on, and sent to, this origin.
//
// A route handler rather than a next.config rewrite: Next bakes rewrite destinations into the
// build (measured: a build made with the default port kept proxying there when `next start`
// got another API_URL), while `npm start` builds once and the api port is configurable.

import { apiUrl } from '@/env';

export const dynamic = 'force-dynamic';

// Hop-by-hop headers and what fetch already decoded must not be passed on.
const DROP_REQUEST = new Set(['host', 'connection', 'content-length', 'accept-encoding']);
const DROP_RESPONSE = new Set([
  'connection',
  'content-encoding',
  'content-length',
  'transfer-encoding',
  'set-cookie',
]);

async function forward(request: Request): Promise<Response> {
  const { pathname, search } = new URL(request.url);
  const headers = new Headers();
  request.headers.forEach((value, name) => {
    if (!DROP_REQUEST.has(name)) headers.set(name, value);
  });
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let upstream: Response;
  try {
    upstream = await fetch(`${apiUrl()}${pathname}${search}`, {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
      redirect: 'manual',
    });
  } catch {
    return Response.json(
      { error: { message: 'the api is not reachable', data: { code: 'BAD_GATEWAY' } } },
      { status: 502 },
    );
  }
  const out = new Headers();
  upstream.headers.forEach((value, name) => {
    if (!DROP_RESPONSE.has(name)) out.set(name, value);
  });
  for (const cookie of upstream.headers.getSetCookie()) out.append('set-cookie', cookie);
  return new Response(upstream.body, { status: upstream.status, headers: out });
}

export const GET = forward;
export const POST = forward;
