/**
 * The dashboard's one way to show a moment: `2026-12-06 07:00:35 UTC`. UTC, not the browser's
 * zone: the api, the worker's logs and the load-test reports all speak UTC, so a time read off
 * one page can be matched against the others without converting.
 */
export function formatDateTime(at: string | number | Date): string {
  const { date, time } = dateAndTime(at);
  return `${date} ${time}`;
}

/** The same moment split, for cells that put the time under the date. */
export function dateAndTime(at: string | number | Date): { date: string; time: string } {
  const iso = new Date(at).toISOString();
  return { date: iso.slice(0, 10), time: `${iso.slice(11, 19)} UTC` };
}

/** Time of day only, for chart axes whose window is under a day. */
export function formatClock(at: string | number | Date): string {
  return dateAndTime(at).time;
}
