import {
  type CpuProfile,
  cpuNodeSelf,
  excludedFrame,
  type HeapProfile,
  type HeapProfileNode,
  type ProfileCallFrame,
  type ProfileSummary,
  summariseCpuProfile,
  summariseHeapProfile,
} from './profile-summary.ts';
import type { ProfileKind } from './profiler.ts';

/** One call-tree node of a flame graph; `value` includes the children's. */
export interface FlameNode {
  name: string;
  location: string;
  value: number;
  children: FlameNode[];
}

/** Nodes narrower than this share of the whole are left out (they would be under a pixel). */
const MIN_SHARE = 0.001;
const MAX_DEPTH = 80;

function label(frame: ProfileCallFrame) {
  return {
    name: frame.functionName || '(anonymous)',
    location: frame.url ? `${frame.url}:${frame.lineNumber + 1}` : '',
  };
}

function prune(node: FlameNode, min: number, depth: number): FlameNode {
  const children =
    depth >= MAX_DEPTH
      ? []
      : node.children
          .filter((c) => c.value >= min)
          .sort((a, b) => b.value - a.value)
          .map((c) => prune(c, min, depth + 1));
  return { ...node, children };
}

function cpuTree(profile: CpuProfile): FlameNode {
  const self = cpuNodeSelf(profile);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const childIds = new Set(profile.nodes.flatMap((n) => n.children ?? []));
  const build = (id: number): FlameNode => {
    const node = byId.get(id);
    if (!node) return { name: '?', location: '', value: 0, children: [] };
    const children = (node.children ?? [])
      // Idle, program and GC are reported apart; in the graph they would be most of its width.
      .filter((c) => !excludedFrame(byId.get(c)?.callFrame.functionName ?? ''))
      .map(build);
    const value = (self.get(id) ?? 0) + children.reduce((s, c) => s + c.value, 0);
    return { ...label(node.callFrame), value, children };
  };
  const root = profile.nodes.find((n) => !childIds.has(n.id));
  return root ? build(root.id) : { name: '(root)', location: '', value: 0, children: [] };
}

function heapTree(node: HeapProfileNode): FlameNode {
  const children = node.children.map(heapTree);
  const value = node.selfSize + children.reduce((s, c) => s + c.value, 0);
  return { ...label(node.callFrame), value, children };
}

/** The call tree of a raw .cpuprofile / .heapprofile, for a flame graph. */
export function flameTree(kind: ProfileKind, raw: string): FlameNode {
  const tree =
    kind === 'cpu'
      ? cpuTree(JSON.parse(raw) as CpuProfile)
      : heapTree((JSON.parse(raw) as HeapProfile).head);
  return prune({ ...tree, name: 'all' }, tree.value * MIN_SHARE, 0);
}

export function summariseRaw(kind: ProfileKind, raw: string, top: number): ProfileSummary {
  return kind === 'cpu'
    ? summariseCpuProfile(JSON.parse(raw) as CpuProfile, top)
    : summariseHeapProfile(JSON.parse(raw) as HeapProfile, top);
}

export interface ProfileDiffRow {
  functionName: string;
  location: string;
  before: number;
  after: number;
  delta: number;
  /** Change in share of the profile (percentage points), fair across different durations. */
  deltaPercent: number;
}

/** Per-function self time (or bytes) of `after` minus `before`, largest changes first. */
export function diffProfiles(
  kind: ProfileKind,
  beforeRaw: string,
  afterRaw: string,
  top = 40,
): { unit: ProfileSummary['unit']; rows: ProfileDiffRow[] } {
  const before = summariseRaw(kind, beforeRaw, Number.POSITIVE_INFINITY);
  const after = summariseRaw(kind, afterRaw, Number.POSITIVE_INFINITY);
  const rows = new Map<string, ProfileDiffRow>();
  const row = (functionName: string, location: string) => {
    const key = `${functionName}\u0000${location}`;
    let r = rows.get(key);
    if (!r) {
      r = { functionName, location, before: 0, after: 0, delta: 0, deltaPercent: 0 };
      rows.set(key, r);
    }
    return r;
  };
  for (const r of before.bySelf) {
    const d = row(r.functionName, r.location);
    d.before = r.self;
    d.deltaPercent -= r.selfPercent;
  }
  for (const r of after.bySelf) {
    const d = row(r.functionName, r.location);
    d.after = r.self;
    d.deltaPercent += r.selfPercent;
  }
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    unit: after.unit,
    rows: [...rows.values()]
      .map((r) => ({ ...r, delta: round(r.after - r.before), deltaPercent: round(r.deltaPercent) }))
      .filter((r) => r.delta !== 0)
      .sort((a, b) => Math.abs(b.deltaPercent) - Math.abs(a.deltaPercent))
      .slice(0, top),
  };
}
