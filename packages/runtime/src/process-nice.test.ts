import { spawnSync } from 'node:child_process';
import { getPriority } from 'node:os';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { applyProcessNice } from './process-lifecycle.ts';

const ENTRY = new URL('./process-lifecycle.ts', import.meta.url).pathname;

/** The nice value a fresh process ends up with after applyProcessNice(nice), read back from the OS. */
function niceAfter(nice: number): { priority: number; log: string } {
  const script = `
    import { applyProcessNice } from ${JSON.stringify(ENTRY)};
    import { getPriority } from 'node:os';
    import pino from 'pino';
    applyProcessNice(${nice}, pino({ base: null }));
    console.error('PRIORITY ' + getPriority());
  `;
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '--eval', script],
    { encoding: 'utf8' },
  );
  return { priority: Number(/PRIORITY (-?\d+)/.exec(run.stderr)?.[1]), log: run.stdout };
}

describe('PROCESS_NICE', () => {
  it('lowers the priority of the process it runs in and says so', () => {
    const base = getPriority();
    const { priority, log } = niceAfter(Math.min(19, base + 7));
    expect(priority).toBe(Math.min(19, base + 7));
    expect(log).toContain('scheduling priority set (PROCESS_NICE)');
  });

  it('runs on at its priority, with a warning, where the OS refuses the change', () => {
    const lines: { msg: string; nice: number; current: number }[] = [];
    const log = pino({ base: null }, { write: (line: string) => lines.push(JSON.parse(line)) });
    expect(() =>
      applyProcessNice(-5, log, () => {
        throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      }),
    ).not.toThrow();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ nice: -5, current: getPriority() });
    expect(lines[0]!.msg).toContain('PROCESS_NICE could not be applied');
  });

  it('leaves the priority alone when unset', () => {
    const lines: string[] = [];
    const log = pino({ base: null }, { write: (line: string) => lines.push(line) });
    const before = getPriority();
    applyProcessNice(undefined, log);
    expect(getPriority()).toBe(before);
    expect(lines).toEqual([]);
  });
});
