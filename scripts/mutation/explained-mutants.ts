// Mutants that survive on purpose: equivalent to the original (no test can tell them apart) or
// changing nothing a user could notice. Matched on the file, the mutator and the original code,
// so they stay attached when lines move. Anything surviving that is not listed here is reported
// as unexplained by `npm run test:mutation`.
export interface ExplainedMutant {
  file: string;
  mutator: string;
  /**
   * The original code the mutant replaces, exactly (whitespace runs count as one space); a long
   * one, such as a block, may be given by its start followed by `...`.
   */
  original: string;
  /** Only where the same code occurs more than once in the file: the line it is on. */
  line?: number;
  /** Only where one mutator makes several mutants of the same code: the one meant. */
  replacement?: string;
  reason: string;
}

const APPLY_EVENT = 'packages/core/src/progress/apply-event.ts';
const ENCODE_JSON = 'packages/core/src/response/encode-json.ts';
const NULL_CHECKS_BEFORE_IS_FINITE =
  'Number.isFinite is false for undefined and null (it does not coerce), so the two null ' +
  'checks in front of it decide nothing; a NaN or infinite inc is tested (apply-event.test.ts).';
const UNASSIGNED_FAST_PATH =
  'the pre-encoded fragment of an unassigned goal is byte for byte what the general path ' +
  'writes for it (encode-json.test.ts compares both against a plain serialisation); skipping ' +
  'the shortcut only costs time. The half that matters (a rotating goal with an expiry) is tested.';

const VIEW_ASSIGNMENT = 'packages/core/src/progress/view-assignment.ts';
const ONLY_ROTATING_GOALS =
  'every caller asks about a goal with a rotation: viewAssignment and deriveAssignmentView only ' +
  'for a stale row (stale needs a period), rotateAssignment only after goalPeriod found one; the ' +
  'guard narrows the type and is never reached with a null rotation.';
const NO_CHANGE_GUARD =
  'a status that changes with the same progress can only become completed (a publish lowered ' +
  'the target), and then completedAt changes from null to now; completedAt changes only with ' +
  'the status (completion is sticky). Either comparison alone decides, so making one always ' +
  'true changes nothing.';
const ADVANCE_LEDGER = 'packages/core/src/ledger/advance-ledger.ts';
const APPLY_BATCH_TO_LEDGER = 'packages/core/src/ledger/apply-batch-to-ledger.ts';
const DERIVE_PROGRESS = 'packages/core/src/ledger/derive-progress.ts';
const LOGIN_HAS_NO_INC =
  'a login carries no inc (ZGameEvent has none for logins), so the stat path gives it the ' +
  'same step of 1.';
const VALUE_COMES_WITH_ITS_SEQ =
  'advanceLedger sets valueSeq only together with a value, so valueSeq > anchorSeq (>= 0) ' +
  'means value is not null; the check narrows the type.';
const CLAIMED_NEVER_DERIVED =
  'derivedStatus is only asked about rows that follow the ledger, and followsLedger excludes ' +
  'claimed ones: a claimed status never reaches it.';
const BOTH_OR_NEITHER_PERIOD =
  'periodKey and expiresAt are set together from one period (newAssignment, rotateAssignment, ' +
  'the claim), so a row has both or neither; with neither, periodAt(new Date(null)) is a 1970 ' +
  'period whose key is not null, so the comparison below answers false as the guard does. The ' +
  'guard saves that computation.';

const CLAIM_GOAL = 'apps/api/src/application/claim-goal.ts';
const EXTRA_ROWS_READ =
  "reads the player's rows for a goal without prerequisites (or without a row, which " +
  'checkClaim refuses first): one more query in the transaction, the same answer. The case that ' +
  'needs the rows, a goal whose prerequisite is met, is tested.';
const CLAIM_TRANSACTION = 'packages/db/src/repositories/claim-transaction.ts';
const STATEMENT_NAME =
  'the name of a prepared statement only lets PostgreSQL parse the query once per ' +
  'connection; with an empty name pg runs the same SQL as an unnamed statement, same rows.';

const LEDGER_REPOSITORY = 'packages/db/src/repositories/ledger.repository.ts';
const APPLY_EVENTS = 'apps/worker/src/processors/apply-events.ts';
const NEVER_DEDUPLICATED =
  "applyBatchToLedger never gives an event the outcome 'deduplicated': repeats are dropped before it " +
  'runs and counted from the batch sizes (newSize - fresh.length, tested), so this branch is ' +
  'never taken.';
const SKIPPED_ROUND_TRIP = 'the guard only saves a round trip to PostgreSQL';
const EMPTY_WRITE =
  'the write of no ledgers and no rows writes nothing, and it rides with the COMMIT that the ' +
  "guard's else sends alone: the same round trips, the same rows.";
const NO_NEGATIVE_REPEATS =
  'fresh holds distinct events of the applied batches, so newSize is never below it, and ' +
  'Counter.inc(0) adds nothing: the guard only skips the call.';
const SAME_PAIR_ONLY =
  'sortedKeys compares (player, key) pairs; this changes the answer only for a pair compared ' +
  'with an equal one, and ledgerKeysOf names each pair once (an equal pair would be the same row).';
const SORT_ASKS_NEGATIVE =
  "answers 0 instead of 1 when a's key sorts after b's: V8's Array.prototype.sort only asks " +
  'whether a comparison is negative, so both sort alike (checked on 3,000 random arrays of up to ' +
  '200 pairs; the order itself is tested in ledger-batch.integration.test.ts).';
const CHANGED_HAS_LEDGERS =
  'applyBatchToLedger changes only rows of keys it advanced and returns every ledger it advanced, ' +
  'so a batch with changed rows always has ledgers to write: the ledgers half decides alone.';
const TRANSACTION = 'packages/db/src/transaction.ts';
const POOL_DROPS_IT_ANYWAY =
  'ROLLBACK fails only on a connection that is gone (outside a transaction it is a warning, in ' +
  "an aborted one it works), and pg-pool's " +
  'release() drops a client whose connection ended (!_queryable) whatever it is given; nothing ' +
  "listens to the pool's 'release' event, so the error itself is never read.";
const ONCE_IS_REDUNDANT =
  'done() removes the abort listener itself, whichever of the timer and the abort comes ' +
  'first, so `once` changes nothing (that no listener stays behind is tested).';

const REWARD_REPOSITORY = 'packages/db/src/repositories/reward-delivery.repository.ts';
const REWARD_DELIVERY = 'packages/runtime/src/rewards/reward-delivery.ts';
const UNDEFINED_IS_NULL =
  'the other result kinds have no error / nextAttemptAt field: the mutant passes undefined, ' +
  'which pg sends as NULL, the same value the guard chooses.';
const ONLY_OPEN_ROWS =
  "countOpen's query selects only pending and failed rows (WHERE status IN ...), so the check " +
  'is always true; it is there to narrow the type (tested: granted grants are not counted).';
const LEFT_LISTENER =
  'a listener left on the per-attempt timeout signal fires at most once, later, and rejects ' +
  'a promise Promise.race already handles; nothing else holds the signal, so it goes with it.';

const PLAYER_AUTH = 'apps/api/src/auth/player-auth.ts';
const VERIFIED_CACHE_IS_SPEED_ONLY =
  'both turn the verified-token cache off (without options every entry expires at NaN, which no ' +
  'time is before): every call verifies the signature and claims as it did before the cache, ' +
  'with the same answers; only its cost changes (37 against 1.5 µs per HS256 call). What the ' +
  'cache must not do, honour a token past its exp or past 60 s, is tested on the cache itself ' +
  '(player-auth.test.ts).';
const DASHBOARD_SESSION = 'apps/api/src/auth/dashboard-session.ts';
const PASSWORDS = 'apps/api/src/auth/passwords.ts';
const SIGN_IN = 'apps/api/src/auth/sign-in.ts';
const INGEST_KEYS = 'apps/api/src/auth/ingest-api-keys.ts';
const SAME_ORIGIN = 'apps/api/src/auth/same-origin.ts';
const NO_KEY_REFUSED_BY_ENV =
  'parseEnv refuses AUTH_MODE=jwt without JWT_JWKS_URL, JWT_PUBLIC_KEY or JWT_SECRET (env.ts), ' +
  'so with the first two absent the secret is always there and the throw is never reached.';
const COOKIE_AT_START =
  'killed when applied by hand (dashboard-auth "signs in … SameSite=Lax cookie"); the options ' +
  "are built while the api starts in the file's beforeAll, which Stryker's per-test coverage " +
  'does not attribute to that test, so the mutant runs without it.';
const TIMING_ONLY =
  'only the time of a sign-in changes (an unknown email skips or adds the one argon2 ' +
  'verification that hides whether the account exists); the answer is the same, and a test ' +
  'of it would need the wall-clock thresholds issue 12 removed.';

const HOT_RELOAD = 'packages/runtime/src/database-definitions-source.ts';
const NON_EMPTY_DETAILS =
  'only differs for an error whose details list is empty; parseDefinitions throws ' +
  'CoreError INVALID_DEFINITIONS only through fail(), always with at least one problem, and ' +
  'any other error has no details (that fallback is tested).';

export const explainedMutants = {
  core: [
    {
      file: APPLY_EVENT,
      mutator: 'ConditionalExpression',
      original: 'inc !== undefined && inc !== null',
      reason: NULL_CHECKS_BEFORE_IS_FINITE,
    },
    {
      file: APPLY_EVENT,
      mutator: 'ConditionalExpression',
      original: 'inc !== undefined',
      reason: NULL_CHECKS_BEFORE_IS_FINITE,
    },
    {
      file: APPLY_EVENT,
      mutator: 'ConditionalExpression',
      original: 'inc !== null',
      reason: NULL_CHECKS_BEFORE_IS_FINITE,
    },
    {
      file: APPLY_EVENT,
      mutator: 'LogicalOperator',
      original: 'inc !== undefined && inc !== null',
      reason: NULL_CHECKS_BEFORE_IS_FINITE,
    },
    {
      file: APPLY_EVENT,
      mutator: 'EqualityOperator',
      original: 'delta >= 1',
      reason:
        'at delta = 1 both branches give a step of 1 (Math.floor(1) and the default 1); every ' +
        'other delta lands on the same side of > 1 and >= 1.',
    },
    {
      file: ENCODE_JSON,
      mutator: 'ConditionalExpression',
      original: 'goal.assignedAt === null && goal.expiresAt === null',
      reason: UNASSIGNED_FAST_PATH,
    },
    {
      file: ENCODE_JSON,
      mutator: 'BlockStatement',
      original: '{ out.bytes(goal.locked ? f.listUnassignedLocked : f.listUnassigned);...',
      reason: UNASSIGNED_FAST_PATH,
    },
    {
      file: APPLY_EVENT,
      mutator: 'ConditionalExpression',
      original: 'status === current.status',
      reason: NO_CHANGE_GUARD,
    },
    {
      file: APPLY_EVENT,
      mutator: 'ConditionalExpression',
      original: 'completedAt === current.completedAt',
      reason: NO_CHANGE_GUARD,
    },
    {
      file: VIEW_ASSIGNMENT,
      mutator: 'ConditionalExpression',
      original: 'goal.rotation === null',
      reason: ONLY_ROTATING_GOALS,
    },
    {
      file: VIEW_ASSIGNMENT,
      mutator: 'BooleanLiteral',
      original: 'false',
      line: 48,
      reason: ONLY_ROTATING_GOALS,
    },
    {
      file: ADVANCE_LEDGER,
      mutator: 'ConditionalExpression',
      original: 'inc === undefined',
      reason:
        'Number.isFinite(undefined) is false (it does not coerce), so !Number.isFinite(inc) ' +
        'already gives a missing inc a step of 1; the check only narrows the type.',
    },
    {
      file: ADVANCE_LEDGER,
      mutator: 'EqualityOperator',
      original: 'inc < 1',
      reason:
        'at inc = 1 both give a step of 1 (the early return and Math.floor(1)), as the ' +
        "oracle's delta >= 1.",
    },
    {
      file: ADVANCE_LEDGER,
      mutator: 'ConditionalExpression',
      original: "event.type === 'stat'",
      reason:
        'a login event has no value (ZGameEvent has none for logins and zod drops unknown keys), ' +
        'so event.value !== undefined is false for it anyway; the check narrows the type.',
    },
    {
      file: ADVANCE_LEDGER,
      mutator: 'EqualityOperator',
      original: 'event.value > maxValue',
      reason: 'a value equal to the highest so far leaves the same highest value.',
    },
    {
      file: ADVANCE_LEDGER,
      mutator: 'StringLiteral',
      original: "'login'",
      reason: LOGIN_HAS_NO_INC,
    },
    {
      file: ADVANCE_LEDGER,
      mutator: 'ConditionalExpression',
      original: "event.type === 'login'",
      reason: LOGIN_HAS_NO_INC,
    },
    {
      file: APPLY_BATCH_TO_LEDGER,
      mutator: 'ConditionalExpression',
      original: 'next.unit === stored.unit',
      reason:
        "a goal's unit follows its derivation, and a publish that changes the derivation " +
        're-anchors its rows (requirementFingerprint contains it) before the next batch, so the ' +
        'units are always equal here. An unchanged row written anyway is tested (the !== mutant).',
    },
    {
      file: APPLY_BATCH_TO_LEDGER,
      mutator: 'LogicalOperator',
      original: 'x instanceof Date || y instanceof Date',
      reason:
        'date fields are a Date or null: with one of each, x !== y is true as the instants ' +
        'differ; with two Dates both forms compare the instants (both cases tested).',
    },
    {
      file: DERIVE_PROGRESS,
      mutator: 'LogicalOperator',
      original: 'row.periodKey === null || row.expiresAt === null',
      reason: BOTH_OR_NEITHER_PERIOD,
    },
    {
      file: DERIVE_PROGRESS,
      mutator: 'ConditionalExpression',
      original: 'row.periodKey === null || row.expiresAt === null',
      reason: BOTH_OR_NEITHER_PERIOD,
    },
    {
      file: DERIVE_PROGRESS,
      mutator: 'ConditionalExpression',
      original: 'row.periodKey === null',
      reason: BOTH_OR_NEITHER_PERIOD,
    },
    {
      file: DERIVE_PROGRESS,
      mutator: 'ConditionalExpression',
      original: 'row.expiresAt === null',
      reason: BOTH_OR_NEITHER_PERIOD,
    },
    {
      file: DERIVE_PROGRESS,
      mutator: 'StringLiteral',
      original: "'claimed'",
      line: 77,
      reason: CLAIMED_NEVER_DERIVED,
    },
    {
      file: DERIVE_PROGRESS,
      mutator: 'ConditionalExpression',
      original: "stored.status === 'claimed'",
      reason: CLAIMED_NEVER_DERIVED,
    },
    {
      file: DERIVE_PROGRESS,
      mutator: 'ConditionalExpression',
      original: 'ledger.value !== null',
      reason: VALUE_COMES_WITH_ITS_SEQ,
    },
    {
      file: DERIVE_PROGRESS,
      mutator: 'ConditionalExpression',
      original: 'stored.baseline !== null',
      reason:
        'a relative row without baseline has threshold -Infinity, so the batch carrying the ' +
        'next value reads it and stores it again with the baseline that value sets: no row is ' +
        'derived past its anchor without one. Where settleCandidate derives such a row to ' +
        "compare, the oracle's row has the new baseline, so the two differ either way.",
    },
    {
      file: 'packages/core/src/ledger/is-candidate.ts',
      mutator: 'ConditionalExpression',
      original: 'stored.periodKey !== null',
      reason:
        'null > a string compares numbers (0 > NaN), which is false, as the guard answers; it ' +
        'narrows the type.',
    },
    {
      file: 'packages/core/src/ledger/reanchor-assignment.ts',
      mutator: 'StringLiteral',
      original: "'-'",
      reason:
        'fingerprints are only compared with each other, and a rotation part is never empty ' +
        "(schedule|timezone|weekStartsOn): '' tells no rotation apart as well as '-'.",
    },
  ],
  claim: [
    {
      file: CLAIM_TRANSACTION,
      mutator: 'StringLiteral',
      original: "'reward_grants.find_earlier.v1'",
      reason: STATEMENT_NAME,
    },
    {
      file: CLAIM_TRANSACTION,
      mutator: 'StringLiteral',
      original: "'reward_grants.insert.v2'",
      reason: STATEMENT_NAME,
    },
    {
      file: CLAIM_GOAL,
      mutator: 'ConditionalExpression',
      original: 'goal.prerequisites.length > 0 && row',
      replacement: 'true',
      reason: EXTRA_ROWS_READ,
    },
    {
      file: CLAIM_GOAL,
      mutator: 'LogicalOperator',
      original: 'goal.prerequisites.length > 0 && row',
      reason: EXTRA_ROWS_READ,
    },
    {
      file: CLAIM_GOAL,
      mutator: 'ConditionalExpression',
      original: 'goal.prerequisites.length > 0',
      reason: EXTRA_ROWS_READ,
    },
    {
      file: CLAIM_GOAL,
      mutator: 'EqualityOperator',
      original: 'goal.prerequisites.length > 0',
      replacement: 'goal.prerequisites.length >= 0',
      reason: EXTRA_ROWS_READ,
    },
    {
      file: CLAIM_GOAL,
      mutator: 'OptionalChaining',
      original: 'existing?.claimedAt',
      reason:
        'the grant whose key made the insert conflict is read back by that key right after; ' +
        'grants are never deleted (a data deletion pseudonymises them), so it is always there.',
    },
  ] as ExplainedMutant[],
  events: [
    {
      file: LEDGER_REPOSITORY,
      mutator: 'ConditionalExpression',
      original: 'a[1] > b[1]',
      replacement: 'true',
      reason: SAME_PAIR_ONLY,
    },
    {
      file: LEDGER_REPOSITORY,
      mutator: 'EqualityOperator',
      original: 'a[1] < b[1]',
      replacement: 'a[1] <= b[1]',
      reason: SAME_PAIR_ONLY,
    },
    {
      file: LEDGER_REPOSITORY,
      mutator: 'EqualityOperator',
      original: 'a[1] > b[1]',
      replacement: 'a[1] >= b[1]',
      reason: SAME_PAIR_ONLY,
    },
    {
      file: LEDGER_REPOSITORY,
      mutator: 'ConditionalExpression',
      original: 'a[1] > b[1]',
      replacement: 'false',
      reason: SORT_ASKS_NEGATIVE,
    },
    {
      file: LEDGER_REPOSITORY,
      mutator: 'EqualityOperator',
      original: 'a[1] > b[1]',
      replacement: 'a[1] <= b[1]',
      reason: SORT_ASKS_NEGATIVE,
    },
    {
      file: LEDGER_REPOSITORY,
      mutator: 'EqualityOperator',
      original: 'effects.ledgers.length > 0',
      replacement: 'effects.ledgers.length >= 0',
      reason: EMPTY_WRITE,
    },
    {
      file: LEDGER_REPOSITORY,
      mutator: 'EqualityOperator',
      original: 'effects.changed.length > 0',
      replacement: 'effects.changed.length >= 0',
      reason: EMPTY_WRITE,
    },
    {
      file: LEDGER_REPOSITORY,
      mutator: 'ConditionalExpression',
      original: 'effects.changed.length > 0',
      replacement: 'false',
      reason: CHANGED_HAS_LEDGERS,
    },
    {
      file: LEDGER_REPOSITORY,
      mutator: 'EqualityOperator',
      original: 'effects.changed.length > 0',
      replacement: 'effects.changed.length <= 0',
      reason: CHANGED_HAS_LEDGERS,
    },
    {
      file: LEDGER_REPOSITORY,
      mutator: 'MethodExpression',
      original: '[...new Set(input.statKeys)].sort()',
      reason:
        'HOLD_LEDGERS orders its insert (ORDER BY k) and its FOR SHARE (ORDER BY stat_key) ' +
        'itself; only the count of distinct keys is used from this list.',
    },
    {
      file: LEDGER_REPOSITORY,
      mutator: 'ConditionalExpression',
      original: 'goalIds.length > 0',
      replacement: 'true',
      reason: `${SKIPPED_ROUND_TRIP} (locking the rows of no goal locks nothing)`,
    },
    {
      file: LEDGER_REPOSITORY,
      mutator: 'EqualityOperator',
      original: 'goalIds.length > 0',
      replacement: 'goalIds.length >= 0',
      reason: `${SKIPPED_ROUND_TRIP} (locking the rows of no goal locks nothing)`,
    },
    {
      file: LEDGER_REPOSITORY,
      mutator: 'StringLiteral',
      original: "'goal_progress.lock_for_mutation.v1'",
      reason: STATEMENT_NAME,
    },
    {
      file: LEDGER_REPOSITORY,
      mutator: 'ConditionalExpression',
      original: 'effects.ledgers.length > 0 || effects.changed.length > 0',
      reason: EMPTY_WRITE,
    },
    {
      file: TRANSACTION,
      mutator: 'BlockStatement',
      original: '{ broken = rollbackError instanceof Error ? rollbackError : new Error(...',
      reason: POOL_DROPS_IT_ANYWAY,
    },
    {
      file: TRANSACTION,
      mutator: 'ConditionalExpression',
      original: '!broken',
      replacement: 'true',
      reason:
        'after a failed PREPARE the mutant also sends ROLLBACK, outside any transaction (a ' +
        'warning); the client is released as broken either way (broken is set, and a failed ' +
        'ROLLBACK only replaces it with another error), so the pool discards it as before (tested).',
    },
    {
      file: APPLY_EVENTS,
      mutator: 'ObjectLiteral',
      original: '{ once: true }',
      reason: ONCE_IS_REDUNDANT,
    },
    {
      file: APPLY_EVENTS,
      mutator: 'BooleanLiteral',
      original: 'true',
      reason: ONCE_IS_REDUNDANT,
    },
    // `[]`: the initial fresh (134) and outcomes (136) of an attempt.
    ...[134, 136].map((line) => ({
      file: APPLY_EVENTS,
      mutator: 'ArrayDeclaration',
      original: '[]',
      line,
      reason:
        'the initial fresh/outcomes of an attempt are never read: on an applied batch the ' +
        'repository always calls advance() and apply(), which assign both, before they are used ' +
        '(on already_applied nothing reads them).',
    })),
    {
      file: APPLY_EVENTS,
      mutator: 'ConditionalExpression',
      original: 'freshIds.size === events.length',
      reason:
        'a shortcut: when every id is fresh, filtering by freshIds gives the same events in ' +
        'the same order.',
    },
    {
      file: APPLY_EVENTS,
      mutator: 'ConditionalExpression',
      original: "outcome.kind === 'applied'",
      line: 190,
      reason:
        'on already_applied the repository calls neither advance() nor apply() and no batch is in ' +
        '`applied`: the block would record no event and count no repeat.',
    },
    {
      file: APPLY_EVENTS,
      mutator: 'ConditionalExpression',
      original: 'newSize > fresh.length',
      reason: NO_NEGATIVE_REPEATS,
    },
    {
      file: APPLY_EVENTS,
      mutator: 'EqualityOperator',
      original: 'newSize > fresh.length',
      reason: NO_NEGATIVE_REPEATS,
    },
    {
      file: APPLY_EVENTS,
      mutator: 'ConditionalExpression',
      original: "outcome === 'deduplicated'",
      reason: NEVER_DEDUPLICATED,
    },
    {
      file: APPLY_EVENTS,
      mutator: 'StringLiteral',
      original: "'deduplicated'",
      reason: NEVER_DEDUPLICATED,
    },
  ] as ExplainedMutant[],
  rewards: [
    {
      file: REWARD_REPOSITORY,
      line: 79,
      mutator: 'ConditionalExpression',
      original: "result.status === 'granted'",
      reason: UNDEFINED_IS_NULL,
    },
    {
      file: REWARD_REPOSITORY,
      line: 79,
      mutator: 'StringLiteral',
      original: "'granted'",
      reason: UNDEFINED_IS_NULL,
    },
    {
      file: REWARD_REPOSITORY,
      line: 80,
      mutator: 'ConditionalExpression',
      original: "result.status === 'pending'",
      reason: UNDEFINED_IS_NULL,
    },
    {
      file: REWARD_REPOSITORY,
      line: 133,
      mutator: 'ConditionalExpression',
      original: "row.status !== 'granted'",
      reason: ONLY_OPEN_ROWS,
    },
    {
      file: REWARD_REPOSITORY,
      line: 133,
      mutator: 'StringLiteral',
      original: "'granted'",
      reason: ONLY_OPEN_ROWS,
    },
    {
      file: REWARD_DELIVERY,
      mutator: 'ObjectLiteral',
      original: '{ once: true }',
      reason: 'AbortSignal.timeout() aborts at most once, so `once` changes nothing.',
    },
    {
      file: REWARD_DELIVERY,
      mutator: 'BooleanLiteral',
      original: 'true',
      reason: 'AbortSignal.timeout() aborts at most once, so `once` changes nothing.',
    },
    {
      file: REWARD_DELIVERY,
      mutator: 'BlockStatement',
      original: '{ if (onAbort) signal.removeEventListener(...',
      reason: LEFT_LISTENER,
    },
    {
      file: REWARD_DELIVERY,
      mutator: 'ConditionalExpression',
      original: 'onAbort',
      reason: `onAbort is always set (the promise executor runs at once); ${LEFT_LISTENER}`,
    },
    {
      file: REWARD_DELIVERY,
      mutator: 'StringLiteral',
      original: "'abort'",
      line: 47,
      reason: LEFT_LISTENER,
    },
  ] as ExplainedMutant[],
  'hot-reload': [
    {
      file: HOT_RELOAD,
      mutator: 'ConditionalExpression',
      original: 'details.length > 0',
      reason: NON_EMPTY_DETAILS,
    },
    {
      file: HOT_RELOAD,
      mutator: 'EqualityOperator',
      original: 'details.length > 0',
      reason: NON_EMPTY_DETAILS,
    },
    {
      file: HOT_RELOAD,
      mutator: 'StringLiteral',
      original: "'message'",
      reason:
        'close() disconnects the subscriber right after (a manual disconnect, ioredis never ' +
        'reconnects it), so the listener left attached can never be called again.',
    },
  ] as ExplainedMutant[],
  auth: [
    {
      file: PLAYER_AUTH,
      mutator: 'ObjectLiteral',
      original: '{ ttlMs: 60_000, maxEntries: 50_000 }',
      reason: VERIFIED_CACHE_IS_SPEED_ONLY,
    },
    {
      file: PLAYER_AUTH,
      mutator: 'ConditionalExpression',
      original: 'cached !== undefined',
      replacement: 'false',
      reason: VERIFIED_CACHE_IS_SPEED_ONLY,
    },
    {
      file: PLAYER_AUTH,
      mutator: 'ConditionalExpression',
      original: 'env.JWT_SECRET',
      reason: NO_KEY_REFUSED_BY_ENV,
    },
    {
      file: PLAYER_AUTH,
      mutator: 'StringLiteral',
      original: "'AUTH_MODE=jwt needs JWT_JWKS_URL, JWT_PUBLIC_KEY or JWT_SECRET'",
      reason: NO_KEY_REFUSED_BY_ENV,
    },
    {
      file: PLAYER_AUTH,
      mutator: 'StringLiteral',
      original: "'\\n'",
      reason:
        "jose's importSPKI drops all whitespace between the PEM markers, so joining the lines " +
        'with nothing reads the same key (checked by hand); that the escapes are removed at all ' +
        'is tested (a PEM written on one line).',
    },
    {
      file: DASHBOARD_SESSION,
      mutator: 'ObjectLiteral',
      original: "{ httpOnly: true, sameSite: 'lax', secure: options.secure, path: '/' }",
      reason: `iron-session's defaults add Secure, which the sign-in test refuses outside production; ${COOKIE_AT_START}`,
    },
    {
      file: DASHBOARD_SESSION,
      mutator: 'BooleanLiteral',
      original: 'true',
      reason: `the sign-in test requires HttpOnly; ${COOKIE_AT_START}`,
    },
    {
      file: DASHBOARD_SESSION,
      mutator: 'StringLiteral',
      original: "'lax'",
      reason: `the sign-in test requires SameSite=Lax; ${COOKIE_AT_START}`,
    },
    {
      file: DASHBOARD_SESSION,
      mutator: 'StringLiteral',
      original: "'/'",
      reason: `the sign-in test requires Path=/; ${COOKIE_AT_START}`,
    },
    {
      file: DASHBOARD_SESSION,
      mutator: 'BlockStatement',
      original: '{ // A cookie that is not one of our seals is no session, not a server error....',
      reason:
        'iron-session itself answers a foreign or tampered seal with an empty session (the ' +
        'forged-cookie test passes with this block emptied, checked by hand); the catch guards ' +
        'a throw no cookie we could build provokes.',
    },
    {
      file: PASSWORDS,
      mutator: 'BlockStatement',
      original: "{ dummy ??= hashPassword('not-a-real-password');...",
      reason: TIMING_ONLY,
    },
    {
      file: PASSWORDS,
      mutator: 'AssignmentOperator',
      original: "dummy ??= hashPassword('not-a-real-password')",
      reason: TIMING_ONLY,
    },
    {
      file: PASSWORDS,
      mutator: 'StringLiteral',
      original: "'not-a-real-password'",
      reason: 'any password works for the dummy hash: only the cost of verifying it matters.',
    },
    { file: SIGN_IN, mutator: 'BooleanLiteral', original: '!user', reason: TIMING_ONLY },
    { file: SIGN_IN, mutator: 'ConditionalExpression', original: '!user', reason: TIMING_ONLY },
    {
      file: SIGN_IN,
      mutator: 'BooleanLiteral',
      original: 'false',
      reason: 'for an unknown email the next line refuses on !user whatever ok is.',
    },
    {
      file: INGEST_KEYS,
      mutator: 'LogicalOperator',
      original: 'options.maxEntries ?? 10_000',
      reason:
        'the default bound is reached only after 10,000 distinct keys within one cache window; ' +
        'the clearing itself is tested with maxEntries: 2.',
    },
    {
      file: SAME_ORIGIN,
      mutator: 'OptionalChaining',
      original: "single(headers['content-type'])?.split(';')[0]?.trim",
      reason: "split(';') always returns at least one element, so [0] is never undefined.",
    },
    {
      file: SAME_ORIGIN,
      mutator: 'ConditionalExpression',
      original: 'origin !== undefined',
      reason: 'allowedOrigins (strings) never has undefined, so the check decides nothing.',
    },
  ] as ExplainedMutant[],
} satisfies Record<string, ExplainedMutant[]>;
