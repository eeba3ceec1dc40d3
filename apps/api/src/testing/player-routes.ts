/** The player REST routes (player.routes.ts) with real ids of the test definitions. */
export const KNOWN_IDS = new Set(['season', 'daily', 'pool', 'tutorial', 'kill-10', 'pool-1']);

export interface Route {
  method: string;
  path: (challengeId: string, goalId: string) => string;
  /** A valid body, when the route reads one. */
  body?: Record<string, unknown>;
}

export const PLAYER_ROUTES: Route[] = [
  { method: 'GET', path: () => '/v1/challenges' },
  { method: 'POST', path: () => '/v1/challenges/initialize' },
  {
    method: 'PUT',
    path: (c, g) => `/v1/challenges/${c}/goals/${g}/active`,
    body: { isActive: true },
  },
  { method: 'POST', path: (c, g) => `/v1/challenges/${c}/goals/${g}/claim` },
  {
    method: 'POST',
    path: (c) => `/v1/challenges/${c}/goals/batch-select`,
    body: { goalIds: ['pool-1'], replaceExisting: false },
  },
  {
    method: 'POST',
    path: (c) => `/v1/challenges/${c}/goals/random-select`,
    body: { count: 1, replaceExisting: false, excludeActive: false },
  },
  { method: 'GET', path: (c) => `/v1/challenges/${c}/rotation` },
  { method: 'DELETE', path: () => '/v1/users/me/data' },
];
export const ROUTES_WITH_BODY = PLAYER_ROUTES.filter((r) => r.body);
export const ROUTES_WITH_IDS = PLAYER_ROUTES.filter((r) => r.path('{c}', '{g}').includes('{c}'));
