/**
 * `npm start` is the local demo stack: what a newcomer gets with no configuration. The api
 * itself defaults to JWT player auth and needs keys for event ingest, so the demo chooses mock
 * auth, a fixed local ingest key and a first dashboard admin with a generated password (the api
 * prints it once), unless the user set their own, and says so loudly.
 */
export const LOCAL_INGEST_KEY = 'local-dev-ingest-key';

export interface LocalStackDefaults {
  /** Variables to add to the services' environment (only ones the user left unset). */
  env: Record<string, string>;
  /** Lines to show at start; empty when nothing about the stack is demo-only. */
  banner: string[];
}

const unset = (value: string | undefined) => value === undefined || value.trim() === '';

export function localStackDefaults(env: NodeJS.ProcessEnv): LocalStackDefaults {
  // A production-like run gets no demo settings: the api's own production checks apply.
  if (env.NODE_ENV === 'production') return { env: {}, banner: [] };
  const added: Record<string, string> = {};
  const jwtConfigured =
    !unset(env.JWT_JWKS_URL) || !unset(env.JWT_PUBLIC_KEY) || !unset(env.JWT_SECRET);
  if (unset(env.AUTH_MODE) && !jwtConfigured) added.AUTH_MODE = 'mock';
  if (unset(env.INGEST_API_KEYS)) added.INGEST_API_KEYS = LOCAL_INGEST_KEY;
  if (unset(env.ADMIN_EMAIL) && unset(env.ADMIN_PASSWORD) && unset(env.LOCAL_ADMIN)) {
    added.LOCAL_ADMIN = 'enabled';
  }

  const lines: string[] = [];
  if ((added.AUTH_MODE ?? env.AUTH_MODE) === 'mock') {
    lines.push(
      'AUTH_MODE=mock: player auth is OFF. Any caller can act as any player with the',
      '  x-mock-user-id header (set JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL for real tokens).',
    );
  }
  if (added.INGEST_API_KEYS) {
    lines.push(
      `INGEST_API_KEYS=${LOCAL_INGEST_KEY}: the event ingest key (x-api-key) is public knowledge;`,
      '  set INGEST_API_KEYS to your own.',
    );
  }
  if (added.LOCAL_ADMIN) {
    lines.push(
      'Dashboard sign-in: while it has no admin, the api creates one and prints its email and',
      '  a generated password once, below; or set ADMIN_EMAIL and ADMIN_PASSWORD yourself.',
    );
  }
  if (lines.length === 0) return { env: added, banner: [] };
  const banner = [
    'LOCAL DEVELOPMENT STACK: do not expose it to a network you do not trust.',
    ...lines,
  ];
  return { env: added, banner };
}

/** The banner framed so it stands out among the services' log lines. */
export function formatBanner(lines: string[]): string {
  if (lines.length === 0) return '';
  const rule = '='.repeat(Math.max(...lines.map((l) => l.length)));
  return `${[rule, ...lines, rule].map((l) => `[start] ${l}`).join('\n')}\n`;
}
