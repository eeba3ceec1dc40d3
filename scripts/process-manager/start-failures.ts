/**
 * A child that fails the same way at every start (the database is down, a setting is wrong)
 * will not get better by being restarted: after a few identical quick failures `npm start` says
 * what failed and stops, instead of restarting it forever while the rest of the stack looks fine.
 */
export const SAME_FAILURE_LIMIT = 3;

/**
 * The last line a child printed, comparable between runs: a pino JSON line by its message (its
 * time and pid change every run), any other line as printed.
 */
export function failureLine(line: string): string {
  try {
    const parsed: unknown = JSON.parse(line);
    const msg = (parsed as { msg?: unknown } | null)?.msg;
    if (typeof msg === 'string') return msg;
  } catch {
    // not JSON
  }
  return line.trim();
}

export interface FailureStreak {
  /** How the child ended and what it said last. */
  signature: string;
  /** Quick failures in a row with this signature. */
  count: number;
}

/**
 * Counts quick failures that look alike. An exit after a healthy uptime (`quick` false) is a
 * crash, not a start-up failure: it starts no streak.
 */
export function nextStreak(
  previous: FailureStreak | undefined,
  signature: string,
  quick: boolean,
): FailureStreak {
  if (!quick) return { signature, count: 0 };
  return { signature, count: previous?.signature === signature ? previous.count + 1 : 1 };
}
