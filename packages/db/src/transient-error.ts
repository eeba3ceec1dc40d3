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
// Prisma's codes for the same: server unreachable, connect timeout, operation timeout, server
// closed the connection, no pool connection in time, write conflict or deadlock.
const TRANSIENT_PRISMA_CODE = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2034']);
// What Prisma's pg adapter found underneath, when Prisma gives it no code of its own.
const TRANSIENT_ADAPTER_KIND = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionWriteConflict',
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
  if (typeof code === 'string' && TRANSIENT_PRISMA_CODE.has(code)) return true;
  if (error instanceof AggregateError) return error.errors.some(isTransientDatabaseError);
  const adapter = (error as { meta?: { driverAdapterError?: { cause?: AdapterCause } } }).meta
    ?.driverAdapterError?.cause;
  if (adapter && isTransientAdapterCause(adapter)) return true;
  return TRANSIENT_MESSAGE.test(error.message);
}

interface AdapterCause {
  kind?: unknown;
  originalCode?: unknown;
}

function isTransientAdapterCause({ kind, originalCode }: AdapterCause): boolean {
  if (typeof kind === 'string' && TRANSIENT_ADAPTER_KIND.has(kind)) return true;
  return typeof originalCode === 'string' && TRANSIENT_SQLSTATE.test(originalCode);
}
