'use client';
import { useQuery } from '@tanstack/react-query';
import { useCan } from '@/components/session';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { useTRPC } from '@/lib/trpc';
import { formatBytes } from './charts';
import { ProfileButton, ProfileControls, useProfiler } from './profile-panel';
import { ProfileResults } from './profile-results';
import { type History, recent } from './series';

const fmt = (n: number | null) => (n === null ? '—' : n.toFixed(1));

/** Every process of the window with its recent figures; admins profile the live ones. */
export function Processes({ history }: { history: History }) {
  const isAdmin = useCan('admin');
  const profiler = useProfiler();
  const trpc = useTRPC();
  const live = useQuery(trpc.live.processes.queryOptions(undefined, { refetchInterval: 5000 }));
  const liveIds = new Set(live.data?.map((p) => p.id));
  return (
    <>
      <Card title="Processes" actions={isAdmin && <ProfileControls profiler={profiler} />}>
        <Table>
          <thead>
            <tr>
              <Th>Process</Th>
              <Th>Role</Th>
              <Th className="text-right">CPU %</Th>
              <Th className="text-right">Heap</Th>
              <Th className="text-right">RSS</Th>
              <Th className="text-right">Loop p99</Th>
              {isAdmin && <Th className="text-right">Profile</Th>}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {history.processes.map((process) => {
              const heap = recent(process.heapUsedBytes);
              const rss = recent(process.rssBytes);
              const isLive = liveIds.has(process.id);
              return (
                <tr key={process.id}>
                  <Td className="font-mono text-xs">{process.id}</Td>
                  <Td>
                    <Badge tone={isLive ? 'blue' : 'grey'}>
                      {isLive ? process.role : `${process.role}, stopped`}
                    </Badge>
                  </Td>
                  <Td className="text-right tabular-nums">{fmt(recent(process.cpuPercent))}</Td>
                  <Td className="text-right tabular-nums">
                    {heap === null ? '—' : formatBytes(heap)}
                  </Td>
                  <Td className="text-right tabular-nums">
                    {rss === null ? '—' : formatBytes(rss)}
                  </Td>
                  <Td className="text-right tabular-nums">
                    {fmt(recent(process.eventLoopP99Ms))} ms
                  </Td>
                  {isAdmin && (
                    <Td className="text-right">
                      {isLive && <ProfileButton processId={process.id} profiler={profiler} />}
                    </Td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </Table>
      </Card>
      {isAdmin && <ProfileResults profiler={profiler} />}
    </>
  );
}
