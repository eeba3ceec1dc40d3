'use client';
import { skipToken, useQuery } from '@tanstack/react-query';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { Dialog } from '@/components/ui/dialog';
import { Empty, ErrorText, Loading } from '@/components/ui/feedback';
import { Time } from '@/components/ui/time';
import { useTRPC } from '@/lib/trpc';
import { type Grant, STATUS_TONE } from './grant-row';

/** One grant and its audit trail (reward.events): every status change, by whom, with what error. */
export function GrantEventsDialog({
  grant,
  canRetry,
  retrying,
  onRetry,
  onClose,
}: {
  grant: Grant | null;
  canRetry: boolean;
  retrying: boolean;
  onRetry: (id: string) => void;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const events = useQuery(
    trpc.reward.events.queryOptions(
      grant ? { grantId: grant.id } : skipToken,
      // The trail grows while the worker retries; follow it like the list does.
      { refetchInterval: 2000 },
    ),
  );
  return (
    <Dialog
      open={grant !== null}
      title={grant ? `Grant ${grant.id}` : 'Grant'}
      onClose={onClose}
      footer={
        <>
          {canRetry && grant && grant.status !== 'granted' && (
            <Button busy={retrying} onClick={() => onRetry(grant.id)}>
              Retry this grant
            </Button>
          )}
          <Button variant="secondary" onClick={onClose}>
            Close
          </Button>
        </>
      }
    >
      {grant && (
        <dl className="mb-4 grid grid-cols-[7rem_1fr] gap-x-3 gap-y-1 text-xs">
          <dt className="text-slate-500">Key</dt>
          <dd className="break-all font-mono">{grant.idempotencyKey}</dd>
          <dt className="text-slate-500">Provider</dt>
          <dd>{grant.provider}</dd>
          <dt className="text-slate-500">Next attempt</dt>
          <dd>
            <Time at={grant.nextAttemptAt} />
          </dd>
        </dl>
      )}
      <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">
        Audit trail
      </h3>
      {events.isPending && <Loading />}
      {events.isError && <ErrorText error={events.error} />}
      {events.isSuccess && events.data.length === 0 && <Empty>No changes recorded yet.</Empty>}
      {events.isSuccess && events.data.length > 0 && (
        <ol aria-label="Audit trail" className="max-h-72 space-y-2 overflow-y-auto">
          {events.data.map((event) => (
            <li key={event.id} className="rounded-md bg-slate-50 px-3 py-2">
              <div className="mb-1 flex justify-between gap-2 text-xs text-slate-500">
                <Time at={event.at} />
                <span>by {event.actor}</span>
              </div>
              <div className="flex flex-wrap items-center gap-1.5 text-xs">
                <Badge tone={STATUS_TONE[event.fromStatus]}>{event.fromStatus}</Badge>
                <span aria-hidden>→</span>
                <span className="sr-only">to</span>
                <Badge tone={STATUS_TONE[event.toStatus]}>{event.toStatus}</Badge>
                <span className="text-slate-500">attempt {event.attempt}</span>
              </div>
              {/* api and worker notes are delivery errors; a person's note is just a note. */}
              {event.error && (
                <p
                  className={cn(
                    'mt-1 break-words text-xs',
                    event.actor === 'api' || event.actor === 'worker'
                      ? 'text-rose-700'
                      : 'text-slate-600',
                  )}
                >
                  {event.error}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
    </Dialog>
  );
}
