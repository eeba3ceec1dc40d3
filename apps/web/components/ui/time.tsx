import { dateAndTime } from '@/lib/format-time';

/** A moment in the dashboard's one format; `stacked` puts the time under the date. */
export function Time({ at, stacked = false }: { at: string | null; stacked?: boolean }) {
  if (!at) return <span className="text-slate-400">—</span>;
  const { date, time } = dateAndTime(at);
  return (
    <time dateTime={at} className="whitespace-nowrap tabular-nums">
      {date}
      {stacked ? <br /> : ' '}
      {time}
    </time>
  );
}
