import type { CpuTable, CpuTableRow } from './contract.ts';
import type { CpuTotals } from './cpu-sampler.ts';

/** One row of the table: a group of the sampler, or a process that could not be measured. */
export interface CpuRowSpec {
  key: string;
  role: CpuTableRow['role'];
  process: string;
  /** false: not on this machine (no /proc for it); the row says so instead of a number. */
  measured: boolean;
  note: string | null;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Where the box's CPU went over the steady phase: each row's CPU time, its share of the box
 * (cores × window) and its cost per request, per event and per call. Each "per" figure divides
 * the row's whole CPU by that count, so in a mixed run they are upper bounds, not a split.
 */
export function cpuTableOf(
  totals: CpuTotals,
  specs: CpuRowSpec[],
  units: { requests: number; events: number },
  cores: number,
): CpuTable {
  const boxMs = cores * totals.windowMs;
  const per = (cpuMs: number, n: number) => (n > 0 ? round(cpuMs / n, 3) : null);
  const row = (spec: Omit<CpuRowSpec, 'key'>, cpuMs: number | null, pids: number[]) => ({
    process: spec.process,
    role: spec.role,
    pids,
    cpuMs: cpuMs === null ? null : Math.round(cpuMs),
    percentOfBox: cpuMs === null || boxMs <= 0 ? null : round((cpuMs / boxMs) * 100, 1),
    msPerRequest: cpuMs === null ? null : per(cpuMs, units.requests),
    msPerEvent: cpuMs === null ? null : per(cpuMs, units.events),
    msPerCall: cpuMs === null ? null : per(cpuMs, units.requests + units.events),
    note: spec.note,
  });
  const rows: CpuTableRow[] = [];
  let accounted = 0;
  const counted = new Map<number, string>();
  for (const spec of specs) {
    const group = spec.measured ? totals.groups.get(spec.key) : undefined;
    if (!group) {
      rows.push(row({ ...spec, note: spec.note ?? 'not measured' }, null, []));
      continue;
    }
    // A process in two rows (an api hosted by the runner's own process in a test) is shown in
    // both but counted once in the remainder.
    const shared = group.pids.map((pid) => counted.get(pid)).find((p) => p !== undefined);
    if (shared === undefined) accounted += group.cpuMs;
    for (const pid of group.pids) counted.set(pid, spec.process);
    const note = shared === undefined ? spec.note : `the same process as ${shared}`;
    rows.push(row({ ...spec, note }, group.cpuMs, group.pids));
  }
  rows.push(
    row(
      {
        role: 'other',
        process: 'everything else on the machine',
        measured: true,
        note: 'other processes, the kernel, interrupts: the box total minus the rows above',
      },
      Math.max(0, totals.boxBusyMs - accounted),
      [],
    ),
  );
  return {
    windowS: round(totals.windowMs / 1000, 1),
    cores,
    requests: units.requests,
    events: units.events,
    boxBusyPercent: boxMs > 0 ? round((totals.boxBusyMs / boxMs) * 100, 1) : null,
    rows,
  };
}
