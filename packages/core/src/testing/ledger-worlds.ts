/**
 * The two worlds of the oracle property test. Both answer the same player operations: the
 * oracle keeps Assignment rows and applies event batches with applyEvents (today's worker);
 * the ledger world keeps StoredAssignment rows and ledgers and applies batches as the new
 * worker will (candidates by isCandidate, then applyBatchToLedger). The "database" of each is a
 * map; the API operations (api-operations.ts) run once, on whichever store they are given.
 */

import type { Definitions } from '../definitions/definitions.types.ts';
import { applyEvents, type EventOutcome, targetKeys } from '../events/apply-batch.ts';
import type { GameEvent } from '../events/event.schema.ts';
import { advanceLedgers } from '../ledger/advance-ledger.ts';
import { anchorAssignment, materializeAssignment } from '../ledger/anchor-assignment.ts';
import { applyBatchToLedger } from '../ledger/apply-batch-to-ledger.ts';
import { ledgerAssignmentViews } from '../ledger/derive-views.ts';
import { isCandidate } from '../ledger/is-candidate.ts';
import { ledgerKey, type StatLedger, type StoredAssignment } from '../ledger/ledger.types.ts';
import { reanchorAssignment, requirementFingerprint } from '../ledger/reanchor-assignment.ts';
import { statKeyOfGoal } from '../ledger/stat-key.ts';
import type { Assignment } from '../progress/progress.types.ts';
import type { AssignmentView } from '../progress/view-assignment.ts';
import { assignmentViews } from '../response/build-views.ts';
import { goalOfRow } from '../variants/variant-goal.ts';

/** The inner map of `key`, created when missing. */
function inner<V>(outer: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let map = outer.get(key);
  if (map === undefined) {
    map = new Map();
    outer.set(key, map);
  }
  return map;
}

/** What the API and the worker need from the progress store. */
export interface ProgressStore {
  readonly name: string;
  /** The player's rows as the oracle would hold them, by goal id. */
  rows(userId: string): ReadonlyMap<string, Assignment>;
  /** The views list and initialize answer with, by goal id. */
  views(userId: string, now: Date): Map<string, AssignmentView>;
  save(userId: string, rows: readonly Assignment[]): void;
  deleteUser(userId: string): void;
  /** Live-ops publish: the definitions every later operation runs under. */
  publish(definitions: Definitions): void;
  /** One worker batch of fresh events at `now`; the outcome of each event. */
  applyBatch(events: readonly GameEvent[], now: Date): EventOutcome[];
}

export class OracleStore implements ProgressStore {
  readonly name = 'oracle';
  private readonly byUser = new Map<string, Map<string, Assignment>>();

  constructor(private definitions: Definitions) {}

  /** The rows stay as they are: the new rules apply from the next operation on. */
  publish(definitions: Definitions): void {
    this.definitions = definitions;
  }

  rows(userId: string): ReadonlyMap<string, Assignment> {
    return this.byUser.get(userId) ?? new Map();
  }

  views(userId: string, now: Date): Map<string, AssignmentView> {
    const rows = [...this.rows(userId).values()];
    return assignmentViews({ definitions: this.definitions, rows, now });
  }

  save(userId: string, rows: readonly Assignment[]): void {
    const mine = inner(this.byUser, userId);
    for (const row of rows) mine.set(row.goalId, row);
  }

  deleteUser(userId: string): void {
    this.byUser.delete(userId);
  }

  applyBatch(events: readonly GameEvent[], now: Date): EventOutcome[] {
    const { userIds, goalIds } = targetKeys(events, this.definitions);
    const locked: Assignment[] = [];
    userIds.forEach((userId, i) => {
      const row = this.rows(userId).get(goalIds[i]!);
      if (row?.isActive) locked.push(row);
    });
    const effects = applyEvents({ events, rows: locked, definitions: this.definitions, now });
    for (const row of effects.changed) this.save(row.userId, [row]);
    return effects.outcomes;
  }
}

/** Rows read and written per batch, to show the O(1) claim in numbers. */
export interface LedgerStats {
  events: number;
  candidates: number;
  written: number;
  ledgersWritten: number;
}

export class LedgerStore implements ProgressStore {
  readonly name = 'ledger';
  private readonly byUser = new Map<string, Map<string, StoredAssignment>>();
  private readonly ledgersByUser = new Map<string, Map<string, StatLedger>>();
  readonly stats: LedgerStats = { events: 0, candidates: 0, written: 0, ledgersWritten: 0 };

  constructor(private definitions: Definitions) {}

  /** Rows of goals whose requirement changed are re-anchored for the new definitions. */
  publish(definitions: Definitions): void {
    const previous = this.definitions;
    this.definitions = definitions;
    for (const [userId, rows] of this.byUser) {
      const ledgers = this.ledgers(userId);
      for (const stored of rows.values()) {
        const before = goalOfRow(previous, stored);
        const after = goalOfRow(definitions, stored);
        if (!before || !after) continue;
        if (requirementFingerprint(before) === requirementFingerprint(after)) continue;
        const ledgerBefore = ledgers.get(stored.statKey);
        const ledgerAfter = ledgers.get(statKeyOfGoal(after));
        rows.set(
          stored.goalId,
          reanchorAssignment({ stored, before, after, ledgerBefore, ledgerAfter }),
        );
      }
    }
  }

  stored(userId: string): ReadonlyMap<string, StoredAssignment> {
    return this.byUser.get(userId) ?? new Map();
  }

  ledgers(userId: string): ReadonlyMap<string, StatLedger> {
    return this.ledgersByUser.get(userId) ?? new Map();
  }

  rows(userId: string): ReadonlyMap<string, Assignment> {
    const ledgers = this.ledgers(userId);
    const rows = new Map<string, Assignment>();
    for (const stored of this.stored(userId).values()) {
      const goal = goalOfRow(this.definitions, stored)!;
      const ledger = ledgers.get(stored.statKey);
      rows.set(stored.goalId, materializeAssignment({ stored, ledger, goal }));
    }
    return rows;
  }

  views(userId: string, now: Date): Map<string, AssignmentView> {
    const rows = [...this.stored(userId).values()];
    const ledgers = this.ledgers(userId);
    return ledgerAssignmentViews({ definitions: this.definitions, rows, ledgers, now });
  }

  save(userId: string, rows: readonly Assignment[]): void {
    const ledgers = this.ledgers(userId);
    this.write(
      userId,
      rows.map((assignment) => {
        const goal = goalOfRow(this.definitions, assignment)!;
        const ledger = ledgers.get(statKeyOfGoal(goal));
        return anchorAssignment({ assignment, ledger, goal });
      }),
    );
  }

  deleteUser(userId: string): void {
    this.byUser.delete(userId);
    this.ledgersByUser.delete(userId);
  }

  /** Takes stored rows as they are, e.g. the ones a migration wrote (no ledger yet). */
  load(rows: readonly StoredAssignment[]): void {
    for (const row of rows) this.write(row.userId, [row]);
  }

  applyBatch(events: readonly GameEvent[], now: Date): EventOutcome[] {
    const { definitions } = this;
    const ledgers = new Map<string, StatLedger>();
    for (const event of events) {
      for (const [statKey, ledger] of this.ledgers(event.userId)) {
        ledgers.set(ledgerKey(event.userId, statKey), ledger);
      }
    }
    // What the repository does in SQL: the candidate range scans and the EXISTS per key.
    const candidates: StoredAssignment[] = [];
    const activeKeys = new Set<string>();
    for (const [k, advance] of advanceLedgers({ events, ledgers, definitions, now })) {
      for (const stored of this.stored(advance.userId).values()) {
        if (stored.statKey !== advance.statKey) continue;
        if (stored.isActive) activeKeys.add(k);
        if (isCandidate({ stored, readings: advance.readings, now })) candidates.push(stored);
      }
    }
    const effects = applyBatchToLedger({
      events,
      ledgers,
      candidates,
      activeKeys,
      definitions,
      now,
    });
    for (const ledger of effects.ledgers) {
      inner(this.ledgersByUser, ledger.userId).set(ledger.statKey, ledger);
    }
    for (const stored of effects.changed) this.write(stored.userId, [stored]);
    this.stats.events += events.length;
    this.stats.candidates += candidates.length;
    this.stats.written += effects.changed.length;
    this.stats.ledgersWritten += effects.ledgers.length;
    return effects.outcomes;
  }

  private write(userId: string, rows: readonly StoredAssignment[]): void {
    const mine = inner(this.byUser, userId);
    for (const row of rows) mine.set(row.goalId, row);
  }
}
