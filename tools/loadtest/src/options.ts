import { parseArgs } from 'node:util';
import { LOAD_TEST_SCENARIOS, type LoadTestOptions, type LoadTestScenario } from './contract.ts';
import { parseLoadTestEnv } from './env.ts';

export const usage = `usage: npm run loadtest -- --scenario list|initialize|events|mixed|sessions|soak|streams [options]
  --rps N              requests/s (sessions: sessions started/s)      default 100 (mixed, soak 300)
  --eps N              events/s over gRPC (events, mixed, soak, streams)  default 500
  --duration 30s       measured phase (s or m suffix)                 default 30s (soak 30m)
  --warmup 5s          linear ramp before the measured phase          default 5s
  --users N            generated players, all initialized first      default 1000
  --target URL         api HTTP                                       default http://127.0.0.1:8000
  --base-path P        BASE_PATH of the api                           default /challenge
  --grpc HOST:PORT     event gRPC services                            default 127.0.0.1:6566
  --namespace NS       the service's NAMESPACE                        default test
  --redis URL          live snapshots                                 default redis://127.0.0.1:6379
  --queue-prefix P     the service's QUEUE_PREFIX                     default challenges
  --api-metrics URL[,URL]  api /metrics (request count, ingest skips)  default http://127.0.0.1:8080/metrics
                       (an ingest-only process's too, comma-separated: their counters are added)
  --worker-metrics URL worker /metrics (events applied)               default http://127.0.0.1:8081/metrics
  --service-database-url URL  for pg_stat_* (default: --database-url)
  --database-url URL   where load_test_runs lives                     default DATABASE_URL
  --admin-key KEY      ADMIN_API_KEY, for the mid-run CPU profiles    default ADMIN_API_KEY
  --ingest-key KEY     x-api-key of the gRPC events (INGEST_API_KEYS) default INGEST_API_KEY
  --jwt-secret S       sign HS256 player tokens instead of x-mock-user-id
  --think 500ms        sessions: think time between steps
  --tick 5ms           calls are due on this grid (0: evenly spaced)  default 5ms
  --capacity-target N  requests/s to size replicas for                default 1000
  --profile-seconds N  default 10
  --init-rps N         soak: rate of the initialize wave              default 600
  --memory-warmup 5m   soak: left out of the heap/RSS slope fit       default 5m
  --max-slope N        soak: flat means |heap and RSS slope| ≤ N MB/min  default 1
  --streams N          streams: progress streams, one per player (= --users)  default 10000
  --open-rate N        streams: streams opened per second             default 500
  --settle 5s          streams: idle before the api memory reading    default 5s
  --run-id ID          write to this existing row (the dashboard creates it)
  --out DIR            default loadtest/results`;

export function duration(value: string, name: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (!m) throw new Error(`--${name}: expected e.g. 30s, 2m or 500ms, got '${value}'`);
  const n = Number(m[1]);
  return m[2] === 'm' ? n * 60 : m[2] === 'ms' ? n / 1000 : n;
}

// A tick much longer than a call would turn the open model into bursts of many calls.
function tickOf(value: string): number {
  const ms = duration(value, 'tick') * 1000;
  if (ms > 50) throw new Error(`--tick must be at most 50ms, got '${value}'`);
  return ms;
}

function number(value: string | undefined, name: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}`);
  return n;
}

export interface CliOptions {
  options: LoadTestOptions;
  runId: string | undefined;
  databaseUrl: string | undefined;
  adminKey: string | undefined;
  ingestKey: string | undefined;
  jwtSecret: string | undefined;
  out: string;
  help: boolean;
}

export function parseCli(argv: string[], source: Record<string, string | undefined>): CliOptions {
  const env = parseLoadTestEnv(source);
  const s = (type: 'string') => ({ type });
  const { values: v } = parseArgs({
    args: argv,
    options: {
      scenario: s('string'),
      rps: s('string'),
      eps: s('string'),
      duration: s('string'),
      warmup: s('string'),
      users: s('string'),
      target: s('string'),
      'base-path': s('string'),
      grpc: s('string'),
      namespace: s('string'),
      redis: s('string'),
      'queue-prefix': s('string'),
      'api-metrics': s('string'),
      'worker-metrics': s('string'),
      'service-database-url': s('string'),
      'database-url': s('string'),
      'admin-key': s('string'),
      'ingest-key': s('string'),
      'jwt-secret': s('string'),
      think: s('string'),
      tick: s('string'),
      'capacity-target': s('string'),
      'profile-seconds': s('string'),
      'init-rps': s('string'),
      'memory-warmup': s('string'),
      'max-slope': s('string'),
      streams: s('string'),
      'open-rate': s('string'),
      settle: s('string'),
      'run-id': s('string'),
      out: s('string'),
      help: { type: 'boolean', short: 'h' },
    },
  });
  const scenario = (v.scenario ?? 'list') as LoadTestScenario;
  if (!LOAD_TEST_SCENARIOS.includes(scenario)) throw new Error(`unknown scenario '${scenario}'`);
  const databaseUrl = v['database-url'] ?? env.DATABASE_URL;
  const jwtSecret = v['jwt-secret'];
  const mix = scenario === 'mixed' || scenario === 'soak';
  const withStreams = scenario === 'streams';
  const streams = Math.round(number(v.streams, 'streams', 10_000, 1));
  const options: LoadTestOptions = {
    scenario,
    rps: withStreams ? 0 : number(v.rps, 'rps', mix ? 300 : scenario === 'events' ? 0 : 100),
    eps: number(v.eps, 'eps', mix || scenario === 'events' || withStreams ? 500 : 0),
    durationS: duration(v.duration ?? (scenario === 'soak' ? '30m' : '30s'), 'duration'),
    warmupS: duration(v.warmup ?? '5s', 'warmup'),
    users: withStreams ? streams : Math.round(number(v.users, 'users', 1000, 1)),
    target: (v.target ?? 'http://127.0.0.1:8000').replace(/\/$/, ''),
    basePath: v['base-path'] ?? '/challenge',
    grpc: v.grpc ?? '127.0.0.1:6566',
    namespace: v.namespace ?? 'test',
    redisUrl: v.redis ?? env.REDIS_URL,
    redisClusterNodes: env.REDIS_CLUSTER_NODES,
    queuePrefix: v['queue-prefix'] ?? 'challenges',
    apiMetrics: v['api-metrics'] ?? 'http://127.0.0.1:8080/metrics',
    workerMetrics: v['worker-metrics'] ?? 'http://127.0.0.1:8081/metrics',
    serviceDatabaseUrl: v['service-database-url'] ?? databaseUrl ?? null,
    thinkMs: duration(v.think ?? '500ms', 'think') * 1000,
    tickMs: tickOf(v.tick ?? '5ms'),
    capacityTarget: number(v['capacity-target'], 'capacity-target', 1000, 1),
    profileSeconds: Math.round(number(v['profile-seconds'], 'profile-seconds', 10, 1)),
    jwt: jwtSecret !== undefined,
    initRps: number(v['init-rps'], 'init-rps', 600, 1),
    memoryWarmupS: duration(v['memory-warmup'] ?? '5m', 'memory-warmup'),
    maxSlopeMbPerMin: number(v['max-slope'], 'max-slope', 1),
    ...(withStreams
      ? {
          streams,
          openRate: number(v['open-rate'], 'open-rate', 500, 1),
          settleS: duration(v.settle ?? '5s', 'settle'),
        }
      : {}),
  };
  if (options.durationS <= 0) throw new Error('--duration must be > 0');
  return {
    options,
    runId: v['run-id'],
    databaseUrl,
    adminKey: v['admin-key'] ?? env.ADMIN_API_KEY,
    ingestKey: v['ingest-key'] ?? env.INGEST_API_KEY,
    jwtSecret,
    out: v.out ?? 'loadtest/results',
    help: v.help ?? false,
  };
}
