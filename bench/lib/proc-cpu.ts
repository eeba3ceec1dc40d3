import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface CpuTicks {
  utime: number;
  stime: number;
}

/**
 * utime and stime (fields 14 and 15 of proc(5)) of /proc/<pid>/stat. The command name in field 2
 * may contain spaces and parentheses, so fields are counted from the last ')'.
 */
export function parseProcStat(text: string): CpuTicks {
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state), so field n is rest[n - 3].
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new Error(`unexpected /proc/<pid>/stat format: ${text.slice(0, 120)}`);
  }
  return { utime, stime };
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

/**
 * CPU time (user + system, all threads: JS, GC helpers, libuv pool) the process has used so far,
 * in ms. Tick granularity is 10 ms, so a measurement needs several seconds of work to be exact
 * to the percent; the bench's ≥ 3000 requests give that.
 */
export function readCpuMs(pid: number): number {
  const { utime, stime } = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  return ((utime + stime) * 1000) / clockTicksPerSecond();
}
