'use client';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

const COLOURS = ['#4f46e5', '#0891b2', '#db2777', '#ca8a04', '#16a34a', '#9333ea', '#ea580c'];

export interface SeriesLine {
  key: string;
  label: string;
}

function clock(t: number): string {
  return new Date(t).toLocaleTimeString([], { hour12: false });
}

/** One small line chart; `data` rows are `{ t, [line.key]: number | null }`. */
export function MetricChart({
  title,
  data,
  lines,
  unit,
  format = (v) => String(Math.round(v * 100) / 100),
  formatT = clock,
}: {
  title: string;
  data: Record<string, number | null>[];
  lines: SeriesLine[];
  unit?: string;
  format?: (value: number) => string;
  /** The x axis: wall-clock time by default; runs overlaid share seconds since their start. */
  formatT?: (t: number) => string;
}) {
  return (
    <figure className="rounded-lg bg-white p-3 shadow-sm ring-1 ring-slate-200" data-chart={title}>
      <figcaption className="mb-2 text-sm font-semibold text-slate-700">
        {title}
        {unit && <span className="ml-1 font-normal text-slate-400">({unit})</span>}
      </figcaption>
      <div className="h-48">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -12 }}>
            <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
            <XAxis dataKey="t" tickFormatter={formatT} minTickGap={40} tick={{ fontSize: 10 }} />
            <YAxis tick={{ fontSize: 10 }} tickFormatter={format} width={64} />
            <Tooltip
              labelFormatter={(t) => formatT(Number(t))}
              formatter={(value) => (typeof value === 'number' ? format(value) : String(value))}
            />
            {lines.length > 1 && <Legend wrapperStyle={{ fontSize: 11 }} />}
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
                connectNulls
              />
            ))}
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
