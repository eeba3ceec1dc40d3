import type { z } from 'zod';

/** The floor for secrets and keys when NODE_ENV=production (≈ 190 bits as base64). */
export const MIN_SECRET_LENGTH = 32;

type Ctx = z.RefinementCtx;

function issue(ctx: Ctx, variable: string, message: string): void {
  ctx.addIssue({ code: 'custom', path: [variable], message });
}

/**
 * Refuses short secrets in production, naming the variable (never the value). A list variable
 * (comma-separated keys) is checked entry by entry.
 */
export function checkSecretLengths(
  ctx: Ctx,
  production: boolean,
  secrets: Record<string, string | readonly string[] | undefined>,
): void {
  if (!production) return;
  for (const [variable, value] of Object.entries(secrets)) {
    if (value === undefined) continue;
    const entries = typeof value === 'string' ? [value] : value;
    entries.forEach((entry, i) => {
      if (entry.length >= MIN_SECRET_LENGTH) return;
      const which = typeof value === 'string' ? '' : `entry ${i + 1} of ${entries.length} `;
      issue(
        ctx,
        variable,
        `${which}is ${entry.length} characters; secrets and keys need at least ${MIN_SECRET_LENGTH} when NODE_ENV=production (e.g. openssl rand -base64 32)`,
      );
    });
  }
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * Where `/metrics` listens. In production without METRICS_TOKEN the default is loopback: an
 * unauthenticated scrape port must not be reachable from the network by accident.
 */
export function metricsHost(options: {
  host: string | undefined;
  token: string | undefined;
  production: boolean;
  fallback: string;
}): string {
  if (options.host !== undefined) return options.host;
  return options.production && options.token === undefined ? '127.0.0.1' : options.fallback;
}

/** An explicit non-loopback METRICS_HOST without a token is refused in production. */
export function checkMetricsExposure(
  ctx: Ctx,
  e: { production: boolean; METRICS_HOST: string; METRICS_TOKEN: string | undefined },
): void {
  if (!e.production || e.METRICS_TOKEN !== undefined || isLoopback(e.METRICS_HOST)) return;
  issue(
    ctx,
    'METRICS_HOST',
    `${e.METRICS_HOST} would serve /metrics to the network without a token when NODE_ENV=production: set METRICS_TOKEN, or bind METRICS_HOST to 127.0.0.1`,
  );
}

/** A development-only setting (`AUTH_MODE=mock`), refused when NODE_ENV=production. */
export function refuseInProduction(
  ctx: Ctx,
  e: { production: boolean },
  setting: string,
  chosen: boolean,
  why: string,
): void {
  if (!e.production || !chosen) return;
  issue(ctx, setting.split('=')[0]!, `${setting} is refused when NODE_ENV=production: ${why}`);
}
