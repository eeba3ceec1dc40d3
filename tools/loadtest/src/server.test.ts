import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LiveProcessSeries } from '@challenges/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsSettled, fetchMetrics, processReports, requestsServed } from './server.ts';

const count = 'challenge_http_request_duration_seconds_count';
const apiText = `${count}{route="/challenge/v1/challenges",method="GET",status="200"} 70\n`;
const ingestText = 'challenge_events_skipped_total{reason="unknown_stat"} 4\n';
const workerText = 'challenge_events_applied_total 96\n';

describe('an api and an ingest process, seen together', () => {
  const servers: Server[] = [];
  const urls: string[] = [];
  beforeAll(async () => {
    for (const text of [apiText, ingestText]) {
      const server = createServer((_req, res) => res.end(text));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`);
    }
  });
  afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

  it('adds the counters of every /metrics URL given: requests of the one, skips of the other', async () => {
    const both = await fetchMetrics(urls.join(','));
    expect(requestsServed(both)).toBe(70);
    // 4 skipped at ingest + 96 applied: all 100 events settled, none taken for lost.
    expect(eventsSettled(both, workerText)).toBe(100);
    expect(await fetchMetrics(`${urls[0]},http://127.0.0.1:1/metrics`)).toBeNull();
  });

  it('costs an ingest-only process per event, the api per request', () => {
    const point = { t: 1_500, cpuPercent: 10, heapUsedBytes: 1, rssBytes: 1, eventLoopP99Ms: 1 };
    const series = (role: string) =>
      ({
        id: `${role}:h:1`,
        role,
        points: [{ ...point, queueDepth: null, lagMs: null }],
      }) as unknown as LiveProcessSeries;
    const reports = processReports([series('api'), series('ingest')], 0, 1_000, {
      request: 100,
      event: 200,
    });
    expect(reports.map((r) => [r.role, r.unit, r.cpuMsPerUnit])).toEqual([
      ['api', 'request', 1],
      ['ingest', 'event', 0.5],
    ]);
  });
});
