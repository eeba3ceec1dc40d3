'use client';
import { Badge } from '@/components/ui/badge';
import { diffContent } from '@/lib/content-diff';
import { plural } from '@/lib/plural';

/** What differs between two versions of the definitions, one line per field. */
export function ContentDiff({
  before,
  after,
  beforeLabel,
  afterLabel,
}: {
  before: unknown;
  after: unknown;
  beforeLabel: string;
  afterLabel: string;
}) {
  const changes = diffContent(before, after);
  if (changes.length === 0) {
    return <p className="text-sm text-slate-500">No differences.</p>;
  }
  return (
    <div>
      <p className="mb-2 text-xs text-slate-500">
        {plural(changes.length, 'difference')}: {beforeLabel} → {afterLabel}
      </p>
      <ul
        aria-label={`Differences: ${beforeLabel} → ${afterLabel}`}
        className="max-h-72 divide-y divide-slate-100 overflow-auto rounded-md font-mono text-xs ring-1 ring-slate-200"
      >
        {changes.map((change) => {
          const kind =
            change.before === undefined ? 'added' : change.after === undefined ? 'removed' : null;
          return (
            <li key={change.path} className="break-all px-3 py-1.5 text-slate-700">
              {kind && (
                <span className="mr-1 font-sans">
                  <Badge tone={kind === 'added' ? 'green' : 'red'}>{kind}</Badge>
                </span>
              )}
              <span className="text-slate-500">{change.path}:</span> {change.before ?? '—'} →{' '}
              {change.after ?? '—'}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
