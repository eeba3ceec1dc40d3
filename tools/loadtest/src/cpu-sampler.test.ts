import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { CpuSampler } from './cpu-sampler.ts';

// A process that burns an exact amount of CPU when told to: by its own CPU clock, not wall time,
// so the amount holds however busy the machine is (it only takes longer).
const BURNER = `
const rl = require('node:readline').createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const [cmd, ms] = line.split(' ');
  if (cmd === 'exit') process.exit(0);
  const start = process.cpuUsage();
  for (;;) {
    for (let i = 0; i < 10000; i++) Math.sqrt(i);
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= Number(ms)) break;
  }
  process.stdout.write('done\\n');
});
process.stdout.write('ready\\n');
`;

interface Burner {
  pid: number;
  burn(ms: number): Promise<void>;
  exit(): Promise<void>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

async function burner(): Promise<Burner> {
  const child = spawn(process.execPath, ['-e', BURNER], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (expected: string) => {
    const { value } = await lines.next();
    if (value !== expected) throw new Error(`burner said '${value}', expected '${expected}'`);
  };
  await next('ready');
  return {
    pid: child.pid!,
    async burn(ms) {
      child.stdin!.write(`burn ${ms}\n`);
      await next('done');
    },
    async exit() {
      const exited = once(child, 'exit');
      child.stdin!.write('exit\n');
      await exited;
    },
  };
}

// Tick rounding (10 ms) at both ends, plus the little CPU a burner spends reading its command.
const SLACK = 60;

describe('CpuSampler (real processes burning a known amount of CPU)', () => {
  it('counts only what a process burns inside the window, summed over its group', async () => {
    const [a, b, idle] = await Promise.all([burner(), burner(), burner()]);
    await a.burn(100); // before the window: not counted
    const sampler = new CpuSampler(
      async () =>
        new Map([
          ['busy', [a.pid, b.pid]],
          ['idle', [idle.pid]],
        ]),
    );
    await sampler.start();
    await a.burn(200);
    await sampler.sample();
    await b.burn(150);
    const totals = await sampler.stop();

    const busy = totals.groups.get('busy')!;
    expect(busy.pids).toEqual([a.pid, b.pid].sort((x, y) => x - y));
    expect(busy.cpuMs).toBeGreaterThanOrEqual(350 - 20);
    expect(busy.cpuMs).toBeLessThanOrEqual(350 + SLACK);
    expect(totals.groups.get('idle')!.cpuMs).toBeLessThanOrEqual(SLACK);
    // The box saw at least what the burners burnt.
    expect(totals.boxBusyMs).toBeGreaterThanOrEqual(350 - 20);
  }, 60_000);

  it('counts a process that starts inside the window from its start, and one that ends up to its last sample', async () => {
    const groups = new Map<string, number[]>([
      ['late', []],
      ['gone', []],
    ]);
    const sampler = new CpuSampler(async () => new Map(groups));
    await sampler.start();
    const late = await burner(); // started after the window opened: its start-up counts too
    groups.set('late', [late.pid]);
    await late.burn(150);
    const gone = await burner();
    groups.set('gone', [gone.pid]);
    await gone.burn(150);
    await sampler.sample();
    groups.set('gone', []);
    await gone.exit();
    const totals = await sampler.stop();

    for (const key of ['late', 'gone']) {
      const group = totals.groups.get(key)!;
      expect(group.pids).toHaveLength(1);
      expect(group.cpuMs).toBeGreaterThanOrEqual(150 - 20);
      // A node start-up on top of the 150 ms; even a slow one stays far below this.
      expect(group.cpuMs).toBeLessThanOrEqual(150 + 1_000);
    }
  }, 60_000);
});
