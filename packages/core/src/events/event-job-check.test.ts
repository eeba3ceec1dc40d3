import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZEventBatchJob } from './event-job.ts';
import { isPlainEventBatchJob } from './event-job-check.ts';

// Strings around every bound of the contract (0, 1, 64, 65, 128, 129 characters).
const text = fc.oneof(fc.string({ maxLength: 3 }), {
  weight: 3,
  arbitrary: fc.constantFrom(0, 1, 64, 65, 128, 129).map((n) => 'x'.repeat(n)),
});
const number = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.double(),
  fc.constantFrom(2 ** 53, 2 ** 53 - 1, -0, 1.5, Number.NaN, Number.POSITIVE_INFINITY),
);
// Any field may be missing, of another type or out of bounds; extra keys appear too.
const field = fc.oneof(
  { weight: 6, arbitrary: fc.oneof(text, number) },
  fc.anything({ maxDepth: 1, maxKeys: 3 }),
);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });

/** A job as ingest writes it (normalize-event.ts), after a JSON round trip. */
const ingestJobArb = fc
  .record({
    batchId: fc.uuid(),
    partition: fc.nat(63),
    events: fc.array(
      fc.oneof(
        fc.record({
          type: fc.constant('login' as const),
          id: fc.string({ minLength: 1, maxLength: 128 }),
          userId: fc.string({ minLength: 1, maxLength: 128 }),
          timestamp: optional(fc.string({ maxLength: 64 })),
          receivedAt: fc.nat(),
        }),
        fc.record({
          type: fc.constant('stat' as const),
          id: fc.string({ minLength: 1, maxLength: 128 }),
          userId: fc.string({ minLength: 1, maxLength: 128 }),
          statCode: fc.string({ minLength: 1, maxLength: 128 }),
          value: fc.double({ noNaN: true, noDefaultInfinity: true }),
          inc: fc.double({ noNaN: true, noDefaultInfinity: true }),
          timestamp: optional(fc.string({ maxLength: 64 })),
          receivedAt: fc.nat(),
        }),
      ),
      { minLength: 1, maxLength: 8 },
    ),
  })
  .map((job) => JSON.parse(JSON.stringify(job)) as unknown);

const DELETE = Symbol('delete');
const KEYS = ['type', 'id', 'userId', 'statCode', 'value', 'inc', 'timestamp', 'receivedAt'];
const mutationArb = fc.record({
  where: fc.oneof(fc.constant('job' as const), fc.nat(19)),
  key: fc.constantFrom(...KEYS, 'batchId', 'partition', 'events', 'extra'),
  value: fc.oneof(field, fc.constant(DELETE)),
});

/** An ingest job with 0–3 fields set to anything (out of bounds, another type), dropped or added. */
const jobArb = fc
  .tuple(ingestJobArb, fc.array(mutationArb, { maxLength: 3 }))
  .map(([job, mutations]) => {
    const out = job as Record<string, unknown>;
    for (const { where, key, value } of mutations) {
      const events = out.events;
      const target =
        where === 'job'
          ? out
          : Array.isArray(events) && events.length > 0
            ? (events[where % events.length] as Record<string, unknown>)
            : undefined;
      if (typeof target !== 'object' || target === null) continue;
      if (value === DELETE) delete target[key];
      else target[key] = value;
    }
    return out as unknown;
  });

describe('isPlainEventBatchJob', () => {
  it('says yes only to what ZEventBatchJob accepts and returns unchanged', () => {
    let accepted = 0;
    fc.assert(
      fc.property(jobArb, (job) => {
        if (!isPlainEventBatchJob(job)) return;
        accepted++;
        const parsed = ZEventBatchJob.safeParse(job);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toStrictEqual(job);
      }),
      { numRuns: 2000, seed: 20261206 },
    );
    // The generator reaches the yes side often enough for the property to mean something.
    expect(accepted).toBeGreaterThan(300);
  }, 60_000);

  it('says yes to every job ingest writes', () => {
    fc.assert(
      fc.property(ingestJobArb, (job) => {
        expect(isPlainEventBatchJob(job)).toBe(true);
      }),
      { numRuns: 1000, seed: 20261207 },
    );
  }, 60_000);

  it('leaves to zod what zod would strip or refuse', () => {
    const event = { type: 'stat', id: 'e', userId: 'u', statCode: 's', receivedAt: 1 };
    const job = { batchId: 'b', partition: 0, events: [event] };
    expect(isPlainEventBatchJob(job)).toBe(true);
    for (const bad of [
      { ...job, extra: 1 },
      { ...job, events: [{ ...event, extra: 1 }] },
      { ...job, events: [{ ...event, type: 'login' }] }, // statCode is not a login key
      { ...job, events: [{ ...event, value: Number.NaN }] },
      { ...job, events: [{ ...event, receivedAt: 2 ** 53 }] },
      { ...job, events: [{ ...event, timestamp: 't'.repeat(65) }] },
      { ...job, events: [{ ...event, id: 'i'.repeat(129) }] },
      { ...job, events: [{ ...event, userId: 'u'.repeat(129) }] },
      { ...job, events: [{ ...event, statCode: 's'.repeat(129) }] },
      { ...job, events: [{ ...event, statCode: '' }] },
      { ...job, events: [{ ...event, inc: Number.POSITIVE_INFINITY }] },
      { ...job, events: [{ ...event, receivedAt: 1.5 }] },
      { ...job, batchId: 'b'.repeat(65) },
      { ...job, partition: -1 },
      { ...job, batchId: '' },
      { ...job, events: [] },
      { ...job, events: Array.from({ length: 5001 }, () => event) },
      JSON.parse('{"batchId":"b","partition":0,"events":[],"__proto__":{}}'),
      Object.assign(Object.create(null), job),
    ]) {
      expect(isPlainEventBatchJob(bad)).toBe(false);
    }
  });
});
