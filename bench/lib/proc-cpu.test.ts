import { describe, expect, it } from 'vitest';
import { parseProcStat, readCpuMs } from './proc-cpu.ts';

describe('parseProcStat', () => {
  it('reads utime and stime even when the command name has spaces and parentheses', () => {
    const line =
      '4242 (node (main) x) S 1 4242 4242 0 -1 4194304 12345 0 0 0 731 118 0 0 20 0 11 0 99 0 0';
    expect(parseProcStat(line)).toEqual({ utime: 731, stime: 118 });
  });

  it('rejects text that is not a stat line', () => {
    expect(() => parseProcStat('garbage')).toThrow(/unexpected/);
  });
});

describe('readCpuMs', () => {
  // Burns until the kernel's own account (getrusage, via process.cpuUsage) says 200 ms of CPU
  // were used, however long that takes on a busy machine, then compares: /proc must agree
  // within its 10 ms ticks (two readings, so two ticks either way, plus the reads themselves).
  it('agrees with getrusage about the CPU this process burns', () => {
    const before = readCpuMs(process.pid);
    const usageBefore = process.cpuUsage();
    let usedMs = 0;
    while (usedMs < 200) {
      for (let i = 0; i < 10_000; i++) Math.sqrt(Math.random());
      const { user, system } = process.cpuUsage(usageBefore);
      usedMs = (user + system) / 1000;
    }
    const seen = readCpuMs(process.pid) - before;
    expect(seen).toBeGreaterThanOrEqual(usedMs - 20);
    expect(seen).toBeLessThanOrEqual(usedMs + 50);
  });
});
