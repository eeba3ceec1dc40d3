'use client';
import { type ReactNode, useState } from 'react';
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
import type { Marker, Row } from './series';

const COLOURS = ['#4f46e5', '#0891b2', '#db2777', '#ca8a04', '#16a34a', '#9333ea', '#ea580c'];

export const MARKER_STYLE: Record<Marker['kind'], { colour: string; name: string }> = {
  publish: { colour: '#16a34a', name: 'publish' },
  loadtest: { colour: '#ea580c', name: 'load test' },
  profile: { colour: '#9333ea', name: 'profile' },
};

export interface SeriesLine {
  key: string;
  label: string;
}

export function clock(t: number): string {
  return new Date(t).toLocaleTimeString([], { hour12: false });
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
}) {
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const at = (state: { activeLabel?: string | number } | null) =>
    state?.activeLabel === undefined ? undefined : Number(state.activeLabel);
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
      <div className="h-48 select-none">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart
            data={data}
            margin={{ top: 4, right: 8, bottom: 0, left: -12 }}
            onMouseDown={(state) => {
              const t = at(state);
              if (onZoom && t !== undefined) setDrag({ from: t, to: t });
            }}
            onMouseMove={(state) => {
              const t = at(state);
              if (drag && t !== undefined) setDrag({ ...drag, to: t });
            }}
            onMouseUp={() => {
              if (drag && onZoom && drag.from !== drag.to) {
                onZoom(Math.min(drag.from, drag.to), Math.max(drag.from, drag.to));
              }
              setDrag(null);
            }}
          >
            <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={domain ?? ['dataMin', 'dataMax']}
              tickFormatter={clock}
              minTickGap={40}
              tick={{ fontSize: 10 }}
            />
            <YAxis tick={{ fontSize: 10 }} tickFormatter={format} width={64} />
            <Tooltip
              labelFormatter={(t) => clock(Number(t))}
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
            {drag && drag.from !== drag.to && (
              <ReferenceArea x1={drag.from} x2={drag.to} fill="#6366f1" fillOpacity={0.15} />
            )}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(0)} MB`;
  return `${(bytes / 1024).toFixed(0)} KB`;
}
