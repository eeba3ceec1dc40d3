import { describe, expect, it } from 'vitest';
import { isInternalEndpoint } from './live-routes.ts';

describe('isInternalEndpoint', () => {
  it.each([
    'tRPC live.history',
    'tRPC profile.cpu',
    'REST POST /challenge/admin/v1/profile',
    'REST GET /challenge/admin/v1/profiles/:id',
    'REST GET /healthz',
    'REST GET /challenge/healthz',
    'REST GET /challenge/openapi.json',
    'REST GET /challenge/docs',
    'gRPC /grpc.health.v1.Health/Check',
    'gRPC HealthCheck',
  ])('%s is internal', (endpoint) => {
    expect(isInternalEndpoint(endpoint)).toBe(true);
  });

  it.each([
    'REST GET /challenge/v1/challenges',
    'REST POST /challenge/v1/challenges/:challengeId/goals/:goalId/claim',
    'REST POST /challenge/v1/events',
    'gRPC GetUserChallenges',
    'other',
  ])('%s is player traffic', (endpoint) => {
    expect(isInternalEndpoint(endpoint)).toBe(false);
  });
});
