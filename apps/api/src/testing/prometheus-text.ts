/**
 * A small strict parser of the Prometheus text exposition format (0.0.4), for tests: anything a
 * Prometheus server would reject, or a histogram it would misread, throws with the line.
 */

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PromFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help?: string;
  samples: PromSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(text: string, line: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
    throw new Error(`bad sample value "${text}" in: ${line}`);
  }
  return Number(text);
}

/** `{a="x",b="y\"z"}` → labels; returns the index after the closing brace. */
function parseLabels(line: string, start: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start + 1;
  while (line[i] !== '}') {
    const eq = line.indexOf('=', i);
    if (eq < 0) throw new Error(`unterminated labels in: ${line}`);
    const name = line.slice(i, eq);
    if (!LABEL.test(name)) throw new Error(`bad label name "${name}" in: ${line}`);
    if (name in labels) throw new Error(`duplicate label "${name}" in: ${line}`);
    if (line[eq + 1] !== '"') throw new Error(`label value must be quoted in: ${line}`);
    let value = '';
    let j = eq + 2;
    for (; j < line.length && line[j] !== '"'; j += 1) {
      if (line[j] === '\\') {
        const next = line[j + 1];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else throw new Error(`bad escape in label value in: ${line}`);
        j += 1;
      } else {
        value += line[j];
      }
    }
    if (j >= line.length) throw new Error(`unterminated label value in: ${line}`);
    labels[name] = value;
    i = j + 1;
    if (line[i] === ',') i += 1;
    else if (line[i] !== '}') throw new Error(`expected , or } in: ${line}`);
  }
  return { labels, end: i + 1 };
}

function parseSample(line: string): PromSample {
  const brace = line.indexOf('{');
  const space = line.indexOf(' ');
  let name: string;
  let labels: Record<string, string> = {};
  let rest: string;
  if (brace >= 0 && (space < 0 || brace < space)) {
    name = line.slice(0, brace);
    const parsed = parseLabels(line, brace);
    labels = parsed.labels;
    if (line[parsed.end] !== ' ') throw new Error(`expected a space after labels in: ${line}`);
    rest = line.slice(parsed.end + 1);
  } else {
    if (space < 0) throw new Error(`sample without value: ${line}`);
    name = line.slice(0, space);
    rest = line.slice(space + 1);
  }
  if (!NAME.test(name)) throw new Error(`bad metric name "${name}" in: ${line}`);
  const parts = rest.split(' ');
  if (parts.length > 2 || (parts[1] !== undefined && !/^-?\d+$/.test(parts[1]))) {
    throw new Error(`bad value/timestamp in: ${line}`);
  }
  return { name, labels, value: parseValue(parts[0] ?? '', line) };
}

function familyOf(families: Map<string, PromFamily>, sample: string): PromFamily | undefined {
  const direct = families.get(sample);
  if (direct) return direct;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!sample.endsWith(suffix)) continue;
    const family = families.get(sample.slice(0, -suffix.length));
    if (family?.type === 'histogram' || (family?.type === 'summary' && suffix !== '_bucket')) {
      return family;
    }
  }
  return undefined;
}

/** Buckets of each label set: `le` increasing, ending at +Inf, cumulative, +Inf = _count. */
function checkHistogram(family: PromFamily): void {
  const key = (labels: Record<string, string>) =>
    JSON.stringify(
      Object.entries(labels)
        .filter(([k]) => k !== 'le')
        .sort(),
    );
  const series = new Map<string, { buckets: [number, number][]; sum?: number; count?: number }>();
  const get = (labels: Record<string, string>) => {
    const k = key(labels);
    let s = series.get(k);
    if (!s) {
      s = { buckets: [] };
      series.set(k, s);
    }
    return s;
  };
  for (const sample of family.samples) {
    const s = get(sample.labels);
    if (sample.name === `${family.name}_bucket`) {
      if (sample.labels.le === undefined) throw new Error(`${family.name}: bucket without le`);
      s.buckets.push([parseValue(sample.labels.le, sample.labels.le), sample.value]);
    } else if (sample.name === `${family.name}_sum`) s.sum = sample.value;
    else if (sample.name === `${family.name}_count`) s.count = sample.value;
    else throw new Error(`${family.name}: unexpected sample ${sample.name}`);
  }
  for (const [labels, s] of series) {
    const where = `${family.name}${labels}`;
    if (s.sum === undefined || s.count === undefined) throw new Error(`${where}: no _sum/_count`);
    if (s.buckets.length === 0) throw new Error(`${where}: no buckets`);
    for (let i = 1; i < s.buckets.length; i += 1) {
      const [le, count] = s.buckets[i] as [number, number];
      const [prevLe, prevCount] = s.buckets[i - 1] as [number, number];
      if (!(le > prevLe)) throw new Error(`${where}: le not increasing at ${le}`);
      if (count < prevCount) throw new Error(`${where}: bucket counts decrease at le=${le}`);
    }
    const last = s.buckets.at(-1) as [number, number];
    if (last[0] !== Number.POSITIVE_INFINITY) throw new Error(`${where}: no +Inf bucket`);
    if (last[1] !== s.count)
      throw new Error(`${where}: +Inf bucket ${last[1]} ≠ _count ${s.count}`);
  }
}

export function parsePrometheusText(text: string): Map<string, PromFamily> {
  const families = new Map<string, PromFamily>();
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const match = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!match) continue; // a plain comment
      const [, kind, name = '', rest = ''] = match;
      if (!NAME.test(name)) throw new Error(`bad metric name in: ${line}`);
      const family = families.get(name) ?? { name, type: 'untyped', samples: [] };
      if (kind === 'TYPE') {
        if (!TYPES.has(rest)) throw new Error(`unknown type in: ${line}`);
        if (families.has(name) && family.samples.length > 0)
          throw new Error(`TYPE after samples: ${line}`);
        family.type = rest as PromFamily['type'];
      } else {
        if (family.help !== undefined) throw new Error(`second HELP in: ${line}`);
        family.help = rest;
      }
      families.set(name, family);
      continue;
    }
    const sample = parseSample(line);
    const family = familyOf(families, sample.name);
    if (!family) throw new Error(`sample without HELP/TYPE: ${line}`);
    const id = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seen.has(id)) throw new Error(`duplicate series: ${line}`);
    seen.add(id);
    family.samples.push(sample);
  }
  for (const family of families.values()) {
    if (family.type === 'histogram') checkHistogram(family);
  }
  return families;
}

/** The finite `le` bounds of a histogram family (of its first label set). */
export function histogramBounds(family: PromFamily): number[] {
  const first = family.samples.find((s) => s.name.endsWith('_bucket'));
  if (!first) return [];
  const rest = JSON.stringify(
    Object.entries(first.labels)
      .filter(([k]) => k !== 'le')
      .sort(),
  );
  return family.samples
    .filter(
      (s) =>
        s.name.endsWith('_bucket') &&
        JSON.stringify(
          Object.entries(s.labels)
            .filter(([k]) => k !== 'le')
            .sort(),
        ) === rest,
    )
    .map((s) => Number(s.labels.le))
    .filter(Number.isFinite);
}
