import { describe, expect, it } from 'vitest';
import { formatTimestamp } from './format-time.ts';

describe('formatTimestamp', () => {
  it('writes RFC 3339 UTC with seconds precision', () => {
    expect(formatTimestamp(new Date('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02T03:04:05Z');
    expect(formatTimestamp(new Date('2026-01-02T05:04:05+02:00'))).toBe('2026-01-02T03:04:05Z');
  });

  it('writes an empty string for unset timestamps', () => {
    expect(formatTimestamp(null)).toBe('');
  });
});
