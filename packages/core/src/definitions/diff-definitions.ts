import { serializeWindow } from '../schedule/schedule-window.ts';
import { variantDiffFields } from '../variants/normalize-variants.ts';
import type { ChallengeDef, Definitions, GoalDef } from './definitions.types.ts';

/** One changed field, named by its dot path in the definitions (e.g. `requirement.targetValue`). */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface DiffChallenge {
  challengeId: string;
  name: string;
}

export interface DiffGoal {
  challengeId: string;
  goalId: string;
  name: string;
}

export interface ChallengeChange extends DiffChallenge {
  changes: FieldChange[];
}

export interface GoalChange extends DiffGoal {
  changes: FieldChange[];
}

/** What a publish would change, for the dashboard's diff view and the audit trail. */
export interface DefinitionsDiff {
  challenges: { added: DiffChallenge[]; removed: DiffChallenge[]; changed: ChallengeChange[] };
  goals: { added: DiffGoal[]; removed: DiffGoal[]; changed: GoalChange[] };
  /** Set when the challenges' order changed (players see them in file order). */
  challengeOrder: { before: string[]; after: string[] } | null;
  /** i18n: set when the definitions' default locale changed. */
  defaultLocale?: { before: string | null; after: string | null };
  /** True when nothing differs (a publish would only create an identical version). */
  identical: boolean;
}

/** The compact form kept in the audit trail: ids and changed field names, no values. */
export interface DefinitionsDiffSummary {
  challenges: { added: string[]; removed: string[]; changed: string[]; reordered: boolean };
  goals: { added: string[]; removed: string[]; changed: { goalId: string; fields: string[] }[] };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => sameValue(a[key], b[key]));
  }
  return false;
}

/**
 * Leaf-level changes between two values. Objects on both sides are compared key by key so a
 * change reads `requirement.targetValue: 10 → 20`; arrays (prerequisites, goal order) and an
 * object replacing null (rotation switched on) are reported whole, which is how people read them.
 */
function diffValues(before: unknown, after: unknown, path: string, into: FieldChange[]): void {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) {
      diffValues(before[key], after[key], path === '' ? key : `${path}.${key}`, into);
    }
    return;
  }
  if (!sameValue(before, after)) into.push({ field: path, before, after });
}

function goalFields(goal: GoalDef): Record<string, unknown> {
  return {
    challengeId: goal.challengeId,
    // i18n: a locale map is compared per locale (`name.de: … → …`).
    name: goal.text?.name ?? goal.name,
    description: goal.text?.description ?? goal.description,
    eventSource: goal.eventSource,
    requirement: { ...goal.requirement },
    reward: { ...goal.reward },
    prerequisites: [...goal.prerequisites],
    defaultAssigned: goal.defaultAssigned,
    rotation: goal.rotation === null ? null : { ...goal.rotation },
    dailyIncrement: goal.dailyIncrement,
    completesOnFirstEvent: goal.completesOnFirstEvent,
    audience: goal.audience ?? null,
    ...(goal.schedule ? { schedule: serializeWindow(goal.schedule) } : {}),
    ...(goal.variants === undefined ? {} : { variants: variantDiffFields(goal.variants) }),
  };
}

function challengeFields(challenge: ChallengeDef): Record<string, unknown> {
  return {
    name: challenge.text?.name ?? challenge.name,
    description: challenge.text?.description ?? challenge.description,
    goalOrder: challenge.goals.map((goal) => goal.goalId),
    audience: challenge.audience ?? null,
    ...(challenge.schedule ? { schedule: serializeWindow(challenge.schedule) } : {}),
  };
}

const diffChallenge = (c: ChallengeDef): DiffChallenge => ({
  challengeId: c.challengeId,
  name: c.name,
});
const diffGoal = (g: GoalDef): DiffGoal => ({
  challengeId: g.challengeId,
  goalId: g.goalId,
  name: g.name,
});

/**
 * The differences between the live definitions (`before`, null when nothing is published yet)
 * and a candidate (`after`). Goals are matched by goalId across challenges, so a goal moved to
 * another challenge is a change of its `challengeId`, not a removal plus an addition — players
 * keep their progress row, which is keyed by goal.
 */
export function diffDefinitions(before: Definitions | null, after: Definitions): DefinitionsDiff {
  const oldChallenges = before?.challenges ?? [];
  const oldGoals = new Map<string, GoalDef>(before ? before.goalsById : []);
  const diff: DefinitionsDiff = {
    challenges: { added: [], removed: [], changed: [] },
    goals: { added: [], removed: [], changed: [] },
    challengeOrder: null,
    identical: true,
  };

  for (const challenge of after.challenges) {
    const old = before?.challengesById.get(challenge.challengeId);
    if (!old) {
      diff.challenges.added.push(diffChallenge(challenge));
      continue;
    }
    const changes: FieldChange[] = [];
    diffValues(challengeFields(old), challengeFields(challenge), '', changes);
    if (changes.length > 0) diff.challenges.changed.push({ ...diffChallenge(challenge), changes });
  }
  for (const challenge of oldChallenges) {
    if (!after.challengesById.has(challenge.challengeId)) {
      diff.challenges.removed.push(diffChallenge(challenge));
    }
  }

  for (const challenge of after.challenges) {
    for (const goal of challenge.goals) {
      const old = oldGoals.get(goal.goalId);
      if (!old) {
        diff.goals.added.push(diffGoal(goal));
        continue;
      }
      const changes: FieldChange[] = [];
      diffValues(goalFields(old), goalFields(goal), '', changes);
      if (changes.length > 0) diff.goals.changed.push({ ...diffGoal(goal), changes });
    }
  }
  for (const challenge of oldChallenges) {
    for (const goal of challenge.goals) {
      if (!after.goalsById.has(goal.goalId)) diff.goals.removed.push(diffGoal(goal));
    }
  }

  const order = {
    before: oldChallenges.map((c) => c.challengeId),
    after: after.challenges.map((c) => c.challengeId),
  };
  // Only the relative order of challenges on both sides: an addition alone is no reordering.
  const kept = (ids: string[], other: string[]) => ids.filter((id) => other.includes(id));
  if (!sameValue(kept(order.before, order.after), kept(order.after, order.before))) {
    diff.challengeOrder = order;
  }
  const locales = {
    before: before?.localization?.defaultLocale ?? null,
    after: after.localization?.defaultLocale ?? null,
  };
  if (before !== null && locales.before !== locales.after) diff.defaultLocale = locales;
  diff.identical =
    diff.challengeOrder === null &&
    diff.defaultLocale === undefined &&
    [diff.challenges, diff.goals].every(
      (part) => part.added.length + part.removed.length + part.changed.length === 0,
    );
  return diff;
}

export function summarizeDiff(diff: DefinitionsDiff): DefinitionsDiffSummary {
  return {
    challenges: {
      added: diff.challenges.added.map((c) => c.challengeId),
      removed: diff.challenges.removed.map((c) => c.challengeId),
      changed: diff.challenges.changed.map((c) => c.challengeId),
      reordered: diff.challengeOrder !== null,
    },
    goals: {
      added: diff.goals.added.map((g) => g.goalId),
      removed: diff.goals.removed.map((g) => g.goalId),
      changed: diff.goals.changed.map((g) => ({
        goalId: g.goalId,
        fields: g.changes.map((change) => change.field),
      })),
    },
  };
}
