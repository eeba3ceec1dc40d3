import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const fixture500 = path.resolve(
  import.meta.dirname,
  '../../fixtures/challenges.loadtest-500.json',
);

/** The streams scenario's definitions: one goal that every `score` stat event moves. */
export const fixtureStreams = path.resolve(
  import.meta.dirname,
  '../../fixtures/challenges.loadtest-streams.json',
);

interface FixtureGoal {
  defaultAssigned?: boolean;
  [key: string]: unknown;
}
interface Fixture {
  challenges: { goals: FixtureGoal[]; [key: string]: unknown }[];
}

/** The benchmark's "player with 100 active rows": only the first `perChallenge` goals are default. */
export function withDefaultAssignedPrefix(fixture: Fixture, perChallenge: number): Fixture {
  return {
    ...fixture,
    challenges: fixture.challenges.map((challenge) => ({
      ...challenge,
      goals: challenge.goals.map((goal, i) => ({ ...goal, defaultAssigned: i < perChallenge })),
    })),
  };
}

export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

export interface Scenario {
  name: string;
  title: string;
  /** Well below saturation on the 2-core reference machine, so CPU-ms is not inflated by queueing. */
  defaultRate: number;
  targets: { cpuMsPerRequest: number; p95Ms?: number };
  /** The Go service's figure (docs/performance.md), for the table. */
  referenceCpuMs: number;
  /** Active rows each player has after the one initialize of the setup. */
  activeRows: number;
  /** Writes the challenge file the api is started with; returns its path. */
  writeFixture(dir: string): string;
  request(basePath: string): BenchRequest;
  /** Checks one answer (parsed JSON) so a broken setup cannot produce flattering numbers. */
  check(body: unknown): string | undefined;
  /** Sends over the player gRPC facade instead: the method's path; the request is empty. */
  grpcPath?: string;
}

interface InitializeBody {
  newAssignments?: number;
  totalActive?: number;
}
interface ListBody {
  challenges?: { goals?: { isActive?: boolean }[] }[];
}

export const initializeRequest = (basePath: string): BenchRequest => ({
  method: 'POST',
  path: `${basePath}/v1/challenges/initialize`,
  body: '{}',
});

/** `expectedNew` is the active count on a player's first call and 0 on every later one. */
export function checkInitialize(
  body: unknown,
  expectedActive: number,
  expectedNew = 0,
): string | undefined {
  const b = body as InitializeBody;
  if (b.totalActive !== expectedActive || b.newAssignments !== expectedNew) {
    return (
      `initialize: totalActive ${b.totalActive} / newAssignments ${b.newAssignments}, ` +
      `expected ${expectedActive} / ${expectedNew}`
    );
  }
  return undefined;
}

export function checkList(body: unknown, goals: number, active: number): string | undefined {
  const all = (body as ListBody).challenges?.flatMap((c) => c.goals ?? []) ?? [];
  const isActive = all.filter((g) => g.isActive).length;
  if (all.length !== goals || isActive !== active) {
    return `list: ${all.length} goals / ${isActive} active, expected ${goals} / ${active}`;
  }
  return undefined;
}

export const scenarios: Record<string, Scenario> = {
  list: {
    name: 'list',
    title: 'GET /v1/challenges — 500 goals, 100 active rows',
    defaultRate: 200,
    targets: { cpuMsPerRequest: 1.0, p95Ms: 15 },
    referenceCpuMs: 2.2,
    activeRows: 100,
    writeFixture(dir) {
      const file = path.join(dir, 'challenges.loadtest-500.first-10-default.json');
      const fixture = JSON.parse(readFileSync(fixture500, 'utf8')) as Fixture;
      writeFileSync(file, JSON.stringify(withDefaultAssignedPrefix(fixture, 10)));
      return file;
    },
    request: (basePath) => ({ method: 'GET', path: `${basePath}/v1/challenges` }),
    check: (body) => checkList(body, 500, 100),
  },
  initialize: {
    name: 'initialize',
    title: 'POST /v1/challenges/initialize — returning player, 500 active goals',
    defaultRate: 100,
    targets: { cpuMsPerRequest: 2.0 },
    referenceCpuMs: 4.3,
    activeRows: 500,
    writeFixture: () => fixture500,
    request: initializeRequest,
    check: (body) => checkInitialize(body, 500),
  },
  'grpc-list': {
    name: 'grpc-list',
    title: 'gRPC GetUserChallenges — 500 goals, 100 active rows',
    defaultRate: 200,
    targets: { cpuMsPerRequest: 1.0, p95Ms: 15 },
    referenceCpuMs: 2.2,
    activeRows: 100,
    writeFixture: (dir) => scenarios.list!.writeFixture(dir),
    request: (basePath) => scenarios.list!.request(basePath),
    check: (body) => checkList(body, 500, 100),
    grpcPath: '/service.Service/GetUserChallenges',
  },
};
