/**
 * `@challenges/core/testing`: the test builders other packages use. Only modules that import
 * nothing but zod, luxon and core itself belong here (no vitest, no fast-check), so that any
 * package's tests can import it.
 */
export { makeDefinitions, makeGoal, makeRotation, makeRow } from './builders.ts';
export { LedgerStore, OracleStore } from './ledger-worlds.ts';
export { plainChallengesResponse } from './plain-responses.ts';
