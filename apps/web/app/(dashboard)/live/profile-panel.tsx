'use client';
import { useMutation } from '@tanstack/react-query';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorText } from '@/components/ui/feedback';
import { Table, Td, Th } from '@/components/ui/table';
import { trpc } from '@/lib/trpc';

const SECONDS = 5;

/** Admin: a CPU profile of one live process, summarised as its top functions by self time. */
export function useCpuProfile() {
  return useMutation({
    mutationFn: (processId: string) => trpc.profile.cpu.mutate({ processId, seconds: SECONDS }),
  });
}

export function ProfileButton({
  processId,
  profile,
}: {
  processId: string;
  profile: ReturnType<typeof useCpuProfile>;
}) {
  const busy = profile.isPending && profile.variables === processId;
  return (
    <Button
      variant="secondary"
      size="sm"
      busy={busy}
      disabled={profile.isPending}
      onClick={() => profile.mutate(processId)}
    >
      {busy ? `Profiling ${SECONDS} s…` : 'CPU profile'}
    </Button>
  );
}

export function ProfileResult({ profile }: { profile: ReturnType<typeof useCpuProfile> }) {
  if (profile.isError) return <ErrorText error={profile.error} />;
  if (!profile.data) return null;
  const { summary, processId, seconds } = profile.data;
  return (
    <Card title={`CPU profile of ${processId} (${seconds} s) — top functions by self time`}>
      <Table>
        <thead>
          <tr>
            <Th>Function</Th>
            <Th>Location</Th>
            <Th className="text-right">Self ({summary.unit})</Th>
            <Th className="text-right">Self %</Th>
            <Th className="text-right">Total %</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {summary.bySelf.slice(0, 15).map((row) => (
            <tr key={`${row.functionName}-${row.location}`}>
              <Td className="font-mono text-xs">{row.functionName}</Td>
              <Td className="max-w-md truncate font-mono text-xs text-slate-500">{row.location}</Td>
              <Td className="text-right tabular-nums">{row.self.toFixed(1)}</Td>
              <Td className="text-right tabular-nums">{row.selfPercent.toFixed(1)}</Td>
              <Td className="text-right tabular-nums">{row.totalPercent.toFixed(1)}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}
