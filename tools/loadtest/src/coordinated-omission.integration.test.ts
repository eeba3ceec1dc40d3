import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runArrivals } from './arrival.ts';
import { Recorder } from './recorder.ts';
import { PlayerApi } from './target.ts';

// The server stalls every request that arrives in [stallFrom, stallTo) until stallTo, like a GC
// pause or a lock: a closed-loop client would send less during the stall and hide it.
describe('the runner never reports a latency lower than the server-side time (no coordinated omission)', () => {
  let server: Server;
  let url: string;
  let stallFrom = Number.POSITIVE_INFINITY;
  let stallTo = Number.POSITIVE_INFINITY;
  const serverMs: number[] = [];

  beforeAll(async () => {
    server = createServer((_req, res) => {
      const arrived = performance.now();
      const wait = arrived >= stallFrom && arrived < stallTo ? stallTo - arrived : 0;
      setTimeout(() => {
        serverMs.push(performance.now() - arrived);
        res.end('{}');
      }, wait);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('includes the stall and the backlog behind it in p99/max, and counts late iterations', async () => {
    const api = new PlayerApi(url, '', undefined, 10);
    const recorder = new Recorder();
    const rate = 200;
    const start = performance.now();
    stallFrom = start + 500;
    stallTo = stallFrom + 500;
    const result = await runArrivals({
      rate,
      durationS: 1.5,
      warmupS: 0,
      maxInFlight: 10,
      dropAfterMs: 5_000,
      iteration: async (ctx) => {
        const res = await api.call('GET', '/', 'u');
        recorder.record(
          'GET /',
          'request',
          performance.now() - ctx.scheduledAt,
          res.status === 200 ? undefined : `HTTP ${res.status}`,
          ctx.measured,
        );
      },
    });
    await api.close();

    const stats = recorder.all.stats();
    const serverMax = Math.max(...serverMs);
    expect(serverMax).toBeGreaterThan(400);
    expect(stats.count).toBe(300);
    expect(stats.maxMs).toBeGreaterThanOrEqual(serverMax);
    expect(stats.p99Ms).toBeGreaterThanOrEqual(400);
    // Only 10 were in flight during the stall; the ~100 scheduled behind them waited in the
    // client. Timed from their schedule, the call due at stall start + x takes ≈ 500 − x ms: about
    // 60 calls ≥ 200 ms, where timing from the actual send would show only the 10 in flight.
    const slowShare = (100 * 40) / stats.count;
    expect(recorder.all.percentile(100 - slowShare)).toBeGreaterThanOrEqual(200);
    expect(result.late).toBeGreaterThanOrEqual(50);
    expect(result.dropped).toBe(0);
  });
});
