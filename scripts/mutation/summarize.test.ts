import { describe, expect, it } from 'vitest';
import { formatSummary, type MutationReport, summarize } from './summarize.ts';

const mutant = (id: string, status: string, line: number, column: number, endColumn: number) => ({
  id,
  mutatorName: 'EqualityOperator',
  replacement: 'a < b',
  status,
  location: { start: { line, column }, end: { line, column: endColumn } },
});

const report: MutationReport = {
  files: {
    '/repo/packages/x/src/rule.ts': {
      source: 'const keep = 1;\nif (a <= b) go();\nif (c <= d) stop();\n',
      mutants: [
        mutant('1', 'Killed', 2, 5, 11),
        mutant('2', 'Timeout', 2, 5, 11),
        mutant('3', 'Survived', 2, 5, 11),
        mutant('4', 'NoCoverage', 3, 5, 11),
        mutant('5', 'Ignored', 1, 1, 5),
      ],
    },
  },
};

describe('summarize', () => {
  it('scores detected over detected + undetected, ignoring ignored mutants', () => {
    const summary = summarize(report, '/repo', []);
    expect(summary).toMatchObject({ killed: 1, timeout: 1, survived: 1, noCoverage: 1 });
    expect(summary.score).toBe(50);
  });

  it('attaches a reason only to the survivor whose file, mutator and code match', () => {
    const summary = summarize(report, '/repo', [
      { file: 'src/rule.ts', mutator: 'EqualityOperator', original: 'a <= b', reason: 'same' },
    ]);
    expect(summary.survivors.map((s) => [s.file, s.line, s.original, s.reason])).toEqual([
      ['packages/x/src/rule.ts', 2, 'a <= b', 'same'],
      ['packages/x/src/rule.ts', 3, 'c <= d', undefined],
    ]);
    expect(formatSummary('x', summary)).toContain('1 explained, 1 unexplained');
    expect(formatSummary('x', summary)).toContain(
      'rule.ts:3 EqualityOperator `c <= d` → `a < b` (UNEXPLAINED)',
    );
  });
});
