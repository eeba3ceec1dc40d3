import { describe, expect, it } from 'vitest';
import { newBatchId } from './batch-id.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newBatchId', () => {
  it('is a version-7 UUID whose first 48 bits are the milliseconds', () => {
    const id = newBatchId(Date.UTC(2026, 11, 6, 17, 0, 0, 123));
    expect(id).toMatch(UUID_V7);
    expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(
      Date.UTC(2026, 11, 6, 17, 0, 0, 123),
    );
  });

  it('sorts by creation time as text (what the B-tree key compares), and never repeats', () => {
    const start = Date.UTC(2026, 11, 6);
    const ids = Array.from({ length: 5_000 }, (_, i) => newBatchId(start + Math.floor(i / 10)));
    const times = ids.map((id) => id.slice(0, 13));
    expect([...times].sort()).toEqual(times);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(UUID_V7);
  });
});
