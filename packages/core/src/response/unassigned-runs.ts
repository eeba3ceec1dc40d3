import type { Definitions } from '../definitions/definitions.types.ts';
import type { DefinitionsFragments } from './json-fragments.ts';

/**
 * The list answer's entries of goals a player has no row for, laid end to end per challenge:
 * `listUnassigned(g0),listUnassigned(g1),…` in definition order. A run of such goals that are
 * neighbours in the definitions is then one copy (`bytes.subarray(start[i], end[j])`, commas
 * included) instead of two `TypedArray.set` calls per goal: with 500 goals and 100 rows, 800
 * copies of ~400 bytes became ~10 (docs/performance.md, hot reads, fourth pass).
 * Built from the goal fragments, so it follows whatever fragmentsOf encodes.
 */
export interface UnassignedRun {
  bytes: Uint8Array;
  /** By the goal's position in its challenge: where its entry starts and ends in `bytes`. */
  start: Uint32Array;
  end: Uint32Array;
}

export interface UnassignedRuns {
  /** By challenge id. */
  runs: ReadonlyMap<string, UnassignedRun>;
  /** Goal id → its position in its challenge's goals. */
  position: ReadonlyMap<string, number>;
}

const COMMA = 0x2c;
const cache = new WeakMap<DefinitionsFragments, UnassignedRuns>();

export function unassignedRunsOf(
  definitions: Definitions,
  fragments: DefinitionsFragments,
): UnassignedRuns {
  let found = cache.get(fragments);
  if (found) return found;
  const runs = new Map<string, UnassignedRun>();
  const position = new Map<string, number>();
  for (const challenge of definitions.challenges) {
    const pieces = challenge.goals.map((goal) => fragments.goals.get(goal.goalId)!.listUnassigned);
    let size = Math.max(pieces.length - 1, 0);
    for (const piece of pieces) size += piece.length;
    const bytes = new Uint8Array(size);
    const start = new Uint32Array(pieces.length);
    const end = new Uint32Array(pieces.length);
    let at = 0;
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0) bytes[at++] = COMMA;
      start[i] = at;
      bytes.set(pieces[i]!, at);
      at += pieces[i]!.length;
      end[i] = at;
      position.set(challenge.goals[i]!.goalId, i);
    }
    runs.set(challenge.challengeId, { bytes, start, end });
  }
  found = { runs, position };
  cache.set(fragments, found);
  return found;
}
