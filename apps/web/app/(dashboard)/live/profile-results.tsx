'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorText } from '@/components/ui/feedback';
import { Select } from '@/components/ui/input';
import { Table, Td, Th } from '@/components/ui/table';
import { describeError, useTRPC } from '@/lib/trpc';
import { formatBytes } from './charts';
import { FlameGraph } from './flame-graph';
import { ProfileDiff } from './profile-diff';
import type { ProfileResult, Profiler } from './profile-panel';

export const kindName = (kind: ProfileResult['kind']) => (kind === 'cpu' ? 'CPU' : 'Heap');

export function profileLabel(result: ProfileResult, index: number): string {
  return `#${index + 1} ${kindName(result.kind)} ${result.processId} (${result.seconds} s)`;
}

export function formatAmount(unit: 'ms' | 'bytes', value: number): string {
  return unit === 'ms' ? `${value.toFixed(1)} ms` : formatBytes(value);
}

function Download({ profileId }: { profileId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    setError(undefined);
    try {
      // Not kept in the cache: a raw profile can be megabytes, and each download is one save.
      const { raw, filename } = await queryClient.fetchQuery(
        trpc.profile.raw.queryOptions({ profileId }, { gcTime: 0 }),
      );
      const url = URL.createObjectURL(new Blob([raw], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      link.click();
      URL.revokeObjectURL(url);
    } catch (caught) {
      setError(describeError(caught).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="inline-flex items-center gap-2">
      <Button variant="secondary" size="sm" busy={busy} onClick={download}>
        Download raw profile
      </Button>
      {error && <span className="text-xs text-rose-600">{error}</span>}
    </span>
  );
}

function Summary({ result }: { result: ProfileResult }) {
  const { summary } = result;
  const { idle, program, gc } = summary.excluded;
  return (
    <>
      {summary.unit === 'ms' && (
        <p className="px-4 pt-3 text-xs text-slate-500" data-testid="excluded">
          Left out of the percentages: idle {formatAmount('ms', idle)} · program{' '}
          {formatAmount('ms', program)} · GC {formatAmount('ms', gc)}; functions ran{' '}
          {formatAmount('ms', summary.total)}.
        </p>
      )}
      <Table>
        <thead>
          <tr>
            <Th>Function</Th>
            <Th>Location</Th>
            <Th className="text-right">Self</Th>
            <Th className="text-right">Self %</Th>
            <Th className="text-right">Total %</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {summary.bySelf
            .filter((row) => row.self > 0)
            .slice(0, 15)
            .map((row) => (
              <tr key={`${row.functionName}-${row.location}`}>
                <Td className="font-mono text-xs">{row.functionName}</Td>
                <Td className="max-w-md truncate font-mono text-xs text-slate-500">
                  {row.location}
                </Td>
                <Td className="text-right tabular-nums">{formatAmount(summary.unit, row.self)}</Td>
                <Td className="text-right tabular-nums">{row.selfPercent.toFixed(1)}</Td>
                <Td className="text-right tabular-nums">{row.totalPercent.toFixed(1)}</Td>
              </tr>
            ))}
        </tbody>
      </Table>
    </>
  );
}

/** The profiles taken on this page: one shown (summary, flame graph, download), two compared. */
export function ProfileResults({ profiler }: { profiler: Profiler }) {
  const { results, mutation } = profiler;
  const [shownId, setShownId] = useState<string | null>(null);
  const shown = results.find((r) => r.profileId === shownId) ?? results[0];
  return (
    <>
      {mutation.isError && <ErrorText error={mutation.error} />}
      {shown && (
        <Card
          title={`${kindName(shown.kind)} profile of ${shown.processId} (${shown.seconds} s) — top functions by self ${shown.summary.unit === 'ms' ? 'time' : 'allocation'}`}
          actions={
            <div className="flex flex-wrap items-center gap-2 font-normal">
              {results.length > 1 && (
                <Select
                  aria-label="Profile shown"
                  value={shown.profileId}
                  onChange={(event) => setShownId(event.target.value)}
                >
                  {results.map((r, i) => (
                    <option key={r.profileId} value={r.profileId}>
                      {profileLabel(r, results.length - 1 - i)}
                    </option>
                  ))}
                </Select>
              )}
              <Download profileId={shown.profileId} />
            </div>
          }
        >
          <Summary result={shown} />
          <FlameGraph key={shown.profileId} profileId={shown.profileId} unit={shown.summary.unit} />
        </Card>
      )}
      {results.length > 1 && <ProfileDiff results={results} />}
    </>
  );
}
