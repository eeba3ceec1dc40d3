import { expect } from 'vitest';
import type { ApiResponse, TestApi } from '../../testing/test-api.ts';
import type { GrpcAnswer, IndependentClient } from './independent-client.ts';

/** One use case as a REST request and as a gRPC call, plus how REST's JSON maps to the original's fields. */
export interface Op {
  rest: { method: string; path: string; body?: unknown };
  grpc: { method: string; request: object };
  /** REST's answer without our additive fields, which the hand-written client cannot see. */
  restView?: (body: any) => any;
}

const API = '/challenge/v1';
const goalPath = (c: string, g: string) => `${API}/challenges/${c}/goals/${g}`;

export const ops = {
  list: (activeOnly = false): Op => ({
    rest: { method: 'GET', path: `${API}/challenges${activeOnly ? '?active_only=true' : ''}` },
    grpc: { method: 'GetUserChallenges', request: { activeOnly } },
  }),
  initialize: (): Op => ({
    rest: { method: 'POST', path: `${API}/challenges/initialize` },
    grpc: { method: 'InitializePlayer', request: {} },
  }),
  setActive: (challengeId: string, goalId: string, isActive: boolean): Op => ({
    rest: { method: 'PUT', path: `${goalPath(challengeId, goalId)}/active`, body: { isActive } },
    grpc: { method: 'SetGoalActive', request: { challengeId, goalId, isActive } },
  }),
  claim: (challengeId: string, goalId: string): Op => ({
    rest: { method: 'POST', path: `${goalPath(challengeId, goalId)}/claim` },
    grpc: { method: 'ClaimGoalReward', request: { challengeId, goalId } },
    restView: ({ delivery: _delivery, ...rest }) => rest,
  }),
  batch: (challengeId: string, goalIds: string[], replaceExisting = false): Op => ({
    rest: {
      method: 'POST',
      path: `${API}/challenges/${challengeId}/goals/batch-select`,
      body: { goalIds, replaceExisting },
    },
    grpc: { method: 'BatchSelectGoals', request: { challengeId, goalIds, replaceExisting } },
  }),
  random: (challengeId: string, count: number, flags: { replace?: boolean; exclude?: boolean }) => {
    const replaceExisting = flags.replace ?? false;
    const excludeActive = flags.exclude ?? false;
    return {
      rest: {
        method: 'POST',
        path: `${API}/challenges/${challengeId}/goals/random-select`,
        body: { count, replaceExisting, excludeActive },
      },
      grpc: {
        method: 'RandomSelectGoals',
        request: { challengeId, count, replaceExisting, excludeActive },
      },
    } satisfies Op;
  },
  rotation: (challengeId: string): Op => ({
    rest: { method: 'GET', path: `${API}/challenges/${challengeId}/rotation` },
    grpc: { method: 'GetRotationStatus', request: { challengeId } },
    restView: ({ rotation: { timezone: _timezone, ...rotation }, ...rest }) => ({
      ...rest,
      rotation,
    }),
  }),
};

// Input-validation messages name where REST found the field ("path", "body"); gRPC has only
// the request message. The rest of the text is the same.
const withoutWhere = (message: string) => message.replace(/^invalid (path|body|request): /, '');

/**
 * Runs `op` for the twin players `<name>-rest` (REST) and `<name>-grpc` (gRPC) and expects the
 * same answer: equal messages, or equal status code, message and stable error name. `code` is
 * the expected gRPC code (0 = OK), so a change that breaks both edges alike still fails.
 */
export async function expectSame(
  t: TestApi,
  client: IndependentClient,
  name: string,
  op: Op,
  code: number,
): Promise<{ rest: ApiResponse; grpc: GrpcAnswer }> {
  const rest = await t.call(op.rest.method, op.rest.path, {
    user: `${name}-rest`,
    body: op.rest.body,
  });
  const grpc = await client.call(op.grpc.method, op.grpc.request, { user: `${name}-grpc` });
  expect(rest.status === 200 ? 0 : rest.body.code, JSON.stringify(rest.body)).toBe(code);
  if (code === 0) {
    expect(grpc).toEqual({ ok: true, value: (op.restView ?? ((b) => b))(rest.body) });
  } else {
    expect(grpc).toMatchObject({ ok: false, code, errorCode: rest.body.errorCode });
    const details = grpc.ok ? '' : grpc.details;
    expect(withoutWhere(details)).toBe(withoutWhere(rest.body.message));
  }
  return { rest, grpc };
}
