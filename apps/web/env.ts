// The dashboard's settings, read at run time (a build serves any API_URL); the only dashboard
// module that reads `process.env`, besides server.ts setting NODE_ENV before Next loads.

/** Where /trpc/* is forwarded: API_URL, or the api on this machine at HTTP_PORT. */
export function apiUrl(): string {
  return process.env.API_URL ?? `http://127.0.0.1:${process.env.HTTP_PORT ?? '8000'}`;
}

/** Where the dashboard listens: WEB_PORT (3000) on WEB_HOST (every interface when unset). */
export function listenAddress(): { port: number; hostname: string | undefined } {
  return {
    port: Number(process.env.WEB_PORT ?? 3000),
    hostname: process.env.WEB_HOST || undefined,
  };
}
