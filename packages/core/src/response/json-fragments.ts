import type { Definitions, GoalDef } from '../definitions/definitions.types.ts';
import type { GoalStatus } from '../progress/progress.types.ts';
import { utf8 } from './byte-writer.ts';

/**
 * Pre-encoded JSON pieces of the static definition fields, built once per definitions version:
 * the hot responses (list, initialize) splice the per-player fields between them instead of
 * serialising hundreds of static objects per request.
 */
export interface GoalFragments {
  /**
   * `{"goalId":…,"name":…,"description":…,"requirement":{…},"reward":{…},"prerequisites":[…],`
   * followed by `"progress":`.
   */
  listHead: Uint8Array;
  /** The whole list entry of a goal the player has no row for (no rotation), unlocked / locked. */
  listUnassigned: Uint8Array;
  listUnassignedLocked: Uint8Array;
  /**
   * `{"challengeId":…,"goalId":…,"name":…,"description":…,"isActive":<b>,"assignedAt":"`, by
   * isActive: the initialize answer's goal up to its first per-player value.
   */
  assignedHeadActive: Uint8Array;
  assignedHeadInactive: Uint8Array;
  /**
   * `,"target":N,"status":"<status>","requirement":{…},"reward":{…}}` by status: everything after
   * the progress is the same for every player with that status, so it is one piece per goal.
   */
  assignedTails: Readonly<Record<GoalStatus, Uint8Array>>;
}

const STATUSES: readonly GoalStatus[] = ['not_started', 'in_progress', 'completed', 'claimed'];

export interface DefinitionsFragments {
  goals: ReadonlyMap<string, GoalFragments>;
  /** `{"challengeId":…,"name":…,"description":…,"goals":[` by challenge id. */
  challengeHeads: ReadonlyMap<string, Uint8Array>;
  /** Upper estimate of a full list response, to size its buffer once. */
  listBytes: number;
}

const cache = new WeakMap<Definitions, DefinitionsFragments>();

export function requirementJson(goal: GoalDef): string {
  const { statCode, operator, targetValue } = goal.requirement;
  return JSON.stringify({ statCode, operator, targetValue });
}

export function rewardJson(goal: GoalDef): string {
  const { type, rewardId, quantity } = goal.reward;
  return JSON.stringify({ type, rewardId, quantity });
}

const UNASSIGNED_TAIL = (locked: boolean) =>
  `"progress":0,"status":"not_started","locked":${locked},"completedAt":"","claimedAt":"","isActive":false,"expiresAt":"","expiresInSeconds":0}`;

function goalFragments(goal: GoalDef): GoalFragments {
  const requirement = requirementJson(goal);
  const reward = rewardJson(goal);
  // A goal shown in an A/B variant carries the additive key `variantId` after its id.
  const id =
    goal.variantId === undefined
      ? JSON.stringify(goal.goalId)
      : `${JSON.stringify(goal.goalId)},"variantId":${JSON.stringify(goal.variantId)}`;
  const text = `"name":${JSON.stringify(goal.name)},"description":${JSON.stringify(goal.description)}`;
  // Schedules (SPEC §2.4): a goal past its window's end says so; other goals have no such key.
  const ended = goal.ended === true ? '"ended":true,' : '';
  const listHead = `{"goalId":${id},${text},"requirement":${requirement},"reward":${reward},"prerequisites":${JSON.stringify(goal.prerequisites)},${ended}`;
  const assignedHead = `{"challengeId":${JSON.stringify(goal.challengeId)},"goalId":${id},${text},${ended}"isActive":`;
  const tail = (status: GoalStatus) =>
    utf8(
      `,"target":${goal.requirement.targetValue},"status":${JSON.stringify(status)},"requirement":${requirement},"reward":${reward}}`,
    );
  return {
    listHead: utf8(`${listHead}"progress":`),
    listUnassigned: utf8(listHead + UNASSIGNED_TAIL(false)),
    listUnassignedLocked: utf8(listHead + UNASSIGNED_TAIL(true)),
    assignedHeadActive: utf8(`${assignedHead}true,"assignedAt":"`),
    assignedHeadInactive: utf8(`${assignedHead}false,"assignedAt":"`),
    assignedTails: Object.fromEntries(STATUSES.map((status) => [status, tail(status)])) as Record<
      GoalStatus,
      Uint8Array
    >,
  };
}

const variantCache = new WeakMap<GoalDef, GoalFragments>();

/** The fragments of the goal a view shows: its A/B variant's (built once each) when it has one. */
export function fragmentsOfGoal(fragments: DefinitionsFragments, goal: GoalDef): GoalFragments {
  if (goal.variantId === undefined) return fragments.goals.get(goal.goalId)!;
  let f = variantCache.get(goal);
  if (f === undefined) {
    f = goalFragments(goal);
    variantCache.set(goal, f);
  }
  return f;
}

export function fragmentsOf(definitions: Definitions): DefinitionsFragments {
  let fragments = cache.get(definitions);
  if (fragments) return fragments;
  const goals = new Map<string, GoalFragments>();
  const challengeHeads = new Map<string, Uint8Array>();
  let listBytes = 64;
  for (const challenge of definitions.challenges) {
    const { challengeId, name, description } = challenge;
    const head = utf8(
      `${JSON.stringify({ challengeId, name, description }).slice(0, -1)},"goals":[`,
    );
    challengeHeads.set(challengeId, head);
    listBytes += head.length + 4;
    for (const goal of challenge.goals) {
      const f = goalFragments(goal);
      goals.set(goal.goalId, f);
      // Per-player fields of a goal with a row: three timestamps and a few numbers.
      listBytes += f.listUnassignedLocked.length + 96;
    }
  }
  fragments = { goals, challengeHeads, listBytes };
  cache.set(definitions, fragments);
  return fragments;
}
