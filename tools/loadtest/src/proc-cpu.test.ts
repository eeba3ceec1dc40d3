import { describe, expect, it } from 'vitest';
import { parseProcStat, readBoxCpuMs, readCpuMs, readProcStat, uptimeTicks } from './proc-cpu.ts';

describe('parseProcStat', () => {
  it('reads the fields even when the command name has spaces and parentheses', () => {
    const line =
      '4242 (node (main) x) S 1 4242 4242 0 -1 4194304 12345 0 0 0 731 118 0 0 20 0 11 0 99 0 0';
    expect(parseProcStat(line)).toEqual({
      comm: 'node (main) x',
      ppid: 1,
      utime: 731,
      stime: 118,
      starttime: 99,
    });
  });

  it('rejects text that is not a stat line', () => {
    expect(() => parseProcStat('garbage')).toThrow(/unexpected/);
  });
});

/** Spins until this process has used `ms` more CPU by its own account (not wall time). */
function burnCpu(ms: number): void {
  const start = process.cpuUsage();
  for (;;) {
    for (let i = 0; i < 10_000; i++) Math.sqrt(i);
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) return;
  }
}

describe('readCpuMs', () => {
  // CPU time burnt, not wall time spun: on a busy machine a 150 ms wall-clock loop may get far
  // less than 150 ms of CPU, but 150 ms of CPU is 150 ms of CPU however long it takes.
  it('sees the CPU this process burns, to the tick', () => {
    const before = readCpuMs(process.pid);
    burnCpu(150);
    const seen = readCpuMs(process.pid) - before;
    // Two 10 ms ticks of rounding; other threads (GC helpers) may add a little.
    expect(seen).toBeGreaterThanOrEqual(130);
    expect(seen).toBeLessThan(400);
  });

  it('names this process and knows it started before now', () => {
    const stat = readProcStat(process.pid)!;
    expect(stat.comm).toMatch(/node/);
    expect(stat.starttime).toBeLessThanOrEqual(uptimeTicks());
    expect(readProcStat(2 ** 30)).toBeUndefined();
  });

  it('counts the box: busy time grows with the CPU this process burns', () => {
    const before = readBoxCpuMs();
    burnCpu(100);
    const after = readBoxCpuMs();
    expect(after.busy - before.busy).toBeGreaterThanOrEqual(80);
    expect(after.total).toBeGreaterThan(before.total);
  });
});
