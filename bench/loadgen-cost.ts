// `npm run bench:loadgen -- <runner target options>`: the load generator's own CPU per call, read
// from outside (the runner's /proc time between its first `measure` and first `drain` progress
// line), so any version of the runner can be measured the same way. Start a stack first
// (`npm run loadtest:stack`) and pass the target options it prints.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readCpuMs } from '@challenges/loadtest/proc-cpu';

const usage = `usage: npm run bench:loadgen -- [--scenarios list,initialize,events,mixed] [--duration 30s]
                                 [--cpu-prof DIR] [--cli PATH] -- <npm run loadtest target options>
  --cli   the runner's cli.ts (default tools/loadtest/src/cli.ts): e.g. an older version's copy`;

const separator = process.argv.indexOf('--');
const own = separator === -1 ? process.argv.slice(2) : process.argv.slice(2, separator);
const passed = separator === -1 ? [] : process.argv.slice(separator + 1);
const { values } = parseArgs({
  args: own,
  options: {
    scenarios: { type: 'string', default: 'list,initialize,events,mixed' },
    duration: { type: 'string', default: '30s' },
    'cpu-prof': { type: 'string' },
    cli: { type: 'string', default: 'tools/loadtest/src/cli.ts' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help || passed.length === 0) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}

// Below saturation of the 2-core box: the bench's rates for the single-endpoint scenarios, the
// original's mix for mixed.
const rates: Record<string, string[]> = {
  list: ['--rps', '200'],
  initialize: ['--rps', '100'],
  events: ['--eps', '500'],
  mixed: ['--rps', '300', '--eps', '500'],
};
const root = path.resolve(import.meta.dirname, '..');
const out = mkdtempSync(path.join(tmpdir(), 'loadgen-cost-'));

interface Cost {
  scenario: string;
  calls: number;
  cpuMs: number;
  seconds: number;
}

function measure(scenario: string): Promise<Cost> {
  const prof = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [];
  const runId = `loadgen-${scenario}`;
  const args = [...prof, '--import', 'tsx', values.cli ?? '', '--scenario', scenario];
  args.push(...(rates[scenario] ?? []), '--duration', values.duration ?? '30s');
  args.push('--run-id', runId, '--out', out, ...passed);
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let from: { cpu: number; at: number } | undefined;
  let to: { cpu: number; at: number } | undefined;
  let drained = false;
  let tail = '';
  child.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    tail = (tail + text).slice(-3000);
    const sample = () => ({ cpu: readCpuMs(child.pid!), at: performance.now() });
    // The runner prints progress every second; the last measure line (or the first drain line)
    // closes the window, and the calls are prorated to it.
    if (text.includes('[loadtest] measure ')) {
      if (!from) from = sample();
      else if (!drained) to = sample();
    }
    if (from && !drained && text.includes('[loadtest] drain ')) {
      to = sample();
      drained = true;
    }
  });
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => {
      if (code !== 0 || !from || !to)
        return reject(new Error(`${scenario}: exit ${code}\n${tail}`));
      const report = JSON.parse(readFileSync(path.join(out, runId, 'report.json'), 'utf8')) as {
        endpoints: { count: number }[];
        measuredS: number;
      };
      const seconds = (to.at - from.at) / 1000;
      const all = report.endpoints.reduce((s, e) => s + e.count, 0);
      const calls = Math.round((all * Math.min(seconds, report.measuredS)) / report.measuredS);
      resolve({ scenario, calls, cpuMs: to.cpu - from.cpu, seconds });
    }),
  );
}

const rows: string[] = [];
try {
  for (const scenario of (values.scenarios ?? '').split(',')) {
    const c = await measure(scenario);
    const perCall = c.cpuMs / Math.max(1, c.calls);
    rows.push(
      `| ${scenario} | ${(rates[scenario] ?? []).join(' ')} | ${c.calls} | ${Math.round(c.cpuMs)} | ` +
        `${Math.round((c.cpuMs / c.seconds / 10) * 10) / 10} | **${perCall.toFixed(3)}** |`,
    );
    console.error(`[loadgen] ${rows.at(-1)}`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
console.log(
  '| scenario | rate | measured calls | generator CPU-ms | % of one core | CPU-ms per call |',
);
console.log('|---|---|--:|--:|--:|--:|');
console.log(rows.join('\n'));
