import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { obliterateQueues, queuedJobs } from '../testing/event-clients.ts';
import {
  brokenJsonText,
  contentTypes,
  FUZZ_TIMEOUT_MS,
  headerText,
  hostileText,
  runFuzz,
  wrongTypeFor,
} from '../testing/fuzz.ts';
import { startTestApi, TEST_INGEST_KEY, type TestApi } from '../testing/test-api.ts';

/**
 * POST /v1/events under generated hostile batches (docs/security-testing.md): without a valid
 * key nothing is read (401); with one, a batch holding any bad event is refused whole (400)
 * and nothing is queued.
 */

const REDIS_URL = 'redis://127.0.0.1:6379';
const PARTITIONS = 2;
const EVENTS = '/challenge/v1/events';
const json = 'application/json';

type Event = Record<string, unknown>;

const validId = hostileText({ maxLength: 60 }).filter((s) => s !== '');
const validEvent: fc.Arbitrary<Event> = fc.oneof(
  fc.record(
    {
      id: validId,
      type: fc.constant('login'),
      userId: validId,
      namespace: fc.constantFrom('test', 'other-game'),
    },
    { requiredKeys: ['id', 'type', 'userId'] },
  ),
  fc.record(
    {
      id: validId,
      type: fc.constant('stat'),
      userId: validId,
      statCode: fc.constantFrom('kills', 'wins', 'nobody-tracks-this'),
      value: fc.double({ noNaN: true, noDefaultInfinity: true }),
      inc: fc.integer(),
      timestamp: fc.constant('2026-01-01T10:00:00Z'),
    },
    { requiredKeys: ['id', 'type', 'userId', 'statCode', 'value'] },
  ),
);

const tooLong = (min: number) => fc.integer({ min, max: min + 500 }).map((n) => '\u00e9'.repeat(n));
const notDatetime = hostileText({ maxLength: 40 }).filter((s) => !/^\d{4}-\d\d-\d\dT/.test(s));

/** One defect that refuses the event (and so its batch). */
function defective(event: Event): fc.Arbitrary<Event> {
  const without = (key: string) => {
    const { [key]: _gone, ...rest } = event;
    return rest;
  };
  const defects: fc.Arbitrary<Event>[] = [
    fc.constant(without('id')),
    fc.constant(without('userId')),
    fc.constant(without('type')),
    fc.constant({ ...event, id: '' }),
    fc.constant({ ...event, userId: '' }),
    tooLong(129).map((v) => ({ ...event, id: v })),
    tooLong(129).map((v) => ({ ...event, userId: v })),
    hostileText({ maxLength: 20 })
      .filter((s) => s !== 'login' && s !== 'stat')
      .map((type) => ({ ...event, type })),
    wrongTypeFor('text').map((v) => ({ ...event, id: v })),
    wrongTypeFor('text').map((v) => ({ ...event, userId: v })),
    notDatetime.map((timestamp) => ({ ...event, timestamp })),
    tooLong(257).map((namespace) => ({ ...event, namespace })),
    wrongTypeFor('text').map((namespace) => ({ ...event, namespace })),
  ];
  if (event.type === 'stat') {
    defects.push(
      fc.constant(without('statCode')),
      fc.constant({ ...event, statCode: '' }),
      tooLong(129).map((statCode) => ({ ...event, statCode })),
      fc.constant((({ value: _v, inc: _i, ...rest }) => rest)(event)),
      wrongTypeFor(1).map((value) => ({ ...event, value })),
      wrongTypeFor(1).map((inc) => ({ ...event, inc })),
    );
  }
  return fc.oneof(...defects);
}

/** A batch with at least one bad event among good ones, shuffled. */
const batchWithBadEvent = fc
  .tuple(
    fc.array(validEvent, { maxLength: 5 }),
    fc.array(validEvent.chain(defective), { minLength: 1, maxLength: 3 }),
  )
  .chain(([good, bad]) =>
    fc.shuffledSubarray([...good, ...bad], { minLength: good.length + bad.length }),
  )
  .map((events) => JSON.stringify({ events }));

const malformedBatch = fc.oneof(
  brokenJsonText,
  fc
    .oneof(hostileText({ maxLength: 30 }), fc.double(), fc.boolean(), fc.array(fc.nat()))
    .map((v) => JSON.stringify(v) ?? '0'),
  wrongTypeFor([]).map((events) => JSON.stringify({ events })),
  fc.constant(JSON.stringify({ events: [] })),
  fc.constant(JSON.stringify({})),
  fc.constant(
    JSON.stringify({ events: Array(1001).fill({ id: 'e', type: 'login', userId: 'u' }) }),
  ),
);

interface Probe {
  inputClass: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  allowed: number[];
}

const refusedKey = fc
  .record({
    key: fc.option(
      fc.oneof(
        fc.constant(''),
        headerText(),
        fc.constant(`${TEST_INGEST_KEY}x`),
        fc.constant(TEST_INGEST_KEY.toUpperCase()),
        headerText({ maxLength: 40 }).map((k) => `chk_${k}`),
      ),
    ),
    body: fc.oneof(
      {
        weight: 4,
        arbitrary: fc
          .array(validEvent, { minLength: 1, maxLength: 5 })
          .map((events) => JSON.stringify({ events })),
      },
      { weight: 2, arbitrary: batchWithBadEvent },
      { weight: 2, arbitrary: malformedBatch },
      {
        weight: 1,
        arbitrary: fc.integer({ min: 1_048_577, max: 1_500_000 }).map((n) => 'x'.repeat(n)),
      },
    ),
  })
  .map(
    ({ key, body }): Probe => ({
      inputClass: 'refused key',
      method: 'POST',
      headers: key === null ? { 'content-type': json } : { 'content-type': json, 'x-api-key': key },
      body,
      allowed: [401],
    }),
  );
// 400: a valid key, and a batch that is malformed or holds a bad event.
const invalidBatch = fc
  .record({ body: fc.oneof(batchWithBadEvent, malformedBatch), type: contentTypes })
  .map(
    ({ body, type }): Probe => ({
      inputClass: 'invalid batch',
      method: 'POST',
      headers: { 'content-type': type, 'x-api-key': TEST_INGEST_KEY },
      body,
      allowed: [400],
    }),
  );
// 413: over the 1 MB ingest limit.
const tooLarge = fc.integer({ min: 1_048_577, max: 2_000_000 }).map(
  (n): Probe => ({
    inputClass: 'body too large',
    method: 'POST',
    headers: { 'content-type': json, 'x-api-key': TEST_INGEST_KEY },
    body: JSON.stringify({ events: [{ id: 'e', type: 'login', userId: 'x'.repeat(n) }] }),
    allowed: [413],
  }),
);
// 405: the route takes POST only.
const wrongMethod = fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH').map(
  (method): Probe => ({
    inputClass: 'wrong method',
    method,
    headers: { 'x-api-key': TEST_INGEST_KEY },
    allowed: [405],
  }),
);

// 401 is unconditional: no valid key means the body is not even read.
const probes = fc.oneof(
  { weight: 4, arbitrary: refusedKey },
  { weight: 5, arbitrary: invalidBatch },
  { weight: 1, arbitrary: tooLarge },
  { weight: 1, arbitrary: wrongMethod },
);

describe('HTTP ingest fuzz: hostile batches get a 4xx and queue nothing', () => {
  let t: TestApi;
  let prefix: string;

  beforeAll(async () => {
    prefix = `ingest-http-fuzz-${randomUUID()}`;
    t = await startTestApi({ QUEUE_PREFIX: prefix, EVENT_PARTITIONS: String(PARTITIONS) });
  });
  afterAll(async () => {
    await obliterateQueues(REDIS_URL, prefix, PARTITIONS);
    await t?.close();
  });

  it(
    'answers every generated request with its class’s 4xx, stays up, queues and writes nothing',
    async () => {
      await runFuzz({
        edge: 'HTTP ingest',
        databaseUrl: t.databaseUrl,
        probes,
        answer: async (probe, check) => {
          const res = await fetch(t.url(EVENTS), {
            method: probe.method,
            headers: probe.headers,
            body: probe.body,
          });
          const text = await res.text();
          check(res.status);
          expect(JSON.parse(text)).toMatchObject({ errorCode: expect.any(String) });
        },
        queued: () => queuedJobs(REDIS_URL, prefix, PARTITIONS),
      });
      expect((await t.call('GET', '/healthz')).status).toBe(200);
      const ok = await t.call('POST', EVENTS, {
        headers: { 'x-api-key': TEST_INGEST_KEY },
        body: { events: [{ id: 'after', type: 'login', userId: 'u', namespace: 'other-game' }] },
      });
      expect(ok.status).toBe(202);
    },
    FUZZ_TIMEOUT_MS,
  );
});
