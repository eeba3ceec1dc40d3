import { describe, expect, it } from 'vitest';
import { Recorder } from './recorder.ts';

describe('Recorder.takeMinute', () => {
  it('holds only the measured calls since the last take, requests and events apart', () => {
    const r = new Recorder();
    r.record('GET /v1/challenges', 'request', 500, undefined, false); // warm-up: not measured
    for (let i = 1; i <= 100; i++) r.record('GET /v1/challenges', 'request', i, undefined, true);
    r.record('gRPC StatItemUpdated', 'event', 3, undefined, true);
    const first = r.takeMinute(0);
    expect(first.minute).toBe(0);
    expect(first.requests.count).toBe(100);
    expect(first.requests.p95Ms).toBeCloseTo(95, 0);
    expect(first.events).toMatchObject({ count: 1 });
    expect(first.events.p95Ms).toBeCloseTo(3, 1);

    r.record('gRPC StatItemUpdated', 'event', 40, 'UNAVAILABLE', true);
    const second = r.takeMinute(1);
    expect(second.requests.count).toBe(0);
    expect(second.events.count).toBe(1);
    expect(second.events.p99Ms).toBeCloseTo(40, 0);
    // The pooled per-endpoint figures are untouched by the takes.
    expect(r.report(10).find((e) => e.endpoint === 'GET /v1/challenges')?.count).toBe(100);
  });
});
