import type { Definitions } from '../definitions/definitions.types.ts';
import { formatTimestamp, timestampFormatter } from '../time/format-time.ts';
import { type Allocate, ByteWriter, zeroedAllocate } from './byte-writer.ts';
import type { ChallengeView, GoalView } from './goal-view.ts';
import { fragmentsOf, fragmentsOfGoal } from './json-fragments.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const OPEN_LIST = bytes('{"challenges":[');
const CLOSE_GOALS = bytes(']}');
const CLOSE_LIST = bytes(']}');
const COMMA = bytes(',');
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

/** JSON body of GET /v1/challenges, spliced from pre-encoded fragments. */
export function encodeChallengesJson(
  definitions: Definitions,
  views: ChallengeView[],
  allocate: Allocate = zeroedAllocate,
): Uint8Array {
  const fragments = fragmentsOf(definitions);
  const out = new ByteWriter(fragments.listBytes, allocate);
  const time = timestampFormatter();
  out.bytes(OPEN_LIST);
  for (let c = 0; c < views.length; c++) {
    const view = views[c]!;
    if (c > 0) out.bytes(COMMA);
    out.bytes(fragments.challengeHeads.get(view.challenge.challengeId)!);
    for (let g = 0; g < view.goals.length; g++) {
      const goal = view.goals[g]!;
      const f = fragmentsOfGoal(fragments, goal.goal);
      if (g > 0) out.bytes(COMMA);
      if (goal.assignedAt === null && goal.expiresAt === null) {
        out.bytes(goal.locked ? f.listUnassignedLocked : f.listUnassigned);
        continue;
      }
      out
        .bytes(f.listHead)
        .ascii(String(goal.progress))
        .bytes(statusPiece(goal.status, goal.locked))
        .ascii(time(goal.completedAt))
        .bytes(CLAIMED_AT)
        .ascii(time(goal.claimedAt))
        .bytes(goal.isActive ? ACTIVE_EXPIRES_AT : INACTIVE_EXPIRES_AT)
        .ascii(time(goal.expiresAt))
        .bytes(EXPIRES_IN)
        .ascii(String(goal.expiresInSeconds))
        .bytes(CLOSE_GOAL);
    }
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
    if (i > 0) out.bytes(COMMA);
    out
      .bytes(view.isActive ? f.assignedHeadActive : f.assignedHeadInactive)
      .ascii(time(view.assignedAt))
      .bytes(EXPIRES_AT)
      .ascii(time(view.expiresAt))
      .bytes(QUOTE_PROGRESS)
      .ascii(String(view.progress))
      .bytes(f.assignedTails[view.status]);
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
