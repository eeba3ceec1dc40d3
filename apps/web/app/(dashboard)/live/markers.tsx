'use client';
import { Card } from '@/components/ui/card';
import { formatClock } from '@/lib/format-time';
import { MARKER_STYLE } from './charts';
import type { Marker } from './series';

/** What the coloured lines and bands on the charts are. */
export function MarkerList({ markers }: { markers: Marker[] }) {
  return (
    <Card title="Markers in this window">
      <div className="flex flex-wrap gap-4 px-4 pt-3 text-xs text-slate-500">
        {Object.values(MARKER_STYLE).map(({ colour, name }) => (
          <span key={name} className="inline-flex items-center gap-1.5">
            <span className="inline-block h-3 w-1 rounded-sm" style={{ background: colour }} />
            {name}
          </span>
        ))}
      </div>
      {markers.length === 0 ? (
        <p className="px-4 py-3 text-sm text-slate-500">
          No publish, load test or profile in this window.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100 px-4 py-2 text-sm">
          {markers.map((m) => (
            <li
              key={`${m.kind}-${m.t}`}
              className="flex flex-wrap gap-x-3 py-1.5"
              data-marker={m.kind}
            >
              <span className="tabular-nums text-slate-500">
                {formatClock(m.t)}
                {m.until !== null && ` – ${formatClock(m.until)}`}
              </span>
              <span style={{ color: MARKER_STYLE[m.kind].colour }}>{m.label}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
