'use client';
import { useQuery } from '@tanstack/react-query';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { ErrorText, Loading } from '@/components/ui/feedback';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { scheduleWindows, windowPhase } from '@/lib/schedule-windows';
import { useTRPC } from '@/lib/trpc';

const TONES = { upcoming: 'blue', open: 'green', ended: 'amber', closed: 'grey' } as const;

/** Every challenge and goal of the live version with a schedule, by start. */
export function ScheduleWindows() {
  const trpc = useTRPC();
  const live = useQuery(trpc.challenge.export.queryOptions({}));
  const rows = live.data ? scheduleWindows(live.data.content) : [];
  const now = Date.now();
  return (
    <Card title="Windows of the live challenges and goals">
      {live.isPending && <Loading />}
      <ErrorText error={live.error} />
      {live.data && (
        <Table>
          <thead>
            <tr>
              <Th>Challenge / goal</Th>
              <Th>State</Th>
              <Th>Starts</Th>
              <Th>Ends</Th>
              <Th>Claim until</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.length === 0 && (
              <EmptyRow colSpan={5}>
                No challenge or goal of the live version has a schedule.
              </EmptyRow>
            )}
            {rows.map((row) => {
              const phase = windowPhase(row, now);
              return (
                <tr key={`${row.challengeId}/${row.goalId ?? ''}`}>
                  <Td>
                    {row.goalId ? (
                      <span className="pl-4">
                        <code className="text-xs">{row.goalId}</code> in {row.challengeId}
                      </span>
                    ) : (
                      <strong>{row.challengeId}</strong>
                    )}
                  </Td>
                  <Td>
                    <Badge tone={TONES[phase]}>{phase}</Badge>
                  </Td>
                  <Td>
                    <Time at={row.startsAt ?? null} />
                  </Td>
                  <Td>
                    <Time at={row.endsAt ?? null} />
                  </Td>
                  <Td>
                    <Time at={row.claimUntil ?? null} />
                  </Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
