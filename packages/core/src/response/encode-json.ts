import type { Definitions } from '../definitions/definitions.types.ts';
import { formatTimestamp, timestampFormatter } from '../time/format-time.ts';
import { type Allocate, ByteWriter, zeroedAllocate } from './byte-writer.ts';
import type { ChallengeView, GoalView } from './goal-view.ts';
import { fragmentsOf, fragmentsOfGoal, type GoalFragments } from './json-fragments.ts';
import { RunCopier, unassignedRunsOf } from './unassigned-runs.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const OPEN_LIST = bytes('{"challenges":[');
const CLOSE_GOALS = bytes(']}');
const CLOSE_LIST = bytes(']}');
const COMMA = 0x2c;
const OPEN_INITIALIZE = bytes('{"assignedGoals":[');

// The per-player fields between pre-encoded pieces: the constant parts as bytes, the values
// (numbers, statuses, timestamps: ASCII) written in place. Building one string per goal and
// UTF-8 encoding it cost more than the rest of the goal's encoding.
const CLAIMED_AT = bytes('","claimedAt":"');
const ACTIVE_EXPIRES_AT = bytes('","isActive":true,"expiresAt":"');
const INACTIVE_EXPIRES_AT = bytes('","isActive":false,"expiresAt":"');
const EXPIRES_IN = bytes('","expiresInSeconds":');
const CLOSE_GOAL = bytes('}');
const EXPIRES_AT = bytes('","expiresAt":"');
const QUOTE_PROGRESS = bytes('","progress":');
// The same pieces for a goal without a period (expiresAt "", expiresInSeconds 0), as one copy.
const NO_EXPIRY_PROGRESS = bytes('","expiresAt":"","progress":');
const ACTIVE_NO_EXPIRY_CLOSE = bytes('","isActive":true,"expiresAt":"","expiresInSeconds":0}');
const INACTIVE_NO_EXPIRY_CLOSE = bytes('","isActive":false,"expiresAt":"","expiresInSeconds":0}');

/** `,"status":"<status>","locked":<locked>,"completedAt":"` per status and lock, made once each. */
const statusPieces = new Map<string, Uint8Array>();
function statusPiece(status: string, locked: boolean): Uint8Array {
  const key = locked ? `${status}|1` : status;
  let piece = statusPieces.get(key);
  if (piece === undefined) {
    piece = bytes(`,"status":${JSON.stringify(status)},"locked":${locked},"completedAt":"`);
    statusPieces.set(key, piece);
  }
  return piece;
}

/** A goal the player has no row for, without a period or a lock: its entry is constant. */
const isPlainUnassigned = (goal: GoalView) =>
  goal.assignedAt === null &&
  goal.expiresAt === null &&
  !goal.locked &&
  goal.goal.variantId === undefined;

/** One goal of the list answer (not its comma). */
function writeListGoal(
  out: ByteWriter,
  f: GoalFragments,
  goal: GoalView,
  time: (date: Date | null) => string,
): void {
  if (goal.assignedAt === null && goal.expiresAt === null) {
    out.bytes(goal.locked ? f.listUnassignedLocked : f.listUnassigned);
    return;
  }
  out
    .bytes(f.listHead)
    .ascii(String(goal.progress))
    .bytes(statusPiece(goal.status, goal.locked))
    .ascii(time(goal.completedAt))
    .bytes(CLAIMED_AT)
    .ascii(time(goal.claimedAt));
  if (goal.expiresAt === null && goal.expiresInSeconds === 0) {
    out.bytes(goal.isActive ? ACTIVE_NO_EXPIRY_CLOSE : INACTIVE_NO_EXPIRY_CLOSE);
    return;
  }
  out
    .bytes(goal.isActive ? ACTIVE_EXPIRES_AT : INACTIVE_EXPIRES_AT)
    .ascii(time(goal.expiresAt))
    .bytes(EXPIRES_IN)
    .ascii(String(goal.expiresInSeconds))
    .bytes(CLOSE_GOAL);
}

/**
 * JSON body of GET /v1/challenges, spliced from pre-encoded fragments. Neighbouring goals
 * without a row are copied as one run (unassigned-runs.ts); the rest goal by goal.
 */
export function encodeChallengesJson(
  definitions: Definitions,
  views: ChallengeView[],
  allocate: Allocate = zeroedAllocate,
): Uint8Array {
  const fragments = fragmentsOf(definitions);
  const out = new ByteWriter(fragments.listBytes, allocate);
  const runs = new RunCopier(unassignedRunsOf(definitions, fragments), out);
  const time = timestampFormatter();
  out.bytes(OPEN_LIST);
  for (let c = 0; c < views.length; c++) {
    const view = views[c]!;
    const challengeId = view.challenge.challengeId;
    if (c > 0) out.byte(COMMA);
    out.bytes(fragments.challengeHeads.get(challengeId)!);
    runs.challenge(challengeId);
    for (let g = 0; g < view.goals.length; g++) {
      const goal = view.goals[g]!;
      const at = isPlainUnassigned(goal)
        ? runs.positionOf(goal.goal.goalId, goal.goal.challengeId)
        : -1;
      if (at >= 0 && runs.extend(at)) continue;
      runs.flush();
      if (g > 0) out.byte(COMMA);
      if (at >= 0) runs.begin(at);
      else writeListGoal(out, fragmentsOfGoal(fragments, goal.goal), goal, time);
    }
    runs.flush();
    out.bytes(CLOSE_GOALS);
  }
  return out.bytes(CLOSE_LIST).result();
}

/** JSON body of POST /v1/challenges/initialize. */
export function encodeInitializeJson(
  definitions: Definitions,
  result: { assignedGoals: GoalView[]; newAssignments: number; totalActive: number },
  allocate: Allocate = zeroedAllocate,
): Uint8Array {
  const fragments = fragmentsOf(definitions);
  const goals = result.assignedGoals;
  const out = new ByteWriter(
    Math.ceil((fragments.listBytes * goals.length) / Math.max(fragments.goals.size, 1)) + 128,
    allocate,
  );
  const time = timestampFormatter();
  out.bytes(OPEN_INITIALIZE);
  for (let i = 0; i < goals.length; i++) {
    const view = goals[i]!;
    const f = fragmentsOfGoal(fragments, view.goal);
    if (i > 0) out.byte(COMMA);
    out
      .bytes(view.isActive ? f.assignedHeadActive : f.assignedHeadInactive)
      .ascii(time(view.assignedAt));
    if (view.expiresAt === null) out.bytes(NO_EXPIRY_PROGRESS);
    else out.bytes(EXPIRES_AT).ascii(time(view.expiresAt)).bytes(QUOTE_PROGRESS);
    out.ascii(String(view.progress)).bytes(f.assignedTails[view.status]);
  }
  return out
    .text(`],"newAssignments":${result.newAssignments},"totalActive":${result.totalActive}}`)
    .result();
}

/** The shape of one goal in select responses (batch and random). */
export function toSelectedGoal(view: GoalView) {
  return {
    goalId: view.goal.goalId,
    ...(view.goal.variantId === undefined ? {} : { variantId: view.goal.variantId }),
    name: view.goal.name,
    description: view.goal.description,
    requirement: {
      statCode: view.goal.requirement.statCode,
      operator: view.goal.requirement.operator,
      targetValue: view.goal.requirement.targetValue,
    },
    reward: { ...view.goal.reward },
    status: view.status,
    progress: view.progress,
    target: view.goal.requirement.targetValue,
    isActive: view.isActive,
    assignedAt: formatTimestamp(view.assignedAt),
    expiresAt: formatTimestamp(view.expiresAt),
  };
}

export type { GoalView };
