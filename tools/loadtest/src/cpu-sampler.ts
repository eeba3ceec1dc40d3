import { readBoxCpuMs, readProcStat, ticksToMs, uptimeTicks } from './proc-cpu.ts';

/** The pids of each group (e.g. `api`, `postgres`) right now; called at every sample. */
export type DiscoverPids = () => Promise<Map<string, number[]>>;

interface Tracked {
  starttime: number;
  /** CPU ms at the first sample that saw the process; 0 if it started during the window. */
  base: number;
  last: number;
}

interface Group {
  live: Map<number, Tracked>;
  /** CPU of processes that ended or whose pid was reused, up to their last sample. */
  closed: number;
  seen: Set<number>;
}

export interface CpuTotals {
  windowMs: number;
  /** The machine's busy CPU (every core) over the window, ms. */
  boxBusyMs: number;
  groups: Map<string, { cpuMs: number; pids: number[] }>;
}

/**
 * CPU time used by groups of processes over a window, from /proc. Sampled often (each second)
 * so that short-lived processes — a PostgreSQL backend of a pool that reconnects — are counted
 * up to their last sample, and processes that appear mid-window are counted from their start.
 */
export class CpuSampler {
  private readonly groups = new Map<string, Group>();
  private startTicks = 0;
  private startedAt = 0;
  private box = { busy: 0, total: 0 };
  /** Samples run one after another: a slow discovery must not interleave with the next. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly discover: DiscoverPids) {}

  async start(): Promise<void> {
    // A process's starttime is whole ticks (truncated), uptime is not: a process forked a moment
    // after this, in the same tick, has a starttime below the exact uptime and would be taken
    // for one that was already running (its start-up CPU then lost). Compared in whole ticks, a
    // process forked earlier in that same tick counts from its start: at most one tick too much.
    this.startTicks = Math.floor(uptimeTicks());
    this.startedAt = performance.now();
    this.box = readBoxCpuMs();
    this.queue = this.take(true);
    await this.queue;
  }

  /** Reads every group's processes now (call it about every second during the window). */
  sample(): Promise<void> {
    this.queue = this.queue.then(() => this.take(false));
    return this.queue;
  }

  private async take(first: boolean): Promise<void> {
    let pids: Map<string, number[]>;
    try {
      pids = await this.discover();
    } catch {
      // Discovery failed (e.g. a query timed out): keep reading the processes already known.
      pids = new Map([...this.groups].map(([key, g]) => [key, [...g.live.keys()]]));
    }
    for (const [key, list] of pids) {
      let group = this.groups.get(key);
      if (!group) {
        group = { live: new Map(), closed: 0, seen: new Set() };
        this.groups.set(key, group);
      }
      const known = new Set(list);
      // Processes seen earlier but no longer listed are still read until they are gone.
      for (const pid of group.live.keys()) known.add(pid);
      for (const pid of known) this.read(group, pid, first);
    }
  }

  private read(group: Group, pid: number, first: boolean): void {
    const stat = readProcStat(pid);
    const tracked = group.live.get(pid);
    if (tracked && (!stat || stat.starttime !== tracked.starttime)) {
      group.closed += tracked.last - tracked.base;
      group.live.delete(pid);
    }
    if (!stat) return;
    const cpu = ticksToMs(stat.utime + stat.stime);
    const current = group.live.get(pid);
    if (current) {
      current.last = cpu;
      return;
    }
    // Started after the window opened: all of its CPU is the window's.
    const base = !first && stat.starttime >= this.startTicks ? 0 : cpu;
    group.live.set(pid, { starttime: stat.starttime, base, last: cpu });
    group.seen.add(pid);
  }

  async stop(): Promise<CpuTotals> {
    await this.sample();
    const box = readBoxCpuMs();
    const groups = new Map<string, { cpuMs: number; pids: number[] }>();
    for (const [key, g] of this.groups) {
      let cpuMs = g.closed;
      for (const t of g.live.values()) cpuMs += t.last - t.base;
      groups.set(key, { cpuMs, pids: [...g.seen].sort((a, b) => a - b) });
    }
    return {
      windowMs: performance.now() - this.startedAt,
      boxBusyMs: box.busy - this.box.busy,
      groups,
    };
  }
}
