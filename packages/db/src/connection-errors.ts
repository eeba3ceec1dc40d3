// Kept free of driver imports: entry points load it before they load anything heavy.
import { redactUrl } from './database-url.ts';

/** The SQLSTATE of a PostgreSQL error, or the errno code of a socket error. */
export function pgCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

/**
 * The database cannot be used at start, said for the person who has to fix it: which server
 * (password redacted), which variable points there, and what to do. Entry points print the
 * message alone; a stack trace would add nothing they can act on.
 */
export class DatabaseUnreachableError extends Error {
  override readonly name = 'DatabaseUnreachableError';
}

// The socket never reached a PostgreSQL that answers.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
// PostgreSQL answered and refused: wrong password, unknown role, no right to create the database.
const REFUSALS: Record<string, string> = {
  '28P01': 'correct the user and password in DATABASE_URL',
  '28000': 'correct the user in DATABASE_URL, or let it connect (pg_hba.conf)',
  '42501': 'create the database yourself, or use a role that may (CREATEDB)',
};

/** A clear error for a failed first connection; anything else comes back unchanged. */
export function explainConnectionFailure(error: unknown, databaseUrl: string): unknown {
  const code = pgCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const where = `${redactUrl(databaseUrl)} (DATABASE_URL)`;
  const timedOut = /timeout/i.test(message) && code === undefined;
  if ((code !== undefined && NETWORK_CODES.has(code)) || timedOut) {
    return new DatabaseUnreachableError(
      `PostgreSQL is not reachable at ${where}: ${message || code}. Start PostgreSQL there, ` +
        'or set DATABASE_URL to a server that runs (`npm start` runs its own PostgreSQL when ' +
        'DATABASE_URL is unset and nothing answers on 127.0.0.1:5432).',
      { cause: error },
    );
  }
  const fix = code === undefined ? undefined : REFUSALS[code];
  if (fix !== undefined) {
    return new DatabaseUnreachableError(
      `PostgreSQL at ${where} refused the connection: ${message}. Fix: ${fix}.`,
      { cause: error },
    );
  }
  return error;
}
