import { scheduleWindowOf } from '../schedule/schedule-window.ts';
import { normalizeVariants } from '../variants/normalize-variants.ts';
import type { ParsedGoal } from './definitions.schema.ts';
import type { GoalDef, Rotation } from './definitions.types.ts';

/** What legacy `type: "daily"` means: complete once a day, every day, from a clean slate. */
export const LEGACY_DAILY_ROTATION: Readonly<Rotation> = Object.freeze({
  schedule: 'daily',
  timezone: 'UTC',
  weekStartsOn: 'monday',
  resetProgress: true,
  allowReselection: true,
});

export interface NormalizedGoal {
  goal: GoalDef;
  /** Messages without the goal/challenge prefix. */
  problems: string[];
}

/** Resolves the legacy keys of a schema-valid goal into the one normalised shape. */
export function normalizeGoal(
  parsed: ParsedGoal & { name: string; description: string },
  challengeId: string,
): NormalizedGoal {
  const completesOnFirstEvent = parsed.type === 'daily';
  // An explicit progressMode wins over the legacy type (files in the wild say
  // `type: "absolute"` next to `progressMode: "relative"` and mean relative).
  const progressMode =
    parsed.requirement.progressMode ?? (parsed.type === 'increment' ? 'increment' : 'absolute');
  const explicitRotation: Rotation | null = parsed.rotation
    ? {
        schedule: parsed.rotation.schedule,
        timezone: parsed.rotation.timezone,
        weekStartsOn: parsed.rotation.weekStartsOn,
        resetProgress: parsed.rotation.onExpiry.resetProgress,
        allowReselection: parsed.rotation.onExpiry.allowReselection,
      }
    : null;
  // Legacy daily brings its own rotation; an explicit one may refine it (e.g. a timezone).
  const rotation =
    explicitRotation ?? (completesOnFirstEvent ? { ...LEGACY_DAILY_ROTATION } : null);

  const problems: string[] = [];
  if (rotation !== null && progressMode === 'absolute' && !completesOnFirstEvent) {
    // An absolute stat never goes back to 0 at a period end, so the goal would complete again
    // right after every reset.
    problems.push('rotation requires progressMode relative or increment');
  }

  const goal: GoalDef = {
    goalId: parsed.goalId,
    challengeId,
    name: parsed.name,
    description: parsed.description,
    eventSource: parsed.eventSource,
    requirement: Object.freeze({
      statCode: parsed.requirement.statCode,
      operator: parsed.requirement.operator,
      targetValue: parsed.requirement.targetValue,
      progressMode,
    }),
    reward: Object.freeze({ ...parsed.reward }),
    prerequisites: Object.freeze([...parsed.prerequisites]),
    defaultAssigned: parsed.defaultAssigned,
    rotation: rotation === null ? null : Object.freeze(rotation),
    dailyIncrement: parsed.daily === true && progressMode === 'increment' && !completesOnFirstEvent,
    completesOnFirstEvent,
    ...(parsed.variants === undefined ? {} : { variants: normalizeVariants(parsed.variants) }),
  };
  if (parsed.audience !== undefined) goal.audience = Object.freeze(parsed.audience);
  const schedule = scheduleWindowOf(parsed.schedule);
  if (schedule !== undefined) goal.schedule = schedule;
  return { goal: Object.freeze(goal), problems };
}
