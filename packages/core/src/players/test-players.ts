/**
 * Load-test players live in a namespace of their own: ids with this prefix. Goal statistics
 * leave them out, reward delivery never sends their grants to the provider, and the dashboard's
 * load tests delete them after each run (docs/load-testing.md). `~` keeps the prefix apart from
 * the ids games use (AccelByte's are hex, most others alphanumeric with `-`/`_`).
 */
export const TEST_PLAYER_PREFIX = 'loadtest~';

/** The provider recorded on a test player's grants: nothing was sent anywhere. */
export const TEST_PLAYER_PROVIDER = 'test';

export function isTestPlayer(userId: string): boolean {
  return userId.startsWith(TEST_PLAYER_PREFIX);
}

/** The `index`-th player of a load test's population. */
export function testPlayerId(index: number): string {
  return `${TEST_PLAYER_PREFIX}${index}`;
}
