// The contract between the runner (this package) and the dashboard's `loadtest` router: the
// CLI's options, the progress it writes every second (LoadTestProgress, in @challenges/db) and
// the report JSON it writes at the end. Keep it stable; add fields, never rename.
export type { LoadTestProgress, LoadTestRunStatus } from '@challenges/db';

export const LOAD_TEST_SCENARIOS = [
  'list',
  'initialize',
  'events',
  'mixed',
  'sessions',
  'soak',
  'streams',
] as const;
export type LoadTestScenario = (typeof LOAD_TEST_SCENARIOS)[number];

/** Parsed CLI options; stored as the row's `options`. Secrets (keys) are never stored. */
export interface LoadTestOptions {
  scenario: LoadTestScenario;
  /** HTTP requests per second (list, initialize, mixed, sessions: sessions started per second). */
  rps: number;
  /** gRPC events per second (events, mixed). */
  eps: number;
  durationS: number;
  warmupS: number;
  users: number;
  /** e.g. http://127.0.0.1:8000 */
  target: string;
  basePath: string;
  /** host:port of the AccelByte event gRPC services. */
  grpc: string;
  redisUrl: string;
  /** REDIS_CLUSTER_NODES of the stack; empty: redisUrl is a single node. */
  redisClusterNodes: readonly string[];
  queuePrefix: string;
  /** Prometheus endpoints, for the independent counts (requests served, events applied). */
  apiMetrics: string | null;
  workerMetrics: string | null;
  /** Where pg_stat_* are read from: the service's database (the runs table may live elsewhere). */
  serviceDatabaseUrl: string | null;
  /** The service's NAMESPACE: events of another namespace are acked and ignored. */
  namespace: string;
  thinkMs: number;
  /**
   * Due times are rounded up to this grid (ms): the calls of a tick start together and both
   * streams wake once per tick; 0 spaces them evenly. Latency counts from the tick.
   */
  tickMs: number;
  /** Target requests/s for the replicas estimate. */
  capacityTarget: number;
  profileSeconds: number;
  jwt: boolean;
  /** soak: the initialize wave's rate (every player once, open model). */
  initRps: number;
  /** soak: minutes of the steady phase left out of the heap/RSS slope fit, in seconds. */
  memoryWarmupS: number;
  /** soak: the largest |heap or RSS slope| (MB/min) that counts as flat. */
  maxSlopeMbPerMin: number;
  /** streams: progress streams held open (one per player; `users` equals it). */
  streams?: number;
  /** streams: streams opened per second. */
  openRate?: number;
  /** streams: idle seconds between the last stream opened and the memory reading. */
  settleS?: number;
}

export interface LatencyStats {
  count: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/**
 * The measured calls of one minute of the steady phase (a call counts in the minute its answer
 * came, give or take the 1 s progress tick): whether later minutes are slower than earlier ones.
 */
export interface LatencyMinute {
  /** 0 = the steady phase's first minute; the last one may be partial. */
  minute: number;
  requests: { count: number; p95Ms: number; p99Ms: number };
  events: { count: number; p95Ms: number; p99Ms: number };
}

export interface EndpointReport extends LatencyStats {
  endpoint: string;
  ok: number;
  errors: number;
  /** Completed calls per second of the measured phase. */
  throughput: number;
  errorKinds: Record<string, number>;
}

export interface VerdictItem {
  name: string;
  target: string;
  actual: string;
  passed: boolean;
}

export interface ProcessReport {
  id: string;
  role: string;
  cpuPercentAvg: number;
  cpuPercentMax: number;
  /** Process CPU over the measured phase ÷ requests (api) or events (ingest, worker); null if no work. */
  cpuMsPerUnit: number | null;
  unit: 'request' | 'event';
  heapUsedMb: { start: number; end: number; max: number };
  rssMbMax: number;
  eventLoopP99MsMax: number;
  queueDepthMax: number | null;
  lagMsMax: number | null;
}

export interface ProfileReport {
  processId: string;
  role: string;
  seconds: number;
  error: string | null;
  top: { functionName: string; location: string; selfPercent: number; totalPercent: number }[];
}

export interface TimelinePoint {
  /** Seconds since the measured phase started. */
  s: number;
  rps: number;
  eps: number;
  p95Ms: number | null;
  apiCpuPercent: number | null;
  workerCpuPercent: number | null;
  apiHeapMb: number | null;
  workerHeapMb: number | null;
  apiRssMb?: number | null;
  workerRssMb?: number | null;
}

/** One process (or group) of the CPU table, over the steady phase. */
export interface CpuTableRow {
  process: string;
  role:
    | 'api'
    | 'ingest'
    | 'worker'
    | 'postgres'
    | 'postgres-server'
    | 'redis'
    | 'generator'
    | 'other';
  pids: number[];
  /** null: not measured (not on this machine, no /proc for it); `note` says why. */
  cpuMs: number | null;
  /** Share of every core over the window: 100 % = the whole machine. */
  percentOfBox: number | null;
  /** The row's whole CPU ÷ requests, ÷ events, ÷ both (in a mixed run, upper bounds each). */
  msPerRequest: number | null;
  msPerEvent: number | null;
  msPerCall: number | null;
  note: string | null;
}

export interface CpuTable {
  windowS: number;
  cores: number;
  requests: number;
  events: number;
  /** The whole machine's busy share over the window. */
  boxBusyPercent: number | null;
  rows: CpuTableRow[];
}

/** soak: heap and RSS of each api and worker process over time, and their fitted slope. */
export interface MemoryReport {
  warmupS: number;
  maxSlopeMbPerMin: number;
  processes: {
    id: string;
    role: string;
    /** Points after the warm-up that the least-squares fit used. */
    fitPoints: number;
    heapSlopeMbPerMin: number | null;
    rssSlopeMbPerMin: number | null;
    /** s since the steady phase started; one point per step (10 s, or a minute on a soak). */
    points: { s: number; heapMb: number; rssMb: number }[];
  }[];
}

/** streams: N progress streams held, then stat events to their players; what came out of them. */
export interface StreamsReport {
  /** Streams that answered with their snapshot, and how long opening them all took. */
  opened: number;
  openSeconds: number;
  /** Refused or failed opens and streams that closed before the end. */
  streamErrors: number;
  streamErrorKinds?: Record<string, number>;
  /** RSS of the api process(es) before the streams and after the idle settle; null: not local. */
  apiRssMb: { before: number | null; idle: number | null };
  apiKbPerConnection: number | null;
  /** Change events that moved a stream's goal, end of drain included. */
  changes: number;
  /** Players with an acknowledged event whose value no change ever showed. */
  lost: number;
  /** Changes still missing when the drain ended (the same as lost) and how long it waited. */
  drainSeconds: number;
  /**
   * Players also subscribed through `@challenges/client` (half of them dropped once mid-run) and
   * how many of them ended with a goal state other than GET /v1/challenges'.
   */
  clientSample?: { players: number; mismatched: number };
  /** From the worker's commit (the event id's ms) to the change read; from the send to it. */
  afterCommit: LatencyStats;
  endToEnd: LatencyStats;
  /** The api process(es)' CPU over the steady phase ÷ changes received in it. */
  apiCpuMsPerChange: number | null;
  /** The generator's CPU: per stream-second while idle; per change received under load (sends included). */
  generatorCpuMsPerIdleStreamS: number | null;
  generatorCpuMsPerChange: number | null;
  /** The generator's event-loop delay p99 from the first event to the end of the drain. */
  generatorLoopDelayP99Ms?: number;
}

/** soak: every player of the population initialized once, at a fixed rate. */
export interface InitializeWaveReport {
  players: number;
  rate: number;
  seconds: number;
  dropped: number;
  endpoint: EndpointReport | null;
}

export interface LoadTestReport {
  version: 1;
  runId: string;
  scenario: LoadTestScenario;
  title: string;
  options: LoadTestOptions;
  startedAt: string;
  finishedAt: string;
  /** Seconds of the measured phase actually run (less than durationS when cancelled). */
  measuredS: number;
  totals: {
    scheduled: number;
    completed: number;
    ok: number;
    errors: number;
    /** Never sent: the backlog was older than the drop threshold (the client could not keep up). */
    dropped: number;
    /** Sent more than 10 ms after their scheduled time (latency still counts from the schedule). */
    late: number;
    maxInFlight: number;
    /** Calls answered after the setup, warm-up included: what the server's counters saw. */
    requestsSentAll: number;
    eventsSentAll: number;
  };
  endpoints: EndpointReport[];
  /** Requests' and events' latency minute by minute (absent in reports from before it). */
  latencyByMinute?: LatencyMinute[];
  errorsByKind: Record<string, number>;
  checks: { name: string; passed: boolean; detail: string }[];
  verdict: { passed: boolean; items: VerdictItem[] };
  server: {
    processes: ProcessReport[];
    /** Where the box's CPU went in the steady phase; null where /proc is not available. */
    cpu: CpuTable | null;
    postgres: {
      connectionsMax: number | null;
      goalProgressInserts: number | null;
      goalProgressUpdates: number | null;
    };
    /** acked: OK answers, warm-up included; processed: skipped at ingest or settled by the worker. */
    events: { acked: number; processed: number | null; lost: number | null };
    /** Player REST calls the api counted (its Prometheus histogram) over the same span. */
    requestsServed: number | null;
  };
  /** soak only (null otherwise). */
  initializeWave: InitializeWaveReport | null;
  memory: MemoryReport | null;
  /** streams only (absent or null otherwise). */
  streams?: StreamsReport | null;
  profiles: ProfileReport[];
  findings: string[];
  capacity: {
    requestsPerCore: number | null;
    eventsPerCore: number | null;
    target: number;
    replicasNeeded: number | null;
  };
  timeline: TimelinePoint[];
}
