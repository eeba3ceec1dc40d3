'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { PageHeader } from '@/components/page-header';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { CursorPager, useCursorPages } from '@/components/ui/cursor-pages';
import { ErrorText, Loading } from '@/components/ui/feedback';
import { Select } from '@/components/ui/input';
import { EmptyRow, Table, Td, Th } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { type RouterOutputs, useTRPC } from '@/lib/trpc';
import { describeEntry } from './describe-entry';

const PAGE_SIZE = 20;
type Action = RouterOutputs['challenge']['audit'][number]['action'] | undefined;
const ACTIONS: {
  value: NonNullable<Action>;
  label: string;
  tone: 'green' | 'amber' | 'blue' | 'grey';
}[] = [
  { value: 'publish', label: 'Publish', tone: 'green' },
  { value: 'rollback', label: 'Rollback', tone: 'amber' },
  { value: 'import', label: 'Import', tone: 'blue' },
  { value: 'update_draft', label: 'Draft saved', tone: 'grey' },
  { value: 'schedule_publish', label: 'Publish scheduled', tone: 'blue' },
  { value: 'cancel_scheduled_publish', label: 'Scheduled publish cancelled', tone: 'grey' },
  { value: 'scheduled_publish', label: 'Scheduled publish', tone: 'green' },
];

/** Every change to the challenge definitions: who, what, when and which version, newest first. */
export default function AuditPage() {
  const [action, setAction] = useState<Action>(undefined);
  // Paging back by the last id seen; the ids of earlier pages give "Newer".
  const pages = useCursorPages<number>();
  const before = pages.cursor;
  const trpc = useTRPC();
  const audit = useQuery(
    trpc.challenge.audit.queryOptions(
      // One more than shown: whether an older page exists without a count query.
      { limit: PAGE_SIZE + 1, before, action },
      { placeholderData: keepPreviousData },
    ),
  );
  const rows = audit.data?.slice(0, PAGE_SIZE) ?? [];
  const older = (audit.data?.length ?? 0) > PAGE_SIZE ? rows.at(-1)?.id : undefined;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Who changed the challenge definitions, what and when, newest first."
      />
      <Card
        title="Changes"
        actions={
          <Select
            label="Action"
            value={action ?? ''}
            onChange={(e) => {
              setAction((e.target.value || undefined) as Action);
              pages.reset();
            }}
          >
            <option value="">All actions</option>
            {ACTIONS.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </Select>
        }
      >
        {audit.isPending && <Loading />}
        <ErrorText error={audit.error} />
        {audit.data && (
          <Table className="mb-3">
            <thead>
              <tr>
                <Th>When</Th>
                <Th>Action</Th>
                <Th>Version</Th>
                <Th>Who</Th>
                <Th>What</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.length === 0 && <EmptyRow colSpan={5}>No changes recorded.</EmptyRow>}
              {rows.map((entry) => {
                const kind = ACTIONS.find((a) => a.value === entry.action);
                return (
                  <tr key={entry.id} data-audit={entry.id}>
                    {/* What happened comes first: on a phone the table scrolls sideways. */}
                    <Td className="min-w-32">
                      <Time at={entry.at} stacked />
                    </Td>
                    <Td className="whitespace-nowrap">
                      <Badge tone={kind?.tone}>{kind?.label ?? entry.action}</Badge>
                    </Td>
                    <Td>{entry.version === null ? '—' : `v${entry.version}`}</Td>
                    <Td>{entry.actor}</Td>
                    <Td className="min-w-48">{describeEntry(entry.action, entry.summary)}</Td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
        )}
        <CursorPager pages={pages} next={older} labels={{ back: 'Newer', forward: 'Older' }} />
      </Card>
    </>
  );
}
