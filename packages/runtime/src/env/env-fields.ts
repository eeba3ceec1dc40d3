import { z } from 'zod';

/** Field builders every app's env schema uses, so api and worker read variables alike. */

export const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65_535).default(fallback);

/** Unset and blank are the same: `FOO=` in a .env file means "not set". */
export const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

export const positiveInt = (fallback: number, max: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');

/** An on/off switch whose default depends on NODE_ENV; resolve it with `switchOn`. */
export const optionalSwitch = z.enum(['enabled', 'disabled']).optional();

/** An explicit `enabled`/`disabled` wins; unset means on outside production, off in it. */
export function switchOn(value: 'enabled' | 'disabled' | undefined, production: boolean): boolean {
  return value === undefined ? !production : value === 'enabled';
}
