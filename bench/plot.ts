// `npm run bench:plot`: docs/performance.svg from every bench/results/*.json.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { plotSeries, renderSvg } from './lib/plot.ts';
import type { ScenarioResult } from './lib/report.ts';

const root = path.resolve(import.meta.dirname, '..');
const dir = path.join(root, 'bench/results');
const results = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as ScenarioResult);
const series = plotSeries(results);
const out = path.join(root, 'docs/performance.svg');
writeFileSync(out, renderSvg(series));
console.log(
  `wrote ${path.relative(root, out)}: ${series.map((s) => `${s.scenario} ${s.points.length} runs`).join(', ')}`,
);
