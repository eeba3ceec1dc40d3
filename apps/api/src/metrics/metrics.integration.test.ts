import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventClients, obliterateQueues } from '../testing/event-clients.ts';
import { startTestApi, TEST_INGEST_KEY, type TestApi } from '../testing/test-api.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const TOKEN = 'scrape-token';

/** Prometheus text → `name{labels}` → value, plus the HELP/TYPE lines. */
function parse(text: string) {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return { samples, types, text };
}

describe('/metrics', () => {
  let t: TestApi;
  let prefix: string;

  beforeAll(async () => {
    prefix = `metrics-${randomUUID()}`;
    t = await startTestApi({ QUEUE_PREFIX: prefix, METRICS_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await t.close();
    await obliterateQueues(REDIS_URL, prefix, 8);
  });

  const scrape = async () => {
    const res = await fetch(`http://127.0.0.1:${t.api.metricsPort}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    return parse(await res.text());
  };

  it('is served on its own port, behind the token, not on the REST port', async () => {
    expect(t.api.metricsPort).not.toBe(t.api.port);
    const anonymous = await fetch(`http://127.0.0.1:${t.api.metricsPort}/metrics`);
    expect(anonymous.status).toBe(401);
    expect((await t.call('GET', '/metrics')).status).toBe(404);
  });

  it('has process metrics and moves the ingest and HTTP counters', async () => {
    const before = await scrape();
    expect(before.types.get('challenge_events_received_total')).toBe('counter');
    expect(before.types.get('challenge_ingest_flush_batch_size')).toBe('histogram');
    expect(before.types.get('challenge_ingest_flush_duration_seconds')).toBe('histogram');
    expect(before.types.get('challenge_http_request_duration_seconds')).toBe('histogram');
    expect(before.text).toMatch(/^# HELP challenge_events_skipped_total .+$/m);
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(before.types.has(name), name).toBe(true);
    }

    const clients = eventClients(`127.0.0.1:${t.api.eventsGrpcPort}`, TEST_INGEST_KEY);
    try {
      await clients.stat({
        id: 'm1',
        namespace: 'test',
        userId: 'alice',
        payload: { statCode: 'kills', latestValue: 1, inc: 1 },
      });
      await clients.stat({
        id: 'm2',
        namespace: 'elsewhere',
        userId: 'alice',
        payload: { statCode: 'kills', latestValue: 1, inc: 1 },
      });
      await clients.login({ id: 'm3', namespace: 'test', userId: '' }).catch(() => undefined);
    } finally {
      clients.close();
    }
    await t.call('GET', '/challenge/v1/challenges/season/rotation', { user: 'alice' });

    const after = await scrape();
    const delta = (key: string) => (after.samples.get(key) ?? 0) - (before.samples.get(key) ?? 0);
    expect(delta('challenge_events_received_total{source="grpc",type="stat"}')).toBe(2);
    expect(delta('challenge_events_skipped_total{reason="namespace"}')).toBe(1);
    expect(delta('challenge_ingest_errors_total{kind="invalid"}')).toBe(1);
    expect(delta('challenge_ingest_flush_batch_size_count')).toBe(1);
    expect(delta('challenge_ingest_flush_duration_seconds_count')).toBe(1);
    // The route pattern, not the raw URL: ids in paths must not create series.
    const route = [...after.samples.keys()].find((k) =>
      k.startsWith(
        'challenge_http_request_duration_seconds_count{route="/challenge/v1/challenges/:challengeId/rotation"',
      ),
    );
    expect(route).toBeDefined();
    expect(after.samples.get(route!)).toBeGreaterThanOrEqual(1);
  });
});
