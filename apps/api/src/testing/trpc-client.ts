import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '../trpc/router.ts';
import { TEST_DASHBOARD_ORIGIN, type TestApi } from './test-api.ts';

export type TrpcTestClient = ReturnType<typeof createTRPCClient<AppRouter>>;

export interface CookieClient {
  client: TrpcTestClient;
  /** Cookies the server set, by name (a browser's jar, minus domains and expiry dates). */
  cookies: Map<string, string>;
  /** Raw Set-Cookie headers of the last response. */
  lastSetCookie: string[];
}

/**
 * A tRPC client over real HTTP whose fetch keeps cookies like a browser would, and sends the
 * `Origin` a browser on the dashboard would (`origin: null` sends none). `frozen` sends the
 * given cookies but ignores Set-Cookie, so a sign-out inside a test matrix cannot end the
 * session the other calls rely on.
 */
export function cookieClient(
  t: Pick<TestApi, 'url'>,
  options: {
    headers?: Record<string, string>;
    cookies?: Map<string, string>;
    frozen?: boolean;
    origin?: string | null;
  } = {},
): CookieClient {
  const origin = options.origin === undefined ? TEST_DASHBOARD_ORIGIN : options.origin;
  const cookies = new Map(options.cookies);
  const state: CookieClient = { client: undefined as never, cookies, lastSetCookie: [] };
  const cookieFetch = async (input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    if (origin !== null) headers.set('origin', origin);
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
    if (cookies.size > 0) {
      headers.set('cookie', cookieHeader(cookies));
    }
    const res = await fetch(input, { ...init, headers });
    state.lastSetCookie = res.headers.getSetCookie();
    if (!options.frozen) {
      for (const line of state.lastSetCookie) {
        const [pair = ''] = line.split(';');
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        if (value === '' || /max-age=0\b/i.test(line)) cookies.delete(name);
        else cookies.set(name, value);
      }
    }
    return res;
  };
  state.client = createTRPCClient<AppRouter>({
    links: [httpLink({ url: t.url('/trpc'), fetch: cookieFetch })],
  });
  return state;
}

/** The tRPC error code of a failed call (e.g. 'UNAUTHORIZED'), or 'OK' when it succeeded. */
export async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (error) {
    if (error instanceof TRPCClientError) return (error.data?.code as string) ?? 'NO_CODE';
    throw error;
  }
}

/** Signs in and returns the client holding the session cookie. */
export async function signedIn(
  t: Pick<TestApi, 'url'>,
  email: string,
  password: string,
  headers?: Record<string, string>,
): Promise<CookieClient> {
  const session = cookieClient(t, { headers });
  await session.client.auth.signIn.mutate({ email, password });
  return session;
}

/** A `Cookie` header from a client's jar, for hand-made requests. */
export function cookieHeader(cookies: Map<string, string>): string {
  return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}
