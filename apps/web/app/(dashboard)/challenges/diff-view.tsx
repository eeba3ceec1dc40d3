'use client';
import { useQuery } from '@tanstack/react-query';
import { Badge } from '@/components/ui/badge';
import { Empty, ErrorText, Loading } from '@/components/ui/feedback';
import { plural } from '@/lib/plural';
import { useTRPC } from '@/lib/trpc';

function show(value: unknown): string {
  return value === undefined ? '—' : JSON.stringify(value);
}

/** What publishing the saved draft would change against the live version. */
export function DiffView() {
  const trpc = useTRPC();
  const diff = useQuery(trpc.challenge.diffDraft.queryOptions());
  if (diff.isPending) return <Loading />;
  if (diff.isError) return <ErrorText error={diff.error} />;
  const { diff: changes, problems, liveVersion } = diff.data;
  if (!changes) {
    return (
      <Empty>
        The saved draft has {plural(problems.length, 'problem')}; fix the draft to compare it with
        the live version.
      </Empty>
    );
  }
  if (changes.identical)
    return <Empty>The saved draft is identical to live version {liveVersion}.</Empty>;
  const rows: { kind: 'added' | 'removed' | 'changed'; what: string; detail?: string[] }[] = [
    ...changes.challenges.added.map((c) => ({
      kind: 'added' as const,
      what: `challenge ${c.challengeId}`,
    })),
    ...changes.challenges.removed.map((c) => ({
      kind: 'removed' as const,
      what: `challenge ${c.challengeId}`,
    })),
    ...changes.challenges.changed.map((c) => ({
      kind: 'changed' as const,
      what: `challenge ${c.challengeId}`,
      detail: c.changes.map((f) => `${f.field}: ${show(f.before)} → ${show(f.after)}`),
    })),
    ...changes.goals.added.map((g) => ({
      kind: 'added' as const,
      what: `goal ${g.challengeId}/${g.goalId}`,
    })),
    ...changes.goals.removed.map((g) => ({
      kind: 'removed' as const,
      what: `goal ${g.challengeId}/${g.goalId}`,
    })),
    ...changes.goals.changed.map((g) => ({
      kind: 'changed' as const,
      what: `goal ${g.challengeId}/${g.goalId}`,
      detail: g.changes.map((f) => `${f.field}: ${show(f.before)} → ${show(f.after)}`),
    })),
  ];
  const tone = { added: 'green', removed: 'red', changed: 'amber' } as const;
  return (
    <div>
      <p className="mb-3 text-sm text-slate-500">Against live version {liveVersion ?? '—'}:</p>
      <ul className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200">
        {rows.map((row) => (
          <li key={`${row.kind}-${row.what}`} className="px-3 py-2 text-sm">
            <div className="flex items-center gap-2">
              <Badge tone={tone[row.kind]}>{row.kind}</Badge>
              <code>{row.what}</code>
            </div>
            {row.detail && (
              <ul className="mt-1 pl-2 font-mono text-xs text-slate-600">
                {row.detail.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
        {changes.challengeOrder && (
          <li className="px-3 py-2 text-sm">
            <Badge tone="amber">reordered</Badge> challenges
          </li>
        )}
      </ul>
    </div>
  );
}
