import { describe, expect, it } from 'vitest';
import { stackPlan } from './stack-plan.ts';

const ports = {
  http: 1001,
  grpc: 1002,
  events: 1003,
  apiMetrics: 1004,
  workerMetrics: 1005,
  ingestHttp: 1006,
  ingestMetrics: 1007,
};
const plan = (ingest: 'separate' | 'combined') =>
  stackPlan({
    ingest,
    ports,
    shared: { QUEUE_PREFIX: 'p', DATABASE_URL: 'postgresql://db' },
    ingestKey: 'key',
    databaseUrl: 'postgresql://db',
  });
const arg = (args: string[], name: string) =>
  args.find((a) => a.startsWith(`${name} `))?.slice(name.length + 1);

describe('npm run loadtest:stack', () => {
  it('runs ingest in a process of its own by default: players on the api, events on the ingest', () => {
    const { apis, runnerArgs } = plan('separate');
    expect(apis.map((a) => [a.name, a.env.ROLE])).toEqual([
      ['api', 'api'],
      ['ingest', 'ingest'],
    ]);
    const [api, ingest] = [apis[0]!.env, apis[1]!.env];
    expect(api).toMatchObject({ HTTP_PORT: '1001', GRPC_PORT: '1002', METRICS_PORT: '1004' });
    expect(api.EVENTS_GRPC_PORT).toBeUndefined();
    expect(ingest).toMatchObject({
      HTTP_PORT: '1006',
      EVENTS_GRPC_PORT: '1003',
      METRICS_PORT: '1007',
      INGEST_API_KEYS: 'key',
      QUEUE_PREFIX: 'p',
    });
    expect(arg(runnerArgs, '--target')).toBe('http://127.0.0.1:1001');
    expect(arg(runnerArgs, '--grpc')).toBe('127.0.0.1:1003');
    // Requests are counted by the api, skipped events by the ingest: the runner adds both.
    expect(arg(runnerArgs, '--api-metrics')).toBe(
      'http://127.0.0.1:1004/metrics,http://127.0.0.1:1007/metrics',
    );
    expect(arg(runnerArgs, '--queue-prefix')).toBe('p');
  });

  it('lowers the api and the worker below ingest, by the slack of their latency budgets', () => {
    const separate = plan('separate');
    expect(separate.apis.map((a) => [a.name, a.env.PROCESS_NICE])).toEqual([
      ['api', '5'],
      ['ingest', undefined],
    ]);
    expect(separate.workerEnv.PROCESS_NICE).toBe('10');
    // One process serving events too keeps the default priority.
    expect(plan('combined').apis[0]!.env.PROCESS_NICE).toBeUndefined();
  });

  it('runs one api for players and events with --ingest combined', () => {
    const { apis, runnerArgs } = plan('combined');
    expect(apis).toHaveLength(1);
    expect(apis[0]!.env).toMatchObject({
      ROLE: 'all',
      HTTP_PORT: '1001',
      EVENTS_GRPC_PORT: '1003',
    });
    expect(arg(runnerArgs, '--grpc')).toBe('127.0.0.1:1003');
    expect(arg(runnerArgs, '--api-metrics')).toBe('http://127.0.0.1:1004/metrics');
  });
});
