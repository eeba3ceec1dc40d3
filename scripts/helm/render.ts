// Renders the Helm chart in deploy/helm without the helm binary (no download is possible on the
// machines that test this repository): the subset of Go templates and Sprig the chart uses —
// `{{- -}}` trimming, if/else/end, range over a map, define/include, and the functions below. A
// value the chart names that values.yaml lacks is an error here (helm would print
// `<no value>`), which is what the chart check wants.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; expr: string }
  | { kind: 'if'; expr: string; whenTrue: Node[]; whenFalse: Node[] }
  | { kind: 'range'; key: string; value: string; expr: string; body: Node[] };

interface Scope {
  dot: unknown;
  root: unknown;
  vars: Record<string, unknown>;
  defines: Map<string, Node[]>;
}

/** Splits a template into text and actions, applying `{{-` and `-}}` trimming. */
function tokenize(source: string): { text?: string; action?: string }[] {
  const tokens: { text?: string; action?: string }[] = [];
  const pattern = /\{\{(-?)\s*([\s\S]*?)\s*(-?)\}\}/g;
  let last = 0;
  let trimNext = false;
  for (let m = pattern.exec(source); m; m = pattern.exec(source)) {
    let text = source.slice(last, m.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (m[1] === '-') text = text.replace(/\s+$/, '');
    tokens.push({ text }, { action: m[2] ?? '' });
    trimNext = m[3] === '-';
    last = m.index + m[0].length;
  }
  const rest = source.slice(last);
  tokens.push({ text: trimNext ? rest.replace(/^\s+/, '') : rest });
  return tokens;
}

function parseTemplate(source: string, defines: Map<string, Node[]>): Node[] {
  const tokens = tokenize(source);
  let i = 0;
  const block = (): { nodes: Node[]; end: string } => {
    const nodes: Node[] = [];
    while (i < tokens.length) {
      const token = tokens[i++]!;
      if (token.text !== undefined) {
        if (token.text) nodes.push({ kind: 'text', text: token.text });
        continue;
      }
      const action = token.action!;
      if (action === 'end' || action === 'else') return { nodes, end: action };
      if (action.startsWith('/*')) continue;
      const define = /^define "([^"]+)"$/.exec(action);
      if (define) {
        defines.set(define[1]!, block().nodes);
        continue;
      }
      if (action.startsWith('if ')) {
        const then = block();
        const otherwise = then.end === 'else' ? block().nodes : [];
        nodes.push({
          kind: 'if',
          expr: action.slice(3),
          whenTrue: then.nodes,
          whenFalse: otherwise,
        });
        continue;
      }
      const range = /^range (\$\w+), (\$\w+) := (.+)$/.exec(action);
      if (range) {
        const [, key, value, expr] = range;
        nodes.push({ kind: 'range', key: key!, value: value!, expr: expr!, body: block().nodes });
        continue;
      }
      if (/^(range|with|else if|template)\b/.test(action)) {
        throw new Error(`template action not supported by the chart check: {{ ${action} }}`);
      }
      nodes.push({ kind: 'action', expr: action });
    }
    return { nodes, end: '' };
  };
  return block().nodes;
}

/** Splits `a "b c" (d e) f` into terms, keeping strings and parenthesised groups whole. */
function terms(expr: string): string[] {
  const out: string[] = [];
  const pattern = /"(?:[^"\\]|\\.)*"|\((?:[^()]|\([^()]*\))*\)|[^\s]+/g;
  for (const m of expr.matchAll(pattern)) out.push(m[0]);
  return out;
}

function splitPipeline(expr: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let current = '';
  for (const ch of expr) {
    if (ch === '"' && !current.endsWith('\\')) inString = !inString;
    if (!inString && ch === '(') depth++;
    if (!inString && ch === ')') depth--;
    if (!inString && depth === 0 && ch === '|') {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  parts.push(current.trim());
  return parts;
}

function lookup(value: unknown, pathParts: string[], expr: string): unknown {
  let current = value;
  for (const part of pathParts) {
    if (current === null || typeof current !== 'object' || !(part in current)) {
      throw new Error(`the chart names ${expr}, which the values do not have`);
    }
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') {
    return false;
  }
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function toYaml(value: unknown): string {
  return stringify(value, { sortMapEntries: true, lineWidth: 0 }).replace(/\n$/, '');
}

function term(source: string, scope: Scope): unknown {
  if (source.startsWith('"')) return JSON.parse(source);
  if (/^-?\d+$/.test(source)) return Number(source);
  if (source.startsWith('(')) return evaluate(source.slice(1, -1), scope);
  if (source === '.') return scope.dot;
  if (source.startsWith('$')) {
    const [name = '', ...rest] = source.split('.');
    if (!(name in scope.vars)) throw new Error(`unknown variable ${name}`);
    return lookup(scope.vars[name], rest, source);
  }
  if (source.startsWith('.')) return lookup(scope.dot, source.slice(1).split('.'), source);
  throw new Error(`unknown term ${source}`);
}

const FUNCTIONS: Record<string, (scope: Scope, ...args: unknown[]) => unknown> = {
  quote: (_, value) => JSON.stringify(String(value ?? '')),
  toYaml: (_, value) => toYaml(value),
  nindent: (_, n, text) =>
    `\n${String(text)
      .split('\n')
      .map((line) => ' '.repeat(Number(n)) + line)
      .join('\n')}`,
  default: (_, fallback, value) => (truthy(value) ? value : fallback),
  not: (_, value) => !truthy(value),
  printf: (_, format, ...args) => {
    let i = 0;
    return String(format).replace(/%[sd]/g, () => String(args[i++]));
  },
  include: (scope, name, dot) => {
    const body = scope.defines.get(String(name));
    if (!body) throw new Error(`include of an undefined template "${name}"`);
    return run(body, { ...scope, dot, vars: {} });
  },
};

/** One command of a pipeline; `piped` is the previous command's value, passed last. */
function command(source: string, scope: Scope, piped: unknown[]): unknown {
  const [head = '', ...rest] = terms(source);
  const fn = FUNCTIONS[head];
  if (!fn) {
    if (rest.length > 0 || piped.length > 0) throw new Error(`unknown function ${head}`);
    return term(head, scope);
  }
  return fn(scope, ...rest.map((t) => term(t, scope)), ...piped);
}

function evaluate(expr: string, scope: Scope): unknown {
  let value: unknown[] = [];
  for (const part of splitPipeline(expr)) value = [command(part, scope, value)];
  return value[0];
}

function run(nodes: Node[], scope: Scope): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'action') {
      const value = evaluate(node.expr, scope);
      out += value === null || value === undefined ? '' : String(value);
    } else if (node.kind === 'if') {
      out += run(truthy(evaluate(node.expr, scope)) ? node.whenTrue : node.whenFalse, scope);
    } else {
      const map = evaluate(node.expr, scope);
      if (map === null || typeof map !== 'object' || Array.isArray(map)) {
        throw new Error(`range over ${node.expr}: not a map`);
      }
      for (const key of Object.keys(map).sort()) {
        const value = (map as Record<string, unknown>)[key];
        const vars = { ...scope.vars, [node.key]: key, [node.value]: value };
        out += run(node.body, { ...scope, dot: value, vars });
      }
    }
  }
  return out;
}

export interface RenderOptions {
  release?: { name: string; revision: number };
  /** Merged over values.yaml, as `helm install -f` does (objects merge, the rest replaces). */
  values?: Record<string, unknown>;
}

function merge(base: unknown, over: unknown): unknown {
  if (
    base === null ||
    over === null ||
    typeof base !== 'object' ||
    typeof over !== 'object' ||
    Array.isArray(base) ||
    Array.isArray(over)
  ) {
    return over;
  }
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(over)) out[key] = merge(out[key], value);
  return out;
}

/** The chart's templates rendered into Kubernetes objects (one per YAML document). */
export function renderChart(
  chartDir: string,
  options: RenderOptions = {},
): Record<string, unknown>[] {
  const chart = parse(readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8'));
  const values = merge(
    parse(readFileSync(path.join(chartDir, 'values.yaml'), 'utf8')),
    options.values ?? {},
  );
  const release = options.release ?? { name: 'challenges', revision: 1 };
  const root = {
    Values: values,
    Release: { Name: release.name, Revision: release.revision, Namespace: 'default' },
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
  };
  const templatesDir = path.join(chartDir, 'templates');
  const files = readdirSync(templatesDir).sort();
  const defines = new Map<string, Node[]>();
  const parsed = files.map((file) => ({
    file,
    nodes: parseTemplate(readFileSync(path.join(templatesDir, file), 'utf8'), defines),
  }));
  const objects: Record<string, unknown>[] = [];
  for (const { file, nodes } of parsed) {
    if (file.startsWith('_')) continue;
    const text = run(nodes, { dot: root, root, vars: {}, defines });
    for (const document of text.split(/^---$/m)) {
      let object: unknown;
      try {
        object = parse(document);
      } catch (error) {
        throw new Error(`${file} renders invalid YAML: ${(error as Error).message}\n${document}`);
      }
      if (object) objects.push(object as Record<string, unknown>);
    }
  }
  return objects;
}
