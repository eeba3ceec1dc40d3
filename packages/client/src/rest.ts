import type { ApiErrorBody, ChallengesResponse } from './types.ts';

export interface ClientOptions {
  /** e.g. `http://127.0.0.1:8000`; several for failover (streams move to the next one). */
  baseUrls: string[];
  /** The api's BASE_PATH (default `/challenge`). */
  basePath?: string;
  /** A player JWT (AUTH_MODE=jwt), or a function that returns a fresh one. */
  token?: string | (() => string | Promise<string>);
  /** The player id of AUTH_MODE=mock (sent as x-mock-user-id). */
  mockUserId?: string;
}

/** A refused call: the contract's error body with the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | undefined,
  ) {
    super(body ? `${status} ${body.errorCode}: ${body.message}` : `HTTP ${status}`);
  }
}

export async function authHeaders(options: ClientOptions): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  const token = typeof options.token === 'function' ? await options.token() : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.mockUserId) headers['x-mock-user-id'] = options.mockUserId;
  return headers;
}

/** Typed calls of the player REST API (docs/api.md), against the first base URL. */
export function restClient(options: ClientOptions) {
  const base = `${options.baseUrls[0]}${options.basePath ?? '/challenge'}`;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers = await authHeaders(options);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed = text === '' ? undefined : JSON.parse(text);
    if (!res.ok) throw new ApiError(res.status, parsed as ApiErrorBody | undefined);
    return parsed as T;
  };
  const goal = (challengeId: string, goalId: string) =>
    `/v1/challenges/${encodeURIComponent(challengeId)}/goals/${encodeURIComponent(goalId)}`;
  return {
    listChallenges: (activeOnly = false) =>
      call<ChallengesResponse>('GET', `/v1/challenges${activeOnly ? '?activeOnly=true' : ''}`),
    initialize: () =>
      call<{ assignedGoals: unknown[]; newAssignments: number; totalActive: number }>(
        'POST',
        '/v1/challenges/initialize',
      ),
    setGoalActive: (challengeId: string, goalId: string, isActive: boolean) =>
      call<Record<string, unknown>>('PUT', `${goal(challengeId, goalId)}/active`, { isActive }),
    claim: (challengeId: string, goalId: string) =>
      call<Record<string, unknown>>('POST', `${goal(challengeId, goalId)}/claim`),
    batchSelect: (challengeId: string, goalIds: string[], replaceExisting = false) =>
      call<Record<string, unknown>>(
        'POST',
        `/v1/challenges/${encodeURIComponent(challengeId)}/goals/batch-select`,
        { goalIds, replaceExisting },
      ),
    randomSelect: (challengeId: string, count: number, replaceExisting = false) =>
      call<Record<string, unknown>>(
        'POST',
        `/v1/challenges/${encodeURIComponent(challengeId)}/goals/random-select`,
        { count, replaceExisting },
      ),
    rotation: (challengeId: string) =>
      call<Record<string, unknown>>(
        'GET',
        `/v1/challenges/${encodeURIComponent(challengeId)}/rotation`,
      ),
    deleteMyData: () => call<Record<string, unknown>>('DELETE', '/v1/users/me/data'),
  };
}
