import { join } from 'node:path';
import { createPool } from '@challenges/db';
import { freePort, startDaemon } from '@challenges/runtime';
import { pollUntil } from './definitions-fixtures.ts';

/** A PgBouncer of the test's own in front of the machine's PostgreSQL (127.0.0.1:5432). */
export interface PgBouncer {
  /** `url` with host and port replaced by the bouncer's. */
  via(url: string): string;
  /** Transactions the bouncer passed to `database` (its admin console's SHOW STATS). */
  transactions(database: string): Promise<number>;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `pgbouncer` (Debian's 1.18, which does not track named prepared statements) in
 * transaction mode with two server connections per database, so statements of one client run
 * on whichever server connection is free.
 */
export async function startPgBouncer(): Promise<PgBouncer> {
  const port = await freePort();
  const daemon = startDaemon({
    command: 'pgbouncer',
    prefix: 'pgbouncer-',
    // PgBouncer refuses to run as root: it drops to `postgres`, which must read the config.
    args: (dir) => [
      ...(process.getuid?.() === 0 ? ['-u', 'postgres'] : []),
      join(dir, 'pgbouncer.ini'),
    ],
    files: (dir) => ({
      'users.txt': '"postgres" ""\n',
      'pgbouncer.ini': [
        '[databases]',
        '* = host=127.0.0.1 port=5432',
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${port}`,
        'unix_socket_dir =',
        'auth_type = trust',
        `auth_file = ${join(dir, 'users.txt')}`,
        'admin_users = postgres',
        'pool_mode = transaction',
        'default_pool_size = 2',
        // Each transaction on the next server connection in turn (the default reuses the last one),
        // so state that leaks from one transaction's server session into another's shows.
        'server_round_robin = 1',
        'max_client_conn = 500',
        // pg sends it at connect; 1.18 refuses a connection naming a parameter it does not know.
        'ignore_startup_parameters = statement_timeout',
        '',
      ].join('\n'),
    }),
  });

  const admin = async <T>(sql: string): Promise<T[]> => {
    const adminPool = createPool({
      databaseUrl: `postgresql://postgres@127.0.0.1:${port}/pgbouncer`,
      max: 1,
    });
    adminPool.on('error', () => {});
    try {
      // The admin console speaks the simple query protocol only: no parameters.
      return (await adminPool.query(sql)).rows as T[];
    } finally {
      await adminPool.end();
    }
  };
  const bouncer: PgBouncer = {
    via(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    async transactions(database) {
      const rows = await admin<{ database: string; total_xact_count: string }>('SHOW STATS');
      return Number(rows.find((r) => r.database === database)?.total_xact_count ?? 0);
    },
    output: daemon.output,
    stop: () => daemon.stop(),
  };
  try {
    await pollUntil(
      async () => {
        if (!daemon.running()) throw new Error(`pgbouncer exited:\n${daemon.output()}`);
        return admin('SHOW VERSION').then(
          () => true,
          () => false,
        );
      },
      10_000,
      50,
    );
  } catch (error) {
    await bouncer.stop();
    throw error;
  }
  return bouncer;
}
