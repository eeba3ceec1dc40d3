import { describe, expect, it } from 'vitest';
import type { CpuProfile } from './profile-summary.ts';
import { diffProfiles, flameTree } from './profile-tree.ts';

const frame = (functionName: string, url = 'file:///app.js', lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
  columnNumber: 0,
});

/** (root) → main → parse, (root) → (idle), (root) → (garbage collector); 1 ms per sample. */
function profile(samples: number[]): CpuProfile {
  return {
    nodes: [
      { id: 1, callFrame: frame('(root)', '', -1), children: [2, 4, 5] },
      { id: 2, callFrame: frame('main', 'file:///app.js', 9), children: [3] },
      { id: 3, callFrame: frame('parse', 'file:///parse.js', 19), children: [] },
      { id: 4, callFrame: frame('(idle)', '', -1), children: [] },
      { id: 5, callFrame: frame('(garbage collector)', '', -1), children: [] },
    ],
    startTime: 0,
    endTime: samples.length * 1000,
    samples,
    timeDeltas: samples.map((_, i) => (i === 0 ? 0 : 1000)),
  };
}

describe('flameTree', () => {
  it('nests values by call path and leaves idle and GC out of the graph', () => {
    const tree = flameTree('cpu', JSON.stringify(profile([2, 3, 3, 4, 4, 4, 4, 5])));
    expect(tree).toMatchObject({ name: 'all', value: 3 });
    expect(tree.children).toHaveLength(1);
    expect(tree.children[0]).toMatchObject({
      name: 'main',
      value: 3,
      location: 'file:///app.js:10',
    });
    expect(tree.children[0]?.children[0]).toMatchObject({ name: 'parse', value: 2 });
  });

  it('sums a heap profile node with its children', () => {
    const head = {
      callFrame: frame('(root)', '', -1),
      selfSize: 0,
      id: 1,
      children: [
        { callFrame: frame('alloc'), selfSize: 100, id: 2, children: [] },
        { callFrame: frame('big'), selfSize: 300, id: 3, children: [] },
      ],
    };
    const tree = flameTree('heap', JSON.stringify({ head }));
    expect(tree.value).toBe(400);
    expect(tree.children.map((c) => c.name)).toEqual(['big', 'alloc']);
  });
});

describe('diffProfiles', () => {
  it('gives per-function self-time deltas, idle excluded from the shares', () => {
    // Before: main 1 ms, parse 1 ms (50 % each); after: main 1 ms, parse 3 ms (25 / 75 %).
    const before = JSON.stringify(profile([2, 3, 4, 4]));
    const after = JSON.stringify(profile([2, 3, 3, 3, 4, 4, 4, 4, 4, 4]));
    const diff = diffProfiles('cpu', before, after);
    expect(diff.unit).toBe('ms');
    expect(
      diff.rows.map((r) => [r.functionName, r.before, r.after, r.delta, r.deltaPercent]),
    ).toEqual([['parse', 1, 3, 2, 25]]);
  });
});
