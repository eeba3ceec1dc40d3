import type { ParsedSchedule } from './schedule.schema.ts';
import type { SchedulePhase, ScheduleWindow } from './schedule.types.ts';

const time = (value: string | undefined) => (value === undefined ? null : new Date(value));

/** The parsed `schedule` key as a window, or undefined when it sets nothing. */
export function scheduleWindowOf(parsed: ParsedSchedule | undefined): ScheduleWindow | undefined {
  if (parsed === undefined) return undefined;
  const window = {
    startsAt: time(parsed.startsAt),
    endsAt: time(parsed.endsAt),
    claimUntil: time(parsed.claimUntil),
  };
  if (window.startsAt === null && window.endsAt === null && window.claimUntil === null) {
    return undefined;
  }
  return Object.freeze(window);
}

const later = (a: Date | null, b: Date | null) => (a === null ? b : b === null || a > b ? a : b);
const earlier = (a: Date | null, b: Date | null) => (a === null ? b : b === null || a < b ? a : b);

/**
 * A goal's effective window: the intersection of its challenge's and its own (the later start,
 * the earlier end and the earlier claim deadline). undefined when neither has a schedule.
 */
export function effectiveWindow(
  challenge: ScheduleWindow | undefined,
  goal: ScheduleWindow | undefined,
): ScheduleWindow | undefined {
  if (challenge === undefined) return goal;
  if (goal === undefined) return challenge;
  return Object.freeze({
    startsAt: later(challenge.startsAt, goal.startsAt),
    endsAt: earlier(challenge.endsAt, goal.endsAt),
    claimUntil: earlier(challenge.claimUntil, goal.claimUntil),
  });
}

/** Why an effective window can never be open (null when it can): for the definitions check. */
export function emptyWindowProblem(window: ScheduleWindow): string | null {
  if (window.startsAt !== null && window.endsAt !== null && window.startsAt >= window.endsAt) {
    return "schedule does not overlap its challenge's schedule (the goal would never be open)";
  }
  return null;
}

export function schedulePhaseAt(window: ScheduleWindow | undefined, now: Date): SchedulePhase {
  if (window === undefined) return 'open';
  const t = now.getTime();
  if (window.startsAt !== null && t < window.startsAt.getTime()) return 'pending';
  if (window.endsAt !== null && t >= window.endsAt.getTime()) return 'ended';
  return 'open';
}

/** Whether a claim at `now` is too late: past the window's claimUntil. */
export function claimWindowClosed(window: ScheduleWindow | undefined, now: Date): boolean {
  return window?.claimUntil != null && now.getTime() > window.claimUntil.getTime();
}

/** The instants at which the window changes phase or claimability, for switching views. */
export function windowBoundaries(window: ScheduleWindow | undefined): number[] {
  if (window === undefined) return [];
  const out: number[] = [];
  if (window.startsAt !== null) out.push(window.startsAt.getTime());
  if (window.endsAt !== null) out.push(window.endsAt.getTime());
  // Claims are refused strictly after claimUntil.
  if (window.claimUntil !== null) out.push(window.claimUntil.getTime() + 1);
  return out;
}

export function serializeWindow(window: ScheduleWindow): ParsedSchedule {
  const out: ParsedSchedule = {};
  if (window.startsAt !== null) out.startsAt = window.startsAt.toISOString();
  if (window.endsAt !== null) out.endsAt = window.endsAt.toISOString();
  if (window.claimUntil !== null) out.claimUntil = window.claimUntil.toISOString();
  return out;
}
