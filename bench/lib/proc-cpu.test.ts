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
  it('sees the CPU this process burns', () => {
    const before = readCpuMs(process.pid);
    const until = performance.now() + 150;
    while (performance.now() < until) Math.sqrt(Math.random());
    expect(readCpuMs(process.pid) - before).toBeGreaterThanOrEqual(100);
  });
});
