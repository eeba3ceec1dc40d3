// What `npm run loadtest:stack` starts and the runner arguments that aim at it: kept apart from
// the process handling so that the shape of the stack is tested (stack-plan.test.ts).
import { PROCESS_NICE } from '../../scripts/process-manager/services.ts';

/** `separate`: ingest in a process of its own (ROLE=ingest), as a deployment runs it; `combined`: one api (ROLE=all). */
export type IngestPlacement = 'separate' | 'combined';

export interface StackPorts {
  http: number;
  grpc: number;
  events: number;
  apiMetrics: number;
  workerMetrics: number;
  /** The ingest process's own HTTP (health, HTTP ingest) and metrics ports; `separate` only. */
  ingestHttp: number;
  ingestMetrics: number;
}

export interface StackProcess {
  name: 'api' | 'ingest';
  env: Record<string, string>;
}

export interface StackPlan {
  /** In start order: the api first (it migrates and imports the definitions). */
  apis: StackProcess[];
  workerEnv: Record<string, string>;
  /** `npm run loadtest` options that aim at this stack. */
  runnerArgs: string[];
}

export function stackPlan(options: {
  ingest: IngestPlacement;
  ports: StackPorts;
  /** What every process gets: database, Redis, queue prefix, definitions, log level. */
  shared: Record<string, string>;
  ingestKey: string;
  databaseUrl: string;
}): StackPlan {
  const { ports, shared, ingestKey } = options;
  const separate = options.ingest === 'separate';
  const common = {
    ...shared,
    HTTP_HOST: '127.0.0.1',
    AUTH_MODE: 'mock',
    RATE_LIMIT_PER_MIN: '0',
    // Event gRPC needs a key (x-api-key); the runner is given the same one.
    INGEST_API_KEYS: ingestKey,
  };
  const api: StackProcess = {
    name: 'api',
    env: {
      ...common,
      ROLE: separate ? 'api' : 'all',
      // The api yields to ingest's acks when they are apart; one process serving both keeps 0.
      ...(separate ? { PROCESS_NICE: PROCESS_NICE.api } : {}),
      HTTP_PORT: String(ports.http),
      GRPC_PORT: String(ports.grpc),
      METRICS_PORT: String(ports.apiMetrics),
      ...(separate ? {} : { EVENTS_GRPC_PORT: String(ports.events) }),
    },
  };
  const ingest: StackProcess = {
    name: 'ingest',
    env: {
      ...common,
      ROLE: 'ingest',
      HTTP_PORT: String(ports.ingestHttp),
      EVENTS_GRPC_PORT: String(ports.events),
      METRICS_PORT: String(ports.ingestMetrics),
    },
  };
  const metrics = (port: number) => `http://127.0.0.1:${port}/metrics`;
  // The runner adds the counters of every api process it is given (requests, ingest skips).
  const apiMetrics = separate
    ? `${metrics(ports.apiMetrics)},${metrics(ports.ingestMetrics)}`
    : metrics(ports.apiMetrics);
  return {
    apis: separate ? [api, ingest] : [api],
    workerEnv: {
      ...shared,
      WORKER_METRICS_PORT: String(ports.workerMetrics),
      PROCESS_NICE: PROCESS_NICE.worker,
    },
    runnerArgs: [
      `--target http://127.0.0.1:${ports.http}`,
      `--grpc 127.0.0.1:${ports.events}`,
      `--queue-prefix ${shared.QUEUE_PREFIX}`,
      `--api-metrics ${apiMetrics}`,
      `--worker-metrics ${metrics(ports.workerMetrics)}`,
      `--service-database-url ${options.databaseUrl}`,
      `--ingest-key ${ingestKey}`,
    ],
  };
}
