// PostgreSQL SQLSTATE classes and codes after which the same transaction can succeed later:
// connection exceptions, server shutdown/starting, too many connections, serialization and
// deadlock aborts.
const TRANSIENT_SQLSTATE = /^(08|57P0[1-3]$|53300$|40001$|40P01$)/;
const TRANSIENT_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
// node-postgres reports a lost or timed-out connection with plain Error messages.
const TRANSIENT_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Client was closed/i;

/**
 * Whether an error of the database path means "try the same batch again later" (the batch waits
 * in its queue, in order) rather than "this batch is broken".
 */
export function isTransientDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_ERRNO.has(code))) {
    return true;
  }
  if (error instanceof AggregateError) return error.errors.some(isTransientDatabaseError);
  return TRANSIENT_MESSAGE.test(error.message);
}
