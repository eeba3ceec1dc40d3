import { readCpuMs } from '@challenges/loadtest/proc-cpu';
import type pg from 'pg';

// PostgreSQL's CPU for one client process: the backends serving its connections are ordinary
// processes on this machine, so /proc has their CPU time. Background work (WAL writer,
// checkpointer, autovacuum) is not in it.

/** Backend pids of a database's connections with this application_name. */
export async function backendPids(
  client: pg.Client,
  database: string,
  applicationName: string,
): Promise<number[]> {
  const { rows } = await client.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2`,
    [database, applicationName],
  );
  return rows.map((r) => r.pid);
}

export function cpuOf(pids: readonly number[]): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const pid of pids) {
    try {
      cpu.set(pid, readCpuMs(pid));
    } catch {
      // The backend ended between the query and the read: its CPU is lost either way.
    }
  }
  return cpu;
}
