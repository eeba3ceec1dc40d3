'use client';
import { type PointerEvent, type ReactNode, useRef, useState } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatClock } from '@/lib/format-time';
import type { Marker, Row } from './series';

const COLOURS = ['#4f46e5', '#0891b2', '#db2777', '#ca8a04', '#16a34a', '#9333ea', '#ea580c'];

export const MARKER_STYLE: Record<Marker['kind'], { colour: string; name: string }> = {
  publish: { colour: '#16a34a', name: 'publish' },
  loadtest: { colour: '#ea580c', name: 'load test' },
  profile: { colour: '#9333ea', name: 'profile' },
};

// Where the plot sits in the chart box: the margin's left (-12) plus the Y axis (64), the
// margin's right (8). A drag is read in pixels against these, whatever recharts reports.
const PLOT_LEFT = 52;
const PLOT_RIGHT = 8;
/** A shorter drag is a click, not a zoom. */
const MIN_DRAG_PX = 8;

/** Drag to zoom: a band follows the pointer, and its span in time goes to `onZoom`. */
function useDragZoom(
  domain: [number, number] | undefined,
  onZoom?: (from: number, to: number) => void,
) {
  const box = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<{ start: number; end: number } | null>(null);
  const x = (event: PointerEvent) => {
    const rect = box.current?.getBoundingClientRect();
    if (!rect) return 0;
    return Math.min(Math.max(event.clientX - rect.left, PLOT_LEFT), rect.width - PLOT_RIGHT);
  };
  const timeAt = (px: number) => {
    const width = (box.current?.getBoundingClientRect().width ?? 0) - PLOT_LEFT - PLOT_RIGHT;
    const [from, to] = domain ?? [0, 0];
    return Math.round(from + ((px - PLOT_LEFT) / Math.max(1, width)) * (to - from));
  };
  if (!domain || !onZoom) return { box, drag: null, handlers: {} };
  return {
    box,
    drag,
    handlers: {
      onPointerDown: (event: PointerEvent) => setDrag({ start: x(event), end: x(event) }),
      onPointerMove: (event: PointerEvent) => {
        if (drag) setDrag({ ...drag, end: x(event) });
      },
      onPointerUp: () => {
        if (drag && Math.abs(drag.end - drag.start) >= MIN_DRAG_PX) {
          onZoom(timeAt(Math.min(drag.start, drag.end)), timeAt(Math.max(drag.start, drag.end)));
        }
        setDrag(null);
      },
      onPointerLeave: () => setDrag(null),
    },
  };
}

export interface SeriesLine {
  key: string;
  label: string;
}

function Markers({ markers }: { markers: Marker[] }) {
  return markers.map((m) => {
    const { colour } = MARKER_STYLE[m.kind];
    const className = `marker marker-${m.kind}`;
    return m.until === null ? (
      <ReferenceLine
        key={`${m.kind}-${m.t}`}
        x={m.t}
        stroke={colour}
        strokeDasharray="4 2"
        className={className}
        ifOverflow="hidden"
      />
    ) : (
      <ReferenceArea
        key={`${m.kind}-${m.t}`}
        x1={m.t}
        x2={m.until}
        fill={colour}
        fillOpacity={0.12}
        stroke={colour}
        strokeOpacity={0.4}
        className={className}
        ifOverflow="hidden"
      />
    );
  });
}

/**
 * One small line chart on a time axis: `data` rows are `{ t, [line.key]: number | null }`, a null
 * is a gap (no line is drawn across it). Markers show publishes, load tests and profiles; a drag
 * across the plot zooms to that span.
 */
export function MetricChart({
  title,
  data,
  lines,
  unit,
  domain,
  markers = [],
  onZoom,
  actions,
  format = (v) => String(Math.round(v * 100) / 100),
  formatT = formatClock,
}: {
  title: string;
  data: Row[];
  lines: SeriesLine[];
  unit?: string;
  /** The time span drawn (epoch ms); the data's own span when left out. */
  domain?: [number, number];
  markers?: Marker[];
  onZoom?: (from: number, to: number) => void;
  actions?: ReactNode;
  format?: (value: number) => string;
  /** The x axis: wall-clock time by default; runs overlaid share seconds since their start. */
  formatT?: (t: number) => string;
}) {
  const zoom = useDragZoom(domain, onZoom);
  return (
    <figure
      className="min-w-0 rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200"
      data-chart={title}
    >
      <figcaption className="mb-2 flex flex-wrap items-center justify-between gap-2 text-sm font-semibold text-slate-700">
        <span>
          {title}
          {unit && <span className="ml-1 font-normal text-slate-400">({unit})</span>}
        </span>
        {actions}
      </figcaption>
      <div ref={zoom.box} className="relative h-48 touch-pan-y select-none" {...zoom.handlers}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -12 }}>
            <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={domain ?? ['dataMin', 'dataMax']}
              tickFormatter={formatT}
              minTickGap={60}
              tick={{ fontSize: 10 }}
            />
            <YAxis tick={{ fontSize: 10 }} tickFormatter={format} width={64} />
            <Tooltip
              labelFormatter={(t) => formatT(Number(t))}
              formatter={(value) => (typeof value === 'number' ? format(value) : String(value))}
            />
            {lines.length > 1 && <Legend wrapperStyle={{ fontSize: 11 }} />}
            {Markers({ markers })}
            {lines.map((line, i) => (
              <Line
                key={line.key}
                dataKey={line.key}
                name={line.label}
                stroke={COLOURS[i % COLOURS.length]}
                dot={false}
                strokeWidth={1.5}
                // A chart updating every second should not re-animate every second.
                isAnimationActive={false}
                // A missing sample is a gap, not a straight line to the next one.
                connectNulls={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
        {zoom.drag && (
          <div
            className="pointer-events-none absolute inset-y-0 bg-indigo-500/15"
            style={{
              left: Math.min(zoom.drag.start, zoom.drag.end),
              width: Math.abs(zoom.drag.end - zoom.drag.start),
            }}
          />
        )}
      </div>
    </figure>
  );
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(0)} MB`;
  return `${(bytes / 1024).toFixed(0)} KB`;
}
