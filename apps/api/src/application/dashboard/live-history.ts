import type { DefinitionRepository, LoadTestRunRepository } from '@challenges/db';
import {
  type LiveHistory,
  type LiveMarker,
  liveHistory,
  liveMarkers,
  type RedisClient,
} from '@challenges/runtime';

export interface LiveHistoryDeps {
  redis: RedisClient;
  prefix: string;
  versions: Pick<DefinitionRepository, 'listVersions'>;
  runs: Pick<LoadTestRunRepository, 'list'>;
}

/** More publishes or runs than this in one hour are not told apart on a chart anyway. */
const MARKER_ROWS = 50;

/**
 * The Live page's charts with their markers: publishes and load tests come from PostgreSQL
 * (made by any process, the CLI included), profiles from the Redis list the api writes.
 */
export async function liveHistoryWithMarkers(
  deps: LiveHistoryDeps,
  input: { windowSeconds: number; endAt?: number; route?: string | null },
): Promise<LiveHistory & { markers: LiveMarker[] }> {
  const history = await liveHistory(deps.redis, deps.prefix, input);
  const { from, to } = history;
  const [profiles, versions, runs] = await Promise.all([
    liveMarkers(deps.redis, deps.prefix, from, to),
    deps.versions.listVersions(MARKER_ROWS),
    deps.runs.list(MARKER_ROWS),
  ]);
  const publishes: LiveMarker[] = versions
    .filter((v) => v.createdAt.getTime() >= from && v.createdAt.getTime() < to)
    .map((v) => ({
      t: v.createdAt.getTime(),
      until: null,
      kind: 'publish',
      label: `v${v.version} published by ${v.createdBy}`,
    }));
  const loadTests: LiveMarker[] = runs
    .filter((r) => r.startedAt.getTime() < to && (r.finishedAt?.getTime() ?? to) >= from)
    .map((r) => ({
      t: r.startedAt.getTime(),
      until: r.finishedAt?.getTime() ?? null,
      kind: 'loadtest',
      label: `load test ${r.scenario} (${r.status})`,
    }));
  const markers = [...profiles, ...publishes, ...loadTests].sort((a, b) => a.t - b.t);
  return { ...history, markers };
}
