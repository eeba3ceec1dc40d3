import pg from 'pg';
import { keepsServerSession } from './client.ts';

/**
 * A statement prepared once per connection with SQL `PREPARE` and run as `EXECUTE name(…)`
 * inside a simple query. Unlike a protocol-level prepared statement (pg's `name`), it can share
 * one simple query — one round trip — with other statements such as BEGIN or COMMIT, and it
 * still keeps its plan (generic under `plan_cache_mode = force_generic_plan`). `name` is an SQL
 * identifier; parameter types are inferred from `text` as in the extended protocol.
 */
export interface PreparedSql {
  name: string;
  text: string;
}

/** The statements each connection has prepared (PREPARE lives as long as the session). */
const preparedOn = new WeakMap<object, Set<string>>();

/**
 * Prepares on `client` the statements it has not prepared yet, in one round trip. PREPARE is not
 * transactional and fails on a name that exists, so a connection on which it fails part-way must
 * be discarded (transaction.ts does). Behind a transaction-mode pooler nothing is prepared (the
 * next transaction may run on another server connection): executeSql sends the text instead.
 */
export async function prepareOn(
  client: pg.ClientBase,
  statements: readonly PreparedSql[],
): Promise<void> {
  if (!keepsServerSession(client)) return;
  const done = preparedOn.get(client) ?? new Set<string>();
  const missing = statements.filter((statement) => !done.has(statement.name));
  if (missing.length === 0) return;
  await client.query(missing.map((s) => `PREPARE ${s.name} AS ${s.text}`).join(';\n'));
  for (const statement of missing) done.add(statement.name);
  preparedOn.set(client, done);
}

/**
 * `EXECUTE name(…)` with the values as quoted literals (PostgreSQL casts each to the parameter's
 * type): strings, numbers (±Infinity too), booleans, Dates, null, and arrays of them. Behind a
 * transaction-mode pooler, the statement's text with the literals in place of its parameters
 * (typed by their context as the parameters were; parsed and planned every time).
 */
export function executeSql(
  client: pg.ClientBase,
  statement: PreparedSql,
  values: readonly unknown[],
): string {
  const literals = values.map(literal);
  if (!keepsServerSession(client)) {
    return statement.text.replace(/\$(\d+)/g, (_, n: string) => {
      const value = literals[Number(n) - 1];
      if (value === undefined) throw new RangeError(`${statement.name}: no value for $${n}`);
      return value;
    });
  }
  return `EXECUTE ${statement.name}(${literals.join(', ')})`;
}

function literal(value: unknown): string {
  if (value == null) return 'NULL';
  return quoteLiteral(Array.isArray(value) ? arrayText(value) : scalarText(value));
}

// The worker's round sends arrays of hundreds of ids and numbers: pg.escapeLiteral copies every
// string a character at a time, and a replace per element cost as much again (together 14 % of
// the worker's CPU at 500 events/s, docs/performance.md), so text without a quote or a backslash
// — nearly all of it — is taken as it is.
const NEEDS_SQL_ESCAPE = /['\\]/;
const NEEDS_ARRAY_ESCAPE = /[\\"]/;

/** pg.escapeLiteral's output; text without a quote or a backslash skips its per-character copy. */
export function quoteLiteral(text: string): string {
  return NEEDS_SQL_ESCAPE.test(text) ? pg.escapeLiteral(text) : `'${text}'`;
}

function scalarText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TypeError(`no SQL literal for a ${typeof value}`);
}

// PostgreSQL's array input syntax: every element quoted, `"` and `\` escaped, NULL unquoted.
function arrayText(values: readonly unknown[]): string {
  let text = '{';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) text += ',';
    if (value == null) text += 'NULL';
    else if (Array.isArray(value)) text += arrayText(value);
    else {
      const scalar = scalarText(value);
      text += NEEDS_ARRAY_ESCAPE.test(scalar)
        ? `"${scalar.replace(/[\\"]/g, '\\$&')}"`
        : `"${scalar}"`;
    }
  }
  return `${text}}`;
}
