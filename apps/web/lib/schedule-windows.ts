import { asDefinitions } from './definitions';

export interface WindowRow {
  challengeId: string;
  /** Absent for the challenge's own window. */
  goalId?: string;
  startsAt?: string;
  endsAt?: string;
  claimUntil?: string;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

function windowOf(schedule: unknown): Omit<WindowRow, 'challengeId' | 'goalId'> | null {
  if (typeof schedule !== 'object' || schedule === null) return null;
  const s = schedule as Record<string, unknown>;
  return { startsAt: text(s.startsAt), endsAt: text(s.endsAt), claimUntil: text(s.claimUntil) };
}

/** Every scheduled challenge and goal of a definitions file, each challenge before its goals. */
export function scheduleWindows(content: unknown): WindowRow[] {
  const rows: WindowRow[] = [];
  for (const challenge of asDefinitions(content)?.challenges ?? []) {
    const own = windowOf(challenge.schedule);
    if (own) rows.push({ challengeId: challenge.challengeId, ...own });
    for (const goal of challenge.goals ?? []) {
      const window = windowOf(goal.schedule);
      if (window) rows.push({ challengeId: challenge.challengeId, goalId: goal.goalId, ...window });
    }
  }
  return rows;
}

/** Where the browser's clock is in a window (the service's clock decides for players). */
export function windowPhase(row: WindowRow, now: number): 'upcoming' | 'open' | 'ended' | 'closed' {
  const at = (value: string | undefined) => (value === undefined ? null : Date.parse(value));
  const startsAt = at(row.startsAt);
  const endsAt = at(row.endsAt);
  const claimUntil = at(row.claimUntil);
  if (startsAt !== null && now < startsAt) return 'upcoming';
  if (endsAt === null || now < endsAt) return 'open';
  return claimUntil !== null && now > claimUntil ? 'closed' : 'ended';
}
