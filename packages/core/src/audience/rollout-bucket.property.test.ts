import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inAudience } from './evaluate-audience.ts';
import { ROLLOUT_BUCKETS, rolloutBucket } from './rollout-bucket.ts';

// An independent implementation of the documented hash: Node's UTF-8 encoder and BigInt
// arithmetic instead of the code under test's hand-rolled encoder and Math.imul.
const M32 = (1n << 32n) - 1n;
const mul32 = (a: bigint, b: bigint) => (a * b) & M32;
function expectedBucket(playerId: string, challengeId: string): number {
  const bytes = Buffer.concat([
    Buffer.from(playerId, 'utf8'),
    Buffer.from([0]),
    Buffer.from(challengeId, 'utf8'),
  ]);
  let h = 2166136261n;
  for (const byte of bytes) h = mul32(h ^ BigInt(byte), 16777619n);
  h ^= h >> 16n;
  h = mul32(h, 0x85ebca6bn);
  h ^= h >> 13n;
  h = mul32(h, 0xc2b2ae35n);
  h ^= h >> 16n;
  return Number(h % BigInt(ROLLOUT_BUCKETS));
}

const anyText = fc.string({ unit: 'binary', minLength: 0, maxLength: 40 });

describe('rolloutBucket', () => {
  it('is the documented hash of (playerId, challengeId), the same on every call', () => {
    fc.assert(
      fc.property(anyText, anyText, (playerId, challengeId) => {
        const bucket = rolloutBucket(playerId, challengeId);
        expect(bucket).toBe(expectedBucket(playerId, challengeId));
        expect(rolloutBucket(playerId, challengeId)).toBe(bucket);
      }),
      { seed: 17, numRuns: 2000 },
    );
  });

  it('keeps the values of earlier releases (a change would move players in and out)', () => {
    expect(rolloutBucket('player-1', 'weekly')).toBe(expectedBucket('player-1', 'weekly'));
    expect([
      rolloutBucket('player-1', 'weekly'),
      rolloutBucket('player-2', 'weekly'),
      rolloutBucket('ünïcødé-🙂', 'c'),
      rolloutBucket('', ''),
    ]).toEqual([PINNED[0], PINNED[1], PINNED[2], PINNED[3]]);
  });

  it('puts rolloutPercent % of 100,000 players in the rollout, within ±2 %', () => {
    const players = 100_000;
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9-]{1,12}$/),
        fc.stringMatching(/^[a-z0-9-]{1,16}$/),
        (prefix, challengeId) => {
          const buckets = new Uint16Array(players);
          let differing = 0;
          for (let i = 0; i < players; i++) {
            const playerId = `${prefix}-${i}`;
            buckets[i] = expectedBucket(playerId, challengeId);
            if (rolloutBucket(playerId, challengeId) !== buckets[i]) differing++;
          }
          expect(differing).toBe(0);
          for (const percent of [1, 5, 10, 25, 50, 75, 90, 99]) {
            let inside = 0;
            let wrong = 0;
            for (let i = 0; i < players; i++) {
              const bucket = buckets[i]!;
              const audience = { rolloutPercent: percent };
              const isIn = inAudience({ audience, attributes: {}, bucket });
              if (isIn !== bucket < percent * 100) wrong++;
              if (isIn) inside++;
            }
            expect(wrong).toBe(0);
            expect(Math.abs(inside / players - percent / 100)).toBeLessThanOrEqual(0.02);
          }
        },
      ),
      { seed: 42, numRuns: 2 },
    );
  }, 60_000);
});

const PINNED = [9469, 4469, 5351, 4203];
