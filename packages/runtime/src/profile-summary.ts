/** The parts of a V8 call frame the summary needs (Chrome DevTools' .cpuprofile format). */
export interface ProfileCallFrame {
  functionName: string;
  url: string;
  /** 0-based, as V8 reports it. */
  lineNumber: number;
  columnNumber?: number;
}

export interface CpuProfileNode {
  id: number;
  callFrame: ProfileCallFrame;
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  /** Microseconds since the previous sample. */
  timeDeltas?: number[];
}

export interface HeapProfileNode {
  callFrame: ProfileCallFrame;
  selfSize: number;
  id: number;
  children: HeapProfileNode[];
}

export interface HeapProfile {
  head: HeapProfileNode;
  samples?: unknown[];
}

export interface ProfileRow {
  /** `(anonymous)` for unnamed functions. */
  functionName: string;
  /** `url:line` (1-based line), or the V8 pseudo-frame name such as `(idle)`. */
  location: string;
  self: number;
  selfPercent: number;
  total: number;
  totalPercent: number;
}

/** V8's pseudo-frames for time outside JavaScript the process chose to run. */
export const EXCLUDED_FRAMES = {
  '(idle)': 'idle',
  '(program)': 'program',
  '(garbage collector)': 'gc',
} as const;
type Excluded = (typeof EXCLUDED_FRAMES)[keyof typeof EXCLUDED_FRAMES];

export function excludedFrame(functionName: string): Excluded | undefined {
  return EXCLUDED_FRAMES[functionName as keyof typeof EXCLUDED_FRAMES];
}

export interface ProfileSummary {
  /** `ms` for CPU profiles, `bytes` for heap sampling profiles. */
  unit: 'ms' | 'bytes';
  /**
   * Sum of the self values that percentages are of: the profile's duration (ms) without idle,
   * program and GC time, or the sampled bytes still allocated.
   */
  total: number;
  /** Idle, program (V8 and native code) and GC time, shown apart from the functions. */
  excluded: Record<Excluded, number>;
  bySelf: ProfileRow[];
  byTotal: ProfileRow[];
}

interface FlatNode {
  frame: ProfileCallFrame;
  parent: number | undefined;
  self: number;
}

function frameKey(frame: ProfileCallFrame): string {
  return `${frame.functionName}\u0000${frame.url}\u0000${frame.lineNumber}\u0000${frame.columnNumber ?? 0}`;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Self and total per function (not per call-tree node): a function reached through several
 * paths is one row, and recursion counts its time once in total (a set per stack).
 */
function summarise(nodes: Map<number, FlatNode>, unit: 'ms' | 'bytes', top: number) {
  const rows = new Map<string, { frame: ProfileCallFrame; self: number; total: number }>();
  const row = (frame: ProfileCallFrame) => {
    const key = frameKey(frame);
    let r = rows.get(key);
    if (!r) {
      r = { frame, self: 0, total: 0 };
      rows.set(key, r);
    }
    return r;
  };
  let sum = 0;
  const excluded: Record<Excluded, number> = { idle: 0, program: 0, gc: 0 };
  for (const node of nodes.values()) {
    const pseudo = excludedFrame(node.frame.functionName);
    if (pseudo) {
      excluded[pseudo] += node.self;
      continue;
    }
    row(node.frame).self += node.self;
    if (node.self === 0) continue;
    sum += node.self;
    const seen = new Set<string>();
    for (
      let n: FlatNode | undefined = node;
      n;
      n = n.parent === undefined ? undefined : nodes.get(n.parent)
    ) {
      const key = frameKey(n.frame);
      if (seen.has(key)) continue;
      seen.add(key);
      row(n.frame).total += node.self;
    }
  }
  const visible = [...rows.values()].filter((r) => r.frame.functionName !== '(root)');
  const toRow = (r: (typeof visible)[number]): ProfileRow => ({
    functionName: r.frame.functionName || '(anonymous)',
    location: r.frame.url ? `${r.frame.url}:${r.frame.lineNumber + 1}` : r.frame.functionName,
    self: round(r.self),
    selfPercent: sum > 0 ? round((r.self / sum) * 100) : 0,
    total: round(r.total),
    totalPercent: sum > 0 ? round((r.total / sum) * 100) : 0,
  });
  return {
    unit,
    total: round(sum),
    excluded: {
      idle: round(excluded.idle),
      program: round(excluded.program),
      gc: round(excluded.gc),
    },
    bySelf: [...visible]
      .sort((a, b) => b.self - a.self)
      .slice(0, top)
      .map(toRow),
    byTotal: [...visible]
      .sort((a, b) => b.total - a.total)
      .slice(0, top)
      .map(toRow),
  };
}

/** Self time (ms) per call-tree node id; it comes from the sample time deltas. */
export function cpuNodeSelf(profile: CpuProfile): Map<number, number> {
  const self = new Map<number, number>(profile.nodes.map((n) => [n.id, 0]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length > 0 && deltas.length === samples.length) {
    // V8's delta i is the gap before sample i, so sample i lasts until sample i + 1 (the last
    // one until endTime), as Chrome DevTools counts it.
    let at = profile.startTime;
    for (let i = 0; i < samples.length; i += 1) {
      at += deltas[i] as number;
      const next = i + 1 < deltas.length ? at + (deltas[i + 1] as number) : profile.endTime;
      const id = samples[i] as number;
      if (self.has(id)) self.set(id, (self.get(id) ?? 0) + Math.max(0, next - at) / 1000);
    }
    return self;
  }
  // No timeline: spread the duration evenly over the hit counts.
  const hits = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
  const perHit = hits > 0 ? (profile.endTime - profile.startTime) / 1000 / hits : 0;
  for (const node of profile.nodes) self.set(node.id, (node.hitCount ?? 0) * perHit);
  return self;
}

/** Top functions of a .cpuprofile by self and by total time. */
export function summariseCpuProfile(profile: CpuProfile, top = 30): ProfileSummary {
  const self = cpuNodeSelf(profile);
  const nodes = new Map<number, FlatNode>();
  for (const node of profile.nodes) {
    nodes.set(node.id, { frame: node.callFrame, parent: undefined, self: self.get(node.id) ?? 0 });
  }
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      const flat = nodes.get(child);
      if (flat) flat.parent = node.id;
    }
  }
  return summarise(nodes, 'ms', top);
}

/** Top allocating functions of a sampling heap profile (bytes still live at the stop). */
export function summariseHeapProfile(profile: HeapProfile, top = 30): ProfileSummary {
  const nodes = new Map<number, FlatNode>();
  const walk = (node: HeapProfileNode, parent: number | undefined) => {
    nodes.set(node.id, { frame: node.callFrame, parent, self: node.selfSize });
    for (const child of node.children) walk(child, node.id);
  };
  walk(profile.head, undefined);
  return summarise(nodes, 'bytes', top);
}
