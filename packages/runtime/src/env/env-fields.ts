import { DEFAULT_DATABASE_URL } from '@challenges/db/database-url';
import { z } from 'zod';

/**
 * Field builders every env schema uses (api, worker, the dashboard server, the load-test CLI), so
 * all read a variable alike.
 */

export const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65_535).default(fallback);

/** Unset and blank are the same: `FOO=` in a .env file means "not set". */
export const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

/** DATABASE_URL: the local PostgreSQL's `challenges` database unless set. */
export const databaseUrl = z.string().default(DEFAULT_DATABASE_URL);

/** REDIS_URL: the local Redis unless set. */
export const redisUrl = z.string().default('redis://127.0.0.1:6379');

/**
 * REDIS_CLUSTER_NODES: `host:port` seeds of a Redis Cluster, comma-separated (the other nodes are
 * discovered). Unset or blank: REDIS_URL is a single node.
 */
export const redisClusterNodes = optionalText.transform((value, ctx) => {
  const nodes = (value ?? '')
    .split(',')
    .map((node) => node.trim())
    .filter((node) => node !== '');
  for (const node of nodes) {
    if (!/^[^\s:/@]+:\d{1,5}$/.test(node)) {
      ctx.addIssue({ code: 'custom', message: `'${node}' is not host:port` });
      return z.NEVER;
    }
  }
  return nodes;
});

export const positiveInt = (fallback: number, max: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');

/** `json` or `pretty`; unset: pretty at a terminal, JSON otherwise (chooseLogFormat). */
export const logFormat = z
  .enum(['json', 'pretty', ''])
  .optional()
  .transform((v) => v || undefined);

/** An on/off switch whose default depends on NODE_ENV; resolve it with `switchOn`. */
export const optionalSwitch = z.enum(['enabled', 'disabled']).optional();

/** An explicit `enabled`/`disabled` wins; unset means on outside production, off in it. */
export function switchOn(value: 'enabled' | 'disabled' | undefined, production: boolean): boolean {
  return value === undefined ? !production : value === 'enabled';
}
