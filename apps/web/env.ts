// The dashboard's settings, read at run time (a build serves any API_URL); the only dashboard
// module that reads `process.env`, besides server.ts setting NODE_ENV before Next loads.
import { optionalText, parseEnvWith, port } from '@challenges/runtime/env';
import { z } from 'zod';

const ZEnv = z.object({
  /** Where /trpc/* is forwarded; unset: the api on this machine at HTTP_PORT. */
  API_URL: optionalText,
  HTTP_PORT: port(8000),
  WEB_PORT: port(3000),
  /** Bind address; unset: every interface (Node's default). */
  WEB_HOST: optionalText,
});

type Env = Readonly<z.output<typeof ZEnv>>;

/** Every variable the dashboard server reads (docker-compose.yml is checked against this list). */
export const ENV_VARIABLES: readonly string[] = Object.keys(ZEnv.shape);

let parsed: Env | undefined;
const env = (): Env => {
  parsed ??= parseEnvWith(ZEnv, process.env);
  return parsed;
};

/** Where /trpc/* is forwarded: API_URL, or the api on this machine at HTTP_PORT. */
export function apiUrl(): string {
  const { API_URL, HTTP_PORT } = env();
  return API_URL ?? `http://127.0.0.1:${HTTP_PORT}`;
}

/** Where the dashboard listens: WEB_PORT (3000) on WEB_HOST (every interface when unset). */
export function listenAddress(): { port: number; hostname: string | undefined } {
  const { WEB_PORT, WEB_HOST } = env();
  return { port: WEB_PORT, hostname: WEB_HOST };
}
