'use client';
import { useQuery } from '@tanstack/react-query';
import { Card } from '@/components/ui/card';
import { ErrorText, Loading } from '@/components/ui/feedback';
import { useTRPC } from '@/lib/trpc';

/**
 * The player's attributes that audiences read (PUT /v1/players/{id}/attributes and the
 * AUDIENCE_JWT_CLAIMS of their calls): why they see the challenges they see.
 */
export function PlayerAttributes({ userId }: { userId: string }) {
  const trpc = useTRPC();
  const attributes = useQuery(trpc.player.attributes.queryOptions({ userId }));
  if (attributes.isPending) return <Loading />;
  if (attributes.isError) return <ErrorText error={attributes.error} />;
  const entries = Object.entries(attributes.data.attributes).sort(([a], [b]) => a.localeCompare(b));
  return (
    <Card title="Attributes">
      {entries.length === 0 ? (
        <p className="text-sm text-slate-500">No attributes: audiences see an empty set.</p>
      ) : (
        <dl aria-label="Player attributes" className="flex flex-wrap gap-2 text-sm">
          {entries.map(([key, value]) => (
            <div key={key} className="rounded bg-slate-100 px-2 py-0.5">
              <dt className="inline font-medium text-slate-700">{key}</dt>
              <dd className="ml-1 inline font-mono text-slate-900">{JSON.stringify(value)}</dd>
            </div>
          ))}
        </dl>
      )}
    </Card>
  );
}
