import { describe, expect, it } from 'vitest';
import { type CpuProfile, summariseCpuProfile, summariseHeapProfile } from './profile-summary.ts';

const frame = (functionName: string, url = 'file:///app.js', lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
  columnNumber: 0,
});

/**
 * (root) → main → parse → parse (recursion), and main → render; samples: 2 ms in main,
 * 3 ms in the inner parse, 1 ms in the outer parse, 4 ms in render — 10 ms in all.
 */
const PROFILE: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', '', -1), children: [2] },
    { id: 2, callFrame: frame('main', 'file:///app.js', 9), children: [3, 5] },
    { id: 3, callFrame: frame('parse', 'file:///parse.js', 19), children: [4] },
    { id: 4, callFrame: frame('parse', 'file:///parse.js', 19), children: [] },
    { id: 5, callFrame: frame('', 'file:///render.js', 4), children: [] },
  ],
  startTime: 0,
  endTime: 10_000,
  // Each sample lasts until the next one (1 ms apart), the last one until endTime.
  samples: [2, 2, 4, 4, 4, 3, 5, 5, 5, 5],
  timeDeltas: [0, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
};

describe('summariseCpuProfile', () => {
  const summary = summariseCpuProfile(PROFILE);

  it('ranks functions by self time in ms and percent of the profile', () => {
    expect(summary.unit).toBe('ms');
    expect(summary.total).toBe(10);
    expect(summary.bySelf.map((r) => [r.functionName, r.self, r.selfPercent])).toEqual([
      ['parse', 4, 40],
      ['(anonymous)', 4, 40],
      ['main', 2, 20],
    ]);
  });

  it('counts a recursive function once in its total and names url:line (1-based)', () => {
    const parse = summary.byTotal.find((r) => r.functionName === 'parse');
    expect(parse).toMatchObject({ total: 4, totalPercent: 40, location: 'file:///parse.js:20' });
    expect(summary.byTotal[0]).toMatchObject({
      functionName: 'main',
      total: 10,
      totalPercent: 100,
    });
  });

  it('leaves out (root) and keeps at most `top` rows', () => {
    expect(summary.bySelf.some((r) => r.functionName === '(root)')).toBe(false);
    expect(summariseCpuProfile(PROFILE, 1).byTotal).toHaveLength(1);
  });

  it('falls back to hit counts when the profile has no timeline', () => {
    const hits = summariseCpuProfile({
      nodes: [
        { id: 1, callFrame: frame('(root)', '', -1), children: [2], hitCount: 0 },
        { id: 2, callFrame: frame('work'), children: [], hitCount: 3 },
      ],
      startTime: 0,
      endTime: 6000,
    });
    expect(hits.bySelf[0]).toMatchObject({ functionName: 'work', self: 6, selfPercent: 100 });
  });
});

describe('summariseHeapProfile', () => {
  it('ranks allocating functions by bytes, totals including callees', () => {
    const summary = summariseHeapProfile({
      head: {
        id: 1,
        selfSize: 0,
        callFrame: frame('(root)', '', -1),
        children: [
          {
            id: 2,
            selfSize: 1000,
            callFrame: frame('load'),
            children: [{ id: 3, selfSize: 3000, callFrame: frame('decode'), children: [] }],
          },
        ],
      },
    });
    expect(summary.unit).toBe('bytes');
    expect(summary.bySelf[0]).toMatchObject({
      functionName: 'decode',
      self: 3000,
      selfPercent: 75,
    });
    expect(summary.byTotal[0]).toMatchObject({
      functionName: 'load',
      total: 4000,
      totalPercent: 100,
    });
  });
});

describe('idle, program and GC time', () => {
  it('is reported apart and left out of the percentages', () => {
    const withIdle: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', '', -1), children: [2, 3, 4] },
        { id: 2, callFrame: frame('work'), children: [] },
        { id: 3, callFrame: frame('(idle)', '', -1), children: [] },
        { id: 4, callFrame: frame('(program)', '', -1), children: [] },
      ],
      startTime: 0,
      endTime: 10_000,
      samples: [2, 3, 3, 3, 3, 3, 3, 3, 3, 4],
      timeDeltas: [0, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
    };
    const summary = summariseCpuProfile(withIdle);
    expect(summary.total).toBe(1);
    expect(summary.excluded).toEqual({ idle: 8, program: 1, gc: 0 });
    expect(summary.bySelf).toEqual([
      expect.objectContaining({ functionName: 'work', selfPercent: 100 }),
    ]);
  });
});
