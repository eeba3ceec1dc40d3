import { availableParallelism } from 'node:os';
import type { CpuTable } from './contract.ts';
import { CpuSampler } from './cpu-sampler.ts';
import {
  cpuRowSpecs,
  isLocalRedis,
  localBackendPid,
  localPids,
  postgresProcesses,
} from './cpu-sources.ts';
import { cpuTableOf } from './cpu-table.ts';
import type { RunContext } from './run-context.ts';

/** The CPU sampler of a run's steady phase and what it found to sample. */
export interface CpuSampling {
  sampler: CpuSampler;
  postgres: { database: string; local: boolean } | null;
  redis: { pid: number | null; local: boolean };
}

/** Opens the CPU window: every process of the table read once now, then every second. */
export async function startCpuSampling(run: RunContext): Promise<CpuSampling> {
  const client = run.pg;
  const ownBackend = client ? await localBackendPid(client).catch(() => null) : null;
  const redisPid = await run.live.serverPid();
  const redisLocal = isLocalRedis(redisPid);
  const sampler = new CpuSampler(async () => {
    const series = run.live.series();
    const groups = new Map<string, number[]>([
      ['api', localPids(series, 'api')],
      ['ingest', localPids(series, 'ingest')],
      ['worker', localPids(series, 'worker')],
      ['generator', [process.pid]],
    ]);
    if (redisLocal) groups.set('redis', [redisPid]);
    if (client && ownBackend !== null) {
      const pg = await postgresProcesses(client, ownBackend);
      groups.set('postgres', pg.backends);
      groups.set('postgres-server', pg.server);
    }
    return groups;
  });
  await sampler.start();
  return {
    sampler,
    postgres: client ? { database: client.database ?? '?', local: ownBackend !== null } : null,
    redis: { pid: redisPid, local: redisLocal },
  };
}

/** Closes the window and turns it into the report's table. */
export async function cpuTableOfRun(run: RunContext, sampling: CpuSampling): Promise<CpuTable> {
  const totals = await sampling.sampler.stop();
  const specs = cpuRowSpecs({
    series: run.live.series(),
    postgres: sampling.postgres,
    redis: sampling.redis,
  });
  const units = { requests: run.recorder.count('request'), events: run.recorder.count('event') };
  return cpuTableOf(totals, specs, units, availableParallelism());
}
