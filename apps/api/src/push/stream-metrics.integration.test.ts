import { randomUUID } from 'node:crypto';
import { type StreamEvent, subscribe } from '@challenges/client';
import { credentials, Metadata, status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ChallengesEvent, ServiceClient } from '../gen/service/service.js';
import { parsePrometheusText } from '../testing/prometheus-text.ts';
import { setProgress, startTestApi, type TestApi } from '../testing/test-api.ts';

// The push streams' metrics (docs/push.md, docs/operations.md), scraped from /metrics.
const RATE_LIMIT = 10;
let t: TestApi;
beforeAll(async () => {
  // The rate limiter's clock is pinned mid-minute: a player's budget never renews mid-test.
  const midMinute = Date.UTC(2030, 0, 1, 12, 0, 30);
  t = await startTestApi(
    {
      QUEUE_PREFIX: `t18m-stream-metrics-${randomUUID()}`,
      STREAM_MAX_PER_PLAYER: '1',
      RATE_LIMIT_PER_MIN: String(RATE_LIMIT),
    },
    { rateLimitNow: () => midMinute },
  );
});
afterAll(async () => {
  await t?.close();
});

async function scrape() {
  const res = await fetch(`http://127.0.0.1:${t.api.metricsPort}/metrics`);
  const families = parsePrometheusText(await res.text());
  return (name: string, labels: Record<string, string> = {}) =>
    families
      .get(name.replace(/_(count|sum)$/, ''))
      ?.samples.find(
        (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
      )?.value;
}

describe('stream metrics', { timeout: 60_000 }, () => {
  it('count open streams, events, the push delay, re-derives and refusals', async () => {
    const before = await scrape();
    expect(before('challenge_streams_open', { transport: 'sse' })).toBe(0);
    expect(before('challenge_stream_events_total', { type: 'change' })).toBe(0);
    expect(before('challenge_stream_push_delay_seconds_count')).toBe(0);
    expect(before('challenge_streams_refused_total', { reason: 'auth' })).toBe(0);
    expect(before('challenge_streams_refused_total', { reason: 'limit' })).toBe(0);
    expect(before('challenge_streams_refused_total', { reason: 'rate_limited' })).toBe(0);

    const user = `metrics-${randomUUID()}`;
    await t.call('POST', '/challenge/v1/challenges/initialize', { user });
    const events: StreamEvent[] = [];
    const sse = subscribe(
      { baseUrls: [`http://127.0.0.1:${t.api.port}`], mockUserId: user },
      { onEvent: (event) => events.push(event) },
    );
    const other = `metrics-grpc-${randomUUID()}`;
    const grpc = new ServiceClient(t.grpcAddress, credentials.createInsecure());
    const metadata = new Metadata();
    metadata.set('x-mock-user-id', other);
    const grpcEvents: ChallengesEvent[] = [];
    const call = grpc.watchChallenges({ lastEventId: '' }, metadata);
    call.on('data', (event: ChallengesEvent) => grpcEvents.push(event));
    call.on('error', () => undefined);
    await vi.waitFor(
      () => {
        expect(events[0]?.type).toBe('snapshot');
        expect(grpcEvents[0]?.type).toBe('snapshot');
      },
      { timeout: 15_000 },
    );

    await setProgress(t, user, 'tutorial', { progress: 1, status: 'completed' });
    await t.api.ctx.push?.changed([user]);
    await vi.waitFor(() => expect(events.some((e) => e.type === 'change')).toBe(true), {
      timeout: 15_000,
    });
    const refusedAuth = await fetch(t.url('/challenge/v1/challenges/stream'));
    expect(refusedAuth.status).toBe(401);
    const refusedLimit = await fetch(t.url('/challenge/v1/challenges/stream'), {
      headers: { 'x-mock-user-id': user },
    });
    expect(refusedLimit.status).toBe(429);
    // A player over the request rate limit is refused on both transports, under its own reason.
    const spender = `metrics-spender-${randomUUID()}`;
    for (let i = 0; i < RATE_LIMIT; i++) {
      expect((await t.call('GET', '/challenge/v1/challenges', { user: spender })).status).toBe(200);
    }
    const rateLimited = await fetch(t.url('/challenge/v1/challenges/stream'), {
      headers: { 'x-mock-user-id': spender },
    });
    expect(rateLimited.status).toBe(429);
    const spenderMetadata = new Metadata();
    spenderMetadata.set('x-mock-user-id', spender);
    const grpcRefusal = await new Promise<{ code?: number }>((resolve) => {
      const refused = grpc.watchChallenges({ lastEventId: '' }, spenderMetadata);
      refused.on('data', () => undefined);
      refused.on('error', resolve);
    });
    expect(grpcRefusal.code).toBe(status.RESOURCE_EXHAUSTED);

    await vi.waitFor(
      async () => {
        const after = await scrape();
        expect(after('challenge_streams_open', { transport: 'sse' })).toBe(1);
        expect(after('challenge_streams_open', { transport: 'grpc' })).toBe(1);
        expect(after('challenge_stream_events_total', { type: 'snapshot' })).toBe(2);
        expect(after('challenge_stream_events_total', { type: 'change' })).toBe(1);
        expect(after('challenge_stream_push_delay_seconds_count')).toBe(1);
        expect(after('challenge_stream_rederive_duration_seconds_count')).toBeGreaterThanOrEqual(3);
        expect(after('challenge_streams_refused_total', { reason: 'auth' })).toBe(1);
        expect(after('challenge_streams_refused_total', { reason: 'limit' })).toBe(1);
        expect(after('challenge_streams_refused_total', { reason: 'rate_limited' })).toBe(2);
        expect(after('challenge_stream_slow_client_cutoffs_total')).toBe(0);
      },
      { timeout: 5_000 },
    );

    sse.close();
    call.cancel();
    grpc.close();
    await vi.waitFor(
      async () => {
        const closed = await scrape();
        expect(closed('challenge_streams_open', { transport: 'sse' })).toBe(0);
        expect(closed('challenge_streams_open', { transport: 'grpc' })).toBe(0);
      },
      { timeout: 10_000 },
    );
  });
});
