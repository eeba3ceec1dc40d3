import { describe, expect, it } from 'vitest';
import { StreamTally } from './tally.ts';

describe('StreamTally', () => {
  it('counts a player as lost until a change shows its last acknowledged value', () => {
    const tally = new StreamTally(2, 'score');
    tally.start(0, 7);
    const a = tally.next(0, 0);
    const b = tally.next(0, 5);
    expect([a, b]).toEqual([8, 9]);
    tally.ack(0, b);
    tally.ack(0, a);
    expect(tally.lost()).toBe(1);
    // The worker folded both events into one batch: one change with the last value, no loss.
    tally.change(0, 1_000, [{ goalId: 'score', progress: 9 }], 30, 1_040);
    expect(tally.lost()).toBe(0);
    expect(tally.changes).toBe(1);
    expect(tally.afterCommit.stats()).toMatchObject({ count: 1, maxMs: 40 });
    expect(tally.endToEnd.stats()).toMatchObject({ count: 1, maxMs: 25 });
  });

  it('ignores other goals and values a stream already showed', () => {
    const tally = new StreamTally(1, 'score');
    tally.ack(0, tally.next(0, 0));
    tally.change(0, 0, [{ goalId: 'other', progress: 1 }], 1, 1);
    expect(tally.lost()).toBe(1);
    tally.change(0, 0, [{ goalId: 'score', progress: 1 }], 1, 1);
    tally.change(0, 0, [{ goalId: 'score', progress: 1 }], 2, 2);
    expect(tally.changes).toBe(1);
    expect(tally.changesBetween(0, 1)).toBe(1);
    expect(tally.changesBetween(2, 3)).toBe(0);
  });
});
