import { optionalText, parseEnvWith, port } from '@challenges/runtime/env';
import { z } from 'zod';

const ZServerEnv = z.object({
  WEB_PORT: port(3000),
  /** Bind address; unset: every interface (Node's default). */
  WEB_HOST: optionalText,
});

export type ServerEnv = Readonly<z.output<typeof ZServerEnv>>;

/** The dashboard server's variables, parsed once (server.ts); Next reads its own. */
export function parseServerEnv(source: Record<string, string | undefined> = process.env) {
  return parseEnvWith(ZServerEnv, source);
}
