import type { Definitions } from '../definitions/definitions.types.ts';
import type { ByteWriter } from './byte-writer.ts';
import type { DefinitionsFragments } from './json-fragments.ts';

/**
 * The answer's entries of goals a player has no row for, laid end to end per challenge in
 * definition order (JSON: `e0,e1,…`; protobuf: `e0e1…`). A run of such goals that are
 * neighbours in the definitions is then one copy (`bytes.subarray(start[i], end[j])`,
 * separators included) instead of one or two `TypedArray.set` calls per goal: with 500 goals
 * and 100 rows, ~800 copies of ~400 bytes became ~10 (docs/performance.md, hot reads, fourth
 * pass). Built from the encoder's own per-goal pieces, so it follows whatever they encode.
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

const cache = new WeakMap<object, UnassignedRuns>();

/**
 * The runs of an encoder's pieces (`owner`, e.g. one definitions version's fragments: the
 * cache key), `entryOf(goalId)` being a goal's whole unassigned entry, `separator` the byte
 * between entries (none for protobuf).
 */
export function goalRunsOf(
  definitions: Definitions,
  owner: object,
  entryOf: (goalId: string) => Uint8Array,
  separator?: number,
): UnassignedRuns {
  let found = cache.get(owner);
  if (found) return found;
  const runs = new Map<string, UnassignedRun>();
  const position = new Map<string, number>();
  const gap = separator === undefined ? 0 : 1;
  for (const challenge of definitions.challenges) {
    const pieces = challenge.goals.map((goal) => entryOf(goal.goalId));
    let size = Math.max(pieces.length - 1, 0) * gap;
    for (const piece of pieces) size += piece.length;
    const bytes = new Uint8Array(size);
    const start = new Uint32Array(pieces.length);
    const end = new Uint32Array(pieces.length);
    let at = 0;
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0 && separator !== undefined) bytes[at++] = separator;
      start[i] = at;
      bytes.set(pieces[i]!, at);
      at += pieces[i]!.length;
      end[i] = at;
      position.set(challenge.goals[i]!.goalId, i);
    }
    runs.set(challenge.challengeId, { bytes, start, end });
  }
  found = { runs, position };
  cache.set(owner, found);
  return found;
}

/** The list answer's runs: `listUnassigned` entries, comma-separated. */
export function unassignedRunsOf(
  definitions: Definitions,
  fragments: DefinitionsFragments,
): UnassignedRuns {
  return goalRunsOf(definitions, fragments, (id) => fragments.goals.get(id)!.listUnassigned, 0x2c);
}

/**
 * Collects neighbouring unassigned goals of one challenge while an encoder walks its goals,
 * and writes them as one copy when the run breaks (`flush`).
 */
export class RunCopier {
  private run: UnassignedRun | undefined;
  private challengeId = '';
  private first = -1;
  private last = -1;

  constructor(
    private readonly runs: UnassignedRuns,
    private readonly out: ByteWriter,
  ) {}

  /** Starts a challenge's goals (after `flush` of the previous one). */
  challenge(challengeId: string): void {
    this.run = this.runs.runs.get(challengeId);
    this.challengeId = challengeId;
    this.first = -1;
  }

  /** The goal's position in the current challenge's run, or -1 when it has none. */
  positionOf(goalId: string, challengeId: string): number {
    if (this.run === undefined || challengeId !== this.challengeId) return -1;
    return this.runs.position.get(goalId) ?? -1;
  }

  /** Takes the goal at `at` into the pending run if it follows it; false when it does not. */
  extend(at: number): boolean {
    if (this.first < 0 || at !== this.last + 1) return false;
    this.last = at;
    return true;
  }

  /** Starts a new pending run at `at` (after `flush`). */
  begin(at: number): void {
    this.first = at;
    this.last = at;
  }

  /** Writes the pending run, if any. */
  flush(): void {
    if (this.first < 0) return;
    const run = this.run!;
    this.out.bytes(run.bytes.subarray(run.start[this.first], run.end[this.last]));
    this.first = -1;
  }
}
