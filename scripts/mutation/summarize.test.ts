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
      source:
        'const keep = 1;\nif (a <= b) go();\nif (c <= d) stop();\nif (a <= b && e) go();\n{\n  go();\n}\n',
      mutants: [
        mutant('1', 'Killed', 2, 5, 11),
        mutant('2', 'Timeout', 2, 5, 11),
        mutant('3', 'Survived', 2, 5, 11),
        mutant('4', 'NoCoverage', 3, 5, 11),
        mutant('6', 'Survived', 4, 5, 16),
        {
          ...mutant('7', 'Survived', 5, 1, 2),
          location: { start: { line: 5, column: 1 }, end: { line: 7, column: 2 } },
        },
        mutant('5', 'Ignored', 1, 1, 5),
      ],
    },
  },
};

describe('summarize', () => {
  it('matches a long original by its start when the entry ends with ...', () => {
    const summary = summarize(report, '/repo', [
      { file: 'rule.ts', mutator: 'EqualityOperator', original: '{ go();...', reason: 'block' },
    ]);
    expect(summary.survivors.find((s) => s.line === 5)?.reason).toBe('block');
    expect(summary.survivors.filter((s) => s.reason)).toHaveLength(1);
  });

  it('with a line, explains only the survivor on that line', () => {
    const entry = { file: 'rule.ts', mutator: 'EqualityOperator', original: 'c <= d' };
    const on = (line: number) =>
      summarize(report, '/repo', [{ ...entry, line, reason: 'here' }]).survivors.find(
        (s) => s.line === 3,
      )?.reason;
    expect(on(3)).toBe('here');
    expect(on(4)).toBeUndefined();
  });

  it('scores detected over detected + undetected, ignoring ignored mutants', () => {
    const summary = summarize(report, '/repo', []);
    expect(summary).toMatchObject({ killed: 1, timeout: 1, survived: 3, noCoverage: 1 });
    expect(summary.score).toBe(33.33);
  });

  it('attaches a reason only to the survivor whose file, mutator and code match', () => {
    const summary = summarize(report, '/repo', [
      { file: 'src/rule.ts', mutator: 'EqualityOperator', original: 'a <= b', reason: 'same' },
    ]);
    // Line 4's `a <= b && e` contains the explained code but is another mutant: not explained.
    expect(summary.survivors.map((s) => [s.file, s.line, s.original, s.reason])).toEqual([
      ['packages/x/src/rule.ts', 2, 'a <= b', 'same'],
      ['packages/x/src/rule.ts', 3, 'c <= d', undefined],
      ['packages/x/src/rule.ts', 4, 'a <= b && e', undefined],
      ['packages/x/src/rule.ts', 5, '{\n  go();\n}', undefined],
    ]);
    expect(formatSummary('x', summary)).toContain('1 explained, 3 unexplained');
    expect(formatSummary('x', summary)).toContain(
      'rule.ts:3 EqualityOperator `c <= d` → `a < b` (UNEXPLAINED)',
    );
  });

  it('lists a survivor against which no test ran as not run: no score, no explanation', () => {
    const [file] = Object.values(report.files);
    const lostRun: MutationReport = {
      files: {
        '/repo/packages/x/src/rule.ts': {
          source: file!.source,
          mutants: [
            { ...mutant('1', 'Killed', 2, 5, 11), testsCompleted: 3 },
            { ...mutant('2', 'Survived', 2, 5, 11), testsCompleted: 2 },
            // Covered by tests, yet none ran: the vitest runner lost the run.
            { ...mutant('3', 'Survived', 3, 5, 11), testsCompleted: 0 },
          ],
        },
      },
    };
    const summary = summarize(lostRun, '/repo', [
      { file: 'rule.ts', mutator: 'EqualityOperator', original: 'c <= d', reason: 'never' },
    ]);
    expect(summary).toMatchObject({ killed: 1, survived: 1, score: 50 });
    expect(summary.survivors.map((s) => s.line)).toEqual([2]);
    expect(summary.notRun.map((s) => [s.line, s.original])).toEqual([[3, 'c <= d']]);
    const text = formatSummary('x', summary);
    expect(text).toContain('0 explained, 1 unexplained; 1 NOT RUN (no test ran; run again)');
    expect(text).toContain('rule.ts:3 EqualityOperator `c <= d` → `a < b` (NOT RUN)');
  });
});
