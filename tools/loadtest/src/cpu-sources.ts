import { hostname } from 'node:os';
import type { LiveProcessSeries } from '@challenges/runtime';
import type pg from 'pg';
import type { CpuRowSpec } from './cpu-table.ts';
import { readProcStat } from './proc-cpu.ts';

// Which processes the CPU table reads: the api, ingest and worker pids their live snapshots name, the
// PostgreSQL processes pg_stat_activity lists, the redis-server's own pid, and this runner.
// A process is read from /proc only when it is on this machine; otherwise its row says
// "not measured".

export interface PostgresProcesses {
  /** Every backend of the service's database (the runner's own connections aside). */
  backends: number[];
  /** The server's own processes: postmaster, checkpointer, WAL writer, … (every database's). */
  server: number[];
}

/** The backend pid of `client`, if that backend is a process on this machine. */
export async function localBackendPid(client: pg.Client): Promise<number | null> {
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const pid = rows[0]?.pid;
  return pid !== undefined && readProcStat(pid)?.comm === 'postgres' ? pid : null;
}

export async function postgresProcesses(
  client: pg.Client,
  ownPid: number,
): Promise<PostgresProcesses> {
  // application_name 'loadtest': the runner's own connections (this one, the history pool).
  const { rows } = await client.query<{ pid: number; ours: boolean }>(
    `SELECT pid, datname IS NOT NULL AS ours FROM pg_stat_activity
      WHERE pid <> pg_backend_pid()
        AND ((datname = current_database() AND application_name IS DISTINCT FROM 'loadtest')
          OR (datname IS NULL AND backend_type <> 'client backend'))`,
  );
  const postmaster = readProcStat(ownPid)?.ppid;
  return {
    backends: rows.filter((r) => r.ours).map((r) => r.pid),
    server: [...(postmaster ? [postmaster] : []), ...rows.filter((r) => !r.ours).map((r) => r.pid)],
  };
}

export const isLocalRedis = (pid: number | null): pid is number =>
  pid !== null && (readProcStat(pid)?.comm.startsWith('redis-server') ?? false);

export const isLocalProcess = (p: { hostname: string; pid: number }): boolean =>
  p.hostname === hostname() && readProcStat(p.pid) !== undefined;

/** Pids of the api (ingest, worker) processes that publish snapshots and run on this machine. */
export const localPids = (series: LiveProcessSeries[], role: string): number[] =>
  series.filter((s) => s.role === role && isLocalProcess(s)).map((s) => s.pid);

/** The table's rows, in order, for what was found. */
export function cpuRowSpecs(found: {
  series: LiveProcessSeries[];
  postgres: { database: string; local: boolean } | null;
  redis: { pid: number | null; local: boolean };
}): CpuRowSpec[] {
  // An ingest row only when ingest runs in processes of its own (ROLE=ingest); else the api row
  // has it.
  const ingest = found.series.some((s) => s.role === 'ingest') ? ['ingest'] : [];
  const roles = ['api', ...ingest, 'worker'].map((role): CpuRowSpec => {
    const all = found.series.filter((s) => s.role === role);
    const remote = all.filter((s) => !isLocalProcess(s));
    const where = [...new Set(remote.map((s) => s.hostname))].join(', ');
    return {
      key: role,
      role: role as 'api' | 'ingest' | 'worker',
      process: `${role} (${all.length} process${all.length === 1 ? '' : 'es'})`,
      measured: all.length > remote.length,
      note:
        all.length === 0
          ? 'not measured: no live snapshots (is --queue-prefix the service’s?)'
          : remote.length > 0
            ? `not measured: ${remote.length} on another host (${where})`
            : null,
    };
  });
  const pg = found.postgres;
  const pgNote = !pg
    ? 'not measured: no --service-database-url'
    : pg.local
      ? null
      : 'not measured: the server is not on this machine';
  return [
    ...roles,
    {
      key: 'postgres',
      role: 'postgres',
      process: `PostgreSQL backends of ${pg?.database ?? 'the database'}`,
      measured: pg?.local ?? false,
      note: pgNote,
    },
    {
      key: 'postgres-server',
      role: 'postgres-server',
      process: 'PostgreSQL server processes',
      measured: pg?.local ?? false,
      note: pgNote ?? 'postmaster, checkpointer, WAL writer…: shared by every database',
    },
    {
      key: 'redis',
      role: 'redis',
      process: 'Redis',
      measured: found.redis.local,
      note: found.redis.local
        ? 'shared by every client of this Redis'
        : 'not measured: the server is not on this machine',
    },
    {
      key: 'generator',
      role: 'generator',
      process: 'load generator (this runner)',
      measured: true,
      note: null,
    },
  ];
}
