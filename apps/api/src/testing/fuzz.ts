/**
 * Shared pieces of the edge fuzz tests (`*.fuzz.integration.test.ts`, docs/security-testing.md):
 * how many inputs, which seed, hostile values, and the bookkeeping that every answer was one
 * of the codes its input class allows.
 */
import { tableFingerprints } from '@challenges/db/testing';
import fc from 'fast-check';
import { expect } from 'vitest';

// Tests may read the environment: these two choose the run, they configure no app.
const DEFAULT_RUNS = 300;
const DEFAULT_SEED = 20_261_204;

/** Inputs per edge: FUZZ_RUNS (`npm run test:fuzz` sets 10,000), else a CI-sized subset. */
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? DEFAULT_RUNS);
/** One fixed seed unless FUZZ_SEED says otherwise, so a failure is reproducible. */
const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? DEFAULT_SEED);

/** Room for the run itself: a few ms per input on a loaded 2-core machine, and shrinking. */
export const FUZZ_TIMEOUT_MS = 60_000 + FUZZ_RUNS * 60;

/** fast-check parameters for one edge; prints what reproduces the run. */
function fuzzParameters<T>(edge: string): fc.Parameters<T> {
  console.info(
    `[fuzz] ${edge}: ${FUZZ_RUNS} inputs, seed ${FUZZ_SEED} ` +
      `(reproduce: FUZZ_SEED=${FUZZ_SEED} FUZZ_RUNS=${FUZZ_RUNS})`,
  );
  return { seed: FUZZ_SEED, numRuns: FUZZ_RUNS };
}

/** Answers seen per input class, printed at the end of a run (the counts in the docs). */
function answerTally(edge: string) {
  const seen = new Map<string, Map<string, number>>();
  const started = performance.now();
  let inputs = 0;
  return {
    /** Fails the property when `answer` is not one of the codes the class allows. */
    check(inputClass: string, answer: string | number, allowed: readonly (string | number)[]) {
      inputs++;
      const perClass = seen.get(inputClass) ?? new Map<string, number>();
      seen.set(inputClass, perClass);
      perClass.set(String(answer), (perClass.get(String(answer)) ?? 0) + 1);
      expect(allowed.map(String), `${inputClass}: answered ${answer}`).toContain(String(answer));
    },
    print() {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const lines = [...seen].map(
        ([c, answers]) => `  ${c}: ${[...answers].map(([a, n]) => `${a}×${n}`).join(' ')}`,
      );
      console.info(`[fuzz] ${edge}: ${inputs} inputs in ${seconds} s\n${lines.join('\n')}`);
    },
  };
}

type Code = string | number;

/**
 * One edge's fuzz run, with what every edge checks after it: the answers counted and printed
 * per input class, no row changed and, where the edge queues (`queued`), nothing queued. The
 * edge's `answer` sends a probe and passes its code to `check` (with the class's codes, or
 * `allowed` in their place), then checks the body; whether the edge is still up is the caller's.
 */
export async function runFuzz<P extends { inputClass: string; allowed: readonly Code[] }>(options: {
  edge: string;
  databaseUrl: string;
  probes: fc.Arbitrary<P>;
  answer: (probe: P, check: (code: Code, allowed?: readonly Code[]) => void) => Promise<void>;
  queued?: () => Promise<unknown[]>;
}): Promise<void> {
  // Row counts and checksums of every table, to compare after the run (nothing may change).
  const before = await tableFingerprints(options.databaseUrl);
  const tally = answerTally(options.edge);
  await fc.assert(
    fc.asyncProperty(options.probes, (probe) =>
      options.answer(probe, (code, allowed = probe.allowed) =>
        tally.check(probe.inputClass, code, allowed),
      ),
    ),
    fuzzParameters(options.edge),
  );
  tally.print();
  if (options.queued) expect(await options.queued()).toEqual([]);
  expect(await tableFingerprints(options.databaseUrl)).toEqual(before);
}

const NASTY_TEXT = [
  '',
  ' ',
  '\u0000',
  '\u0000\u0000\u0000',
  '%00',
  '%',
  '%zz',
  '../../../../etc/passwd',
  "' OR '1'='1' --",
  '"; DROP TABLE player_goal_progress; --',
  '$where',
  '{"$ne":null}',
  '__proto__',
  'constructor',
  'prototype',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '0x10',
  '<script>alert(1)</script>',
  '\u0024{7*7}',
  '{{7*7}}',
  '\u202e\u202dgnp.exe',
  '\ufeff',
  '\ud83c\udfae\ud83c\udfae\ud83c\udfae',
  'Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358\u0359\u035a',
  '\u0130\u0131\u00df\ufb03',
  '\r\n\r\nHTTP/1.1 200 OK',
  '\\u0000',
  'season',
  'daily',
];

/** Text a hostile client might send: unicode, control characters, injections, huge. */
export function hostileText(options: { maxLength?: number } = {}): fc.Arbitrary<string> {
  const maxLength = options.maxLength ?? 300;
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength }) },
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength }) },
    { weight: 2, arbitrary: fc.constantFrom(...NASTY_TEXT) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('x', '\u00e9', '\ud83c\udfae', '\u0000'), fc.nat(maxLength))
        .map(([unit, n]) => unit.repeat(n)),
    },
  );
}

/** Printable ASCII only: what HTTP headers and gRPC metadata can carry at all. */
export function headerText(options: { maxLength?: number } = {}): fc.Arbitrary<string> {
  return fc.string({
    unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
    maxLength: options.maxLength ?? 200,
  });
}

/** Any JSON value, nesting included. */
export const junkJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1e308, '', [], {}, [[[[[[]]]]]]),
  fc
    .integer({ min: 1, max: 2000 })
    .map((depth) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`)),
);

/** Bodies that are not JSON at all (or are cut short). */
export const brokenJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '{',
    '{"isActive":',
    '[1,2',
    '{"a":1,}',
    "{'single':'quotes'}",
    'undefined',
    'NaN',
    '{"a":01}',
    '\ufeff{"isActive":true',
    '<xml/>',
    'isActive=true',
    '{"a":"\\uZZZZ"}',
    '{"a":1}{"b":2}',
    '--boundary\r\nContent-Disposition: form-data; name="isActive"\r\n\r\ntrue\r\n--boundary--',
  ),
  fc.integer({ min: 1, max: 5000 }).map((depth) => '['.repeat(depth)),
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 100 })
    .filter((s) => !isJson(s.trim()) && s.trim() !== ''),
);

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Content types a client may claim (the player API reads every body as JSON regardless). */
export const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-16',
  'text/plain',
  'multipart/form-data; boundary=boundary',
  'application/x-www-form-urlencoded',
  'application/xml',
  'application/octet-stream',
  'application/grpc',
  '*/*',
  'application/json, text/html',
);

/** Replaces one field of a valid value with a value of another JSON type. */
export function wrongTypeFor(value: unknown): fc.Arbitrary<unknown> {
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  const others: fc.Arbitrary<unknown>[] = [];
  if (kind !== 'string') others.push(hostileText({ maxLength: 40 }));
  if (kind !== 'number') others.push(fc.double({ noNaN: true, noDefaultInfinity: true }));
  if (kind !== 'boolean') others.push(fc.boolean());
  if (kind !== 'object') others.push(fc.dictionary(fc.string({ maxLength: 5 }), fc.nat()));
  if (kind !== 'array') others.push(fc.array(fc.nat(), { maxLength: 3 }));
  return fc.oneof(...others);
}

/** Bytes no protobuf decoder accepts: a wire type that does not exist, a field cut short, a varint without end. */
export const notProtobuf: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc
    .tuple(fc.integer({ min: 1, max: 15 }), fc.constantFrom(6, 7), fc.uint8Array({ maxLength: 64 }))
    .map(([field, wire, rest]) => Uint8Array.of((field << 3) | wire, ...rest)),
  fc
    .tuple(
      fc.integer({ min: 1, max: 15 }),
      fc.integer({ min: 1, max: 127 }),
      fc.uint8Array({ maxLength: 64 }),
    )
    .filter(([, length, rest]) => length > rest.length)
    .map(([field, length, rest]) => Uint8Array.of((field << 3) | 2, length, ...rest)),
  fc.integer({ min: 10, max: 40 }).map((n) => Uint8Array.of(0x08, ...Array(n).fill(0xff))),
);
