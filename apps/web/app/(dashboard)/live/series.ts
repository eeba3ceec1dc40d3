import type { RouterOutputs } from '@/lib/trpc';

export type History = RouterOutputs['live']['history'];
export type Marker = History['markers'][number];
export type Row = Record<string, number | null>;
type Values = Array<number | null>;

/** Recharts rows, one per step of the answer: `t` and one key per column (null is a gap). */
export function rowsOf(history: History, columns: Record<string, Values>): Row[] {
  return history.times.map((t, i) => {
    const row: Row = { t };
    for (const [key, values] of Object.entries(columns)) row[key] = values[i] ?? null;
    return row;
  });
}

/** One line per process of `pick(process)`, keyed by process id. */
export function perProcess(
  history: History,
  pick: (process: History['processes'][number]) => Values,
) {
  return {
    lines: history.processes.map((p) => ({ key: p.id, label: `${p.role} ${p.pid}` })),
    data: rowsOf(history, Object.fromEntries(history.processes.map((p) => [p.id, pick(p)]))),
  };
}

/** One line per event partition. */
export function perPartition(
  history: History,
  pick: (partition: History['partitions'][number]) => Values,
) {
  const key = (p: number) => `partition ${p}`;
  return {
    lines: history.partitions.map((p) => ({ key: key(p.partition), label: key(p.partition) })),
    data: rowsOf(
      history,
      Object.fromEntries(history.partitions.map((p) => [key(p.partition), pick(p)])),
    ),
  };
}

/**
 * The newest value that is not a gap, leaving out the newest step: it may still miss processes
 * that have not published it yet.
 */
export function recent(values: Values): number | null {
  for (let i = values.length - 2; i >= 0; i -= 1) {
    const v = values[i];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

/** The sum over partitions of their recent depth. */
export function recentQueueDepth(history: History): number | null {
  const depths = history.partitions.map((p) => recent(p.depth));
  return depths.every((d) => d === null) ? null : depths.reduce<number>((a, d) => a + (d ?? 0), 0);
}
