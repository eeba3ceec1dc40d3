import {
  type Allocate,
  ByteWriter,
  type ChallengeView,
  type Definitions,
  type GoalDef,
  RunCopier,
  timestampFormatter,
} from '@challenges/core';
import { isUnassigned, wireRunsOf } from './challenges-wire-runs.ts';

/**
 * The protobuf bytes of `GetChallengesResponse`, spliced from pieces encoded once per
 * definitions version, as the REST list does with JSON (core's `encodeChallengesJson`).
 *
 * A `Goal` message is its definition fields 1–6 (id, name, description, requirement, reward,
 * prerequisites: the same bytes for every player) followed by the per-player fields 7–14, so
 * a goal is the cached prefix plus a few varints and timestamps; a `Challenge` is its cached
 * fields 1–3 plus its goals as field 4. The output is byte for byte what ts-proto's
 * `GetChallengesResponse.encode` writes for the same message built field by field (core's
 * `plainChallengesResponse`; `challenges-wire.test.ts` compares both, and decodes with the
 * generated decoder).
 */

// Wire tags: (field number << 3) | wire type (0 varint, 2 length-delimited).
const TAG = {
  responseChallenges: (1 << 3) | 2,
  challengeId: (1 << 3) | 2,
  challengeName: (2 << 3) | 2,
  challengeDescription: (3 << 3) | 2,
  challengeGoals: (4 << 3) | 2,
  goalId: (1 << 3) | 2,
  goalName: (2 << 3) | 2,
  goalDescription: (3 << 3) | 2,
  requirement: (4 << 3) | 2,
  reward: (5 << 3) | 2,
  prerequisite: (6 << 3) | 2,
  progress: (7 << 3) | 0,
  status: (8 << 3) | 2,
  locked: (9 << 3) | 0,
  completedAt: (10 << 3) | 2,
  claimedAt: (11 << 3) | 2,
  isActive: (12 << 3) | 0,
  expiresAt: (13 << 3) | 2,
  expiresInSeconds: (14 << 3) | 0,
  ended: (15 << 3) | 0,
  variantId: (31 << 3) | 2,
  // Requirement and Reward share their layout: string 1, string 2, int32 3.
  first: (1 << 3) | 2,
  second: (2 << 3) | 2,
  third: (3 << 3) | 0,
} as const;

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const encoder = new TextEncoder();

function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}

/**
 * Protobuf wire writing into one growing buffer (only what the list response needs), on core's
 * ByteWriter.
 */
export class ProtoWriter extends ByteWriter {
  /** An unsigned 32-bit varint (tags and lengths). */
  varint(value: number): this {
    this.ensure(5);
    const buf = this.buf;
    while (value > 0x7f) {
      buf[this.len++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    buf[this.len++] = value;
    return this;
  }

  /** An int32 field as protobuf writes it: negative values sign-extended to 10 bytes. */
  int32(tag: number, value: number): this {
    if (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) {
      throw new Error(`invalid int32: ${value}`);
    }
    this.varint(tag);
    if (value >= 0) return this.varint(value);
    this.ensure(10);
    for (let i = 0; i < 9; i++) {
      this.buf[this.len++] = (value & 0x7f) | 0x80;
      value >>= 7;
    }
    this.buf[this.len++] = 1;
    return this;
  }

  bool(tag: number): this {
    this.ensure(6);
    return this.varint(tag).varint(1);
  }

  /** A string field; most per-player strings are short ASCII, written in place. */
  string(tag: number, value: string): this {
    this.varint(tag);
    this.ensure(value.length * 3 + 5);
    const start = this.len;
    const written = encoder.encodeInto(value, this.buf.subarray(start + 1)).written;
    if (written < 0x80) {
      this.buf[start] = written;
      this.len = start + 1 + written;
      return this;
    }
    // A long string: its length needs more than one byte, so move the text up to make room.
    const extra = varintSize(written) - 1;
    this.buf.copyWithin(start + 1 + extra, start + 1, start + 1 + written);
    this.varint(written);
    this.len = start + 1 + extra + written;
    return this;
  }

  /** Starts a length-delimited submessage; `estimate` guesses its size to reserve the length. */
  open(estimate: number): number {
    const reserved = varintSize(estimate);
    this.ensure(reserved);
    this.len += reserved;
    return this.len;
  }

  /** Writes the length of the submessage begun at `start` (moving it if the guess was off). */
  close(start: number, estimate: number): this {
    const reserved = varintSize(estimate);
    const size = this.len - start;
    const needed = varintSize(size);
    if (needed !== reserved) {
      this.ensure(needed - reserved);
      this.buf.copyWithin(start + needed - reserved, start, this.len);
    }
    const end = this.len + needed - reserved;
    this.len = start - reserved;
    this.varint(size);
    this.len = end;
    return this;
  }
}

export interface GoalPieces {
  /** Fields 1–6 of `Goal`. */
  head: Uint8Array;
  /** A whole `challenges.goals` entry (tag, length, message) of a goal with no row, unlocked / locked. */
  unassigned: Uint8Array;
  unassignedLocked: Uint8Array;
}

export interface WirePieces {
  goals: Map<string, GoalPieces>;
  /** Fields 1–3 of `Challenge`, by challenge id. */
  challengeHeads: Map<string, Uint8Array>;
  /** Upper estimate of a full list response, to size its buffer once. */
  listBytes: number;
}

function encoded(write: (w: ProtoWriter) => void): Uint8Array {
  const w = new ProtoWriter(256);
  write(w);
  return w.result().slice();
}

function nonEmpty(w: ProtoWriter, tag: number, value: string): void {
  if (value !== '') w.string(tag, value);
}

function nonZero(w: ProtoWriter, tag: number, value: number): void {
  if (value !== 0) w.int32(tag, value);
}

/** Requirement and Reward: always present (an empty one is still tag + length 0). */
function triple(w: ProtoWriter, tag: number, first: string, second: string, third: number) {
  w.varint(tag);
  const start = w.open(0);
  nonEmpty(w, TAG.first, first);
  nonEmpty(w, TAG.second, second);
  nonZero(w, TAG.third, third);
  w.close(start, 0);
}

const UNASSIGNED_STATUS = 'not_started';

function goalPieces(goal: GoalDef): GoalPieces {
  const head = encoded((w) => {
    nonEmpty(w, TAG.goalId, goal.goalId);
    nonEmpty(w, TAG.goalName, goal.name);
    nonEmpty(w, TAG.goalDescription, goal.description);
    const { statCode, operator, targetValue } = goal.requirement;
    triple(w, TAG.requirement, statCode, operator, targetValue);
    const { type, rewardId, quantity } = goal.reward;
    triple(w, TAG.reward, type, rewardId, quantity);
    for (const prerequisite of goal.prerequisites) w.string(TAG.prerequisite, prerequisite);
  });
  const entry = (locked: boolean) =>
    encoded((w) => {
      w.varint(TAG.challengeGoals);
      const start = w.open(head.length);
      w.bytes(head).string(TAG.status, UNASSIGNED_STATUS);
      if (locked) w.bool(TAG.locked);
      if (goal.ended === true) w.bool(TAG.ended);
      w.close(start, head.length);
    });
  return { head, unassigned: entry(false), unassignedLocked: entry(true) };
}

const cache = new WeakMap<Definitions, WirePieces>();

// Per-player fields of a goal with a row: status, three timestamps and a few varints.
const GOAL_TAIL_ESTIMATE = 112;

function piecesOf(definitions: Definitions): WirePieces {
  let pieces = cache.get(definitions);
  if (pieces) return pieces;
  const goals = new Map<string, GoalPieces>();
  const challengeHeads = new Map<string, Uint8Array>();
  let listBytes = 64;
  for (const challenge of definitions.challenges) {
    const head = encoded((w) => {
      nonEmpty(w, TAG.challengeId, challenge.challengeId);
      nonEmpty(w, TAG.challengeName, challenge.name);
      nonEmpty(w, TAG.challengeDescription, challenge.description);
    });
    challengeHeads.set(challenge.challengeId, head);
    listBytes += head.length + 6;
    for (const goal of challenge.goals) {
      const p = goalPieces(goal);
      goals.set(goal.goalId, p);
      listBytes += p.head.length + GOAL_TAIL_ESTIMATE;
    }
  }
  pieces = { goals, challengeHeads, listBytes };
  cache.set(definitions, pieces);
  return pieces;
}

const variantPieces = new WeakMap<GoalDef, GoalPieces>();

/** The pieces of the goal a view shows: its A/B variant's (built once each) when it has one. */
function piecesOfGoal(pieces: WirePieces, goal: GoalDef): GoalPieces {
  if (goal.variantId === undefined) return pieces.goals.get(goal.goalId)!;
  let p = variantPieces.get(goal);
  if (p === undefined) {
    p = goalPieces(goal);
    variantPieces.set(goal, p);
  }
  return p;
}

/**
 * `GetChallengesResponse` bytes of one player's challenge views, in a buffer sized once from
 * the definitions version's estimate and taken from `allocate` (zero-filled unless told).
 */
export function encodeChallengesWire(
  definitions: Definitions,
  views: readonly ChallengeView[],
  allocate?: Allocate,
): Uint8Array {
  const pieces = piecesOf(definitions);
  const out = new ProtoWriter(pieces.listBytes, allocate);
  const runs = new RunCopier(wireRunsOf(definitions, pieces), out);
  const time = timestampFormatter();
  for (let c = 0; c < views.length; c++) {
    const view = views[c]!;
    const challengeId = view.challenge.challengeId;
    const head = pieces.challengeHeads.get(challengeId)!;
    const estimate = head.length + view.goals.length * 160;
    out.varint(TAG.responseChallenges);
    const start = out.open(estimate);
    out.bytes(head);
    runs.challenge(challengeId);
    for (let g = 0; g < view.goals.length; g++) {
      const goal = view.goals[g]!;
      const p = piecesOfGoal(pieces, goal.goal);
      if (isUnassigned(goal)) {
        // Unlocked ones in a row are one copy (core's unassigned-runs.ts).
        const at =
          goal.locked || goal.goal.variantId !== undefined
            ? -1
            : runs.positionOf(goal.goal.goalId, goal.goal.challengeId);
        if (at >= 0 && runs.extend(at)) continue;
        runs.flush();
        if (at >= 0) runs.begin(at);
        else out.bytes(p.unassignedLocked);
        continue;
      }
      runs.flush();
      const goalEstimate = p.head.length + GOAL_TAIL_ESTIMATE;
      out.varint(TAG.challengeGoals);
      const goalStart = out.open(goalEstimate);
      out.bytes(p.head);
      if (goal.progress !== 0) out.int32(TAG.progress, goal.progress);
      out.string(TAG.status, goal.status); // never empty
      if (goal.locked) out.bool(TAG.locked);
      if (goal.completedAt !== null) out.string(TAG.completedAt, time(goal.completedAt));
      if (goal.claimedAt !== null) out.string(TAG.claimedAt, time(goal.claimedAt));
      if (goal.isActive) out.bool(TAG.isActive);
      if (goal.expiresAt !== null) out.string(TAG.expiresAt, time(goal.expiresAt));
      if (goal.expiresInSeconds !== 0) out.int32(TAG.expiresInSeconds, goal.expiresInSeconds);
      if (goal.goal.ended === true) out.bool(TAG.ended);
      if (goal.goal.variantId !== undefined) out.string(TAG.variantId, goal.goal.variantId);
      out.close(goalStart, goalEstimate);
    }
    runs.flush();
    out.close(start, estimate);
  }
  return out.result();
}
