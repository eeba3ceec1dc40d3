'use client';
import { skipToken, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Card } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { ErrorText, Loading } from '@/components/ui/feedback';
import { Select } from '@/components/ui/input';
import { Table, Td, Th } from '@/components/ui/table';
import { useTRPC } from '@/lib/trpc';
import type { ProfileResult } from './profile-panel';
import { formatAmount, profileLabel } from './profile-results';

function Picker({
  label,
  results,
  value,
  onChange,
}: {
  label: string;
  results: ProfileResult[];
  value: string;
  onChange: (id: string) => void;
}) {
  return (
    <Select
      label={label}
      className="min-w-0 sm:w-80"
      value={value}
      onChange={(e) => onChange(e.target.value)}
    >
      {results.map((r, i) => (
        <option key={r.profileId} value={r.profileId}>
          {profileLabel(r, results.length - 1 - i)}
        </option>
      ))}
    </Select>
  );
}

/** Two profiles of one kind compared per function: self time (or bytes) after minus before. */
export function ProfileDiff({ results }: { results: ProfileResult[] }) {
  const trpc = useTRPC();
  const newest = results[0] as ProfileResult;
  const previous = results.find((r, i) => i > 0 && r.kind === newest.kind) ?? results[1];
  // Until one is chosen, the newest profile and the one before it of the same kind.
  const [chosenBefore, setBeforeId] = useState<string | null>(null);
  const [chosenAfter, setAfterId] = useState<string | null>(null);
  const beforeId = chosenBefore ?? previous?.profileId ?? '';
  const afterId = chosenAfter ?? newest.profileId;
  const before = results.find((r) => r.profileId === beforeId);
  const after = results.find((r) => r.profileId === afterId);
  const problem =
    !before || !after
      ? 'Choose two profiles'
      : before.profileId === after.profileId
        ? 'Choose two different profiles'
        : before.kind !== after.kind
          ? 'A CPU profile compares with a CPU profile, a heap profile with a heap profile'
          : undefined;
  const diff = useQuery(
    trpc.profile.diff.queryOptions(
      before && after && problem === undefined
        ? { before: before.profileId, after: after.profileId }
        : skipToken,
      { staleTime: Number.POSITIVE_INFINITY },
    ),
  );
  return (
    <Card title="Compare two profiles — change in self time per function">
      <div className="flex flex-wrap gap-3 px-4 pt-3">
        <Picker label="Before" results={results} value={beforeId} onChange={setBeforeId} />
        <Picker label="After" results={results} value={afterId} onChange={setAfterId} />
      </div>
      {problem && <p className="px-4 py-3 text-sm text-amber-700">{problem}</p>}
      {!problem && diff.isPending && <Loading />}
      {diff.isError && <ErrorText error={diff.error} />}
      {!problem && diff.data && (
        <Table>
          <thead>
            <tr>
              <Th>Function</Th>
              <Th>Location</Th>
              <Th className="text-right">Before</Th>
              <Th className="text-right">After</Th>
              <Th className="text-right">Change</Th>
              <Th className="text-right">Share change (pp)</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {diff.data.rows.map((row) => (
              <tr key={`${row.functionName}-${row.location}`}>
                <Td className="font-mono text-xs">{row.functionName}</Td>
                <Td className="max-w-xs truncate font-mono text-xs text-slate-500">
                  {row.location}
                </Td>
                <Td className="text-right tabular-nums">
                  {formatAmount(diff.data.unit, row.before)}
                </Td>
                <Td className="text-right tabular-nums">
                  {formatAmount(diff.data.unit, row.after)}
                </Td>
                <Td
                  className={cn(
                    'text-right tabular-nums',
                    row.delta > 0 ? 'text-rose-700' : 'text-emerald-700',
                  )}
                >
                  {row.delta > 0 ? '+' : '−'}
                  {formatAmount(diff.data.unit, Math.abs(row.delta))}
                </Td>
                <Td className="text-right tabular-nums">
                  {row.deltaPercent > 0 ? '+' : ''}
                  {row.deltaPercent.toFixed(1)}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
