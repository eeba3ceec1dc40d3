import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// CPU time of processes on this machine from /proc (Linux), for the bench and the load-test
// runner's per-process CPU table. Tick granularity is 10 ms (USER_HZ 100), so a figure needs
// seconds of work to be exact to the percent.

export interface ProcStat {
  /** The command name (field 2), e.g. `node`, `postgres`, `redis-server`. */
  comm: string;
  ppid: number;
  /** Clock ticks in user and system mode, every thread (JS, GC helpers, libuv pool). */
  utime: number;
  stime: number;
  /** Clock ticks after boot at which the process started: tells a reused pid apart. */
  starttime: number;
}

/**
 * Fields of proc(5)'s /proc/<pid>/stat line. The command name in field 2 may contain spaces and
 * parentheses, so the other fields are counted from the last ')'.
 */
export function parseProcStat(text: string): ProcStat {
  const close = text.lastIndexOf(')');
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state), so field n is rest[n - 3].
  const stat = {
    comm: text.slice(text.indexOf('(') + 1, close),
    ppid: Number(rest[1]),
    utime: Number(rest[11]),
    stime: Number(rest[12]),
    starttime: Number(rest[19]),
  };
  if (close < 0 || ![stat.ppid, stat.utime, stat.stime, stat.starttime].every(Number.isFinite)) {
    throw new Error(`unexpected /proc/<pid>/stat format: ${text.slice(0, 120)}`);
  }
  return stat;
}

let ticksPerSecond: number | undefined;

/** USER_HZ; 100 on every mainstream Linux, but asked rather than assumed. */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    } catch {
      ticksPerSecond = 100;
    }
    if (!Number.isFinite(ticksPerSecond) || ticksPerSecond <= 0) ticksPerSecond = 100;
  }
  return ticksPerSecond;
}

export const ticksToMs = (ticks: number): number => (ticks * 1000) / clockTicksPerSecond();

/** The process's stat, or undefined when it is gone or not visible (another pid namespace). */
export function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** CPU time (user + system, all threads) the process has used so far, in ms; throws if gone. */
export function readCpuMs(pid: number): number {
  const { utime, stime } = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  return ticksToMs(utime + stime);
}

/** Now, in clock ticks after boot (the unit of `starttime`). */
export function uptimeTicks(): number {
  const seconds = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  return seconds * clockTicksPerSecond();
}

/** The whole machine's CPU time so far (every core, from /proc/stat), busy and in total, ms. */
export function readBoxCpuMs(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  // cpu user nice system idle iowait irq softirq steal (guest time is already in user)
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy: ticksToMs(busy), total: ticksToMs(busy + idle! + iowait!) };
}
