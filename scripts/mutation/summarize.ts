// Reads Stryker's JSON report (mutation-testing-report-schema) into a score and the list of
// surviving mutants, each either explained (explained-mutants.ts) or not. A "survivor" against
// which not one test ran is no result at all: StrykerJS 9.6's vitest runner sometimes loses a
// mutant's run (its tests collected, none executed) and scores it Survived. Those are listed
// apart as not run, count in no score and fail the run: run it again.
import type { ExplainedMutant } from './explained-mutants.ts';

interface ReportMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  /** Tests that ran against the mutant (0 for a lost run; absent when none was planned). */
  testsCompleted?: number;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
}
export interface MutationReport {
  files: Record<string, { source: string; mutants: ReportMutant[] }>;
}

export interface Survivor {
  file: string;
  line: number;
  mutator: string;
  status: string;
  original: string;
  replacement: string;
  reason?: string;
}

export interface AreaSummary {
  killed: number;
  survived: number;
  noCoverage: number;
  timeout: number;
  errors: number;
  /** Stryker's score: detected / (detected + undetected), explained survivors included. */
  score: number;
  survivors: Survivor[];
  /** Reported Survived although no test ran against them: not measured (see the top). */
  notRun: Omit<Survivor, 'reason'>[];
}

const undetected = new Set(['Survived', 'NoCoverage']);

function originalText(source: string, mutant: ReportMutant): string {
  const lines = source.split('\n');
  const { start, end } = mutant.location;
  if (start.line === end.line)
    return lines[start.line - 1]!.slice(start.column - 1, end.column - 1);
  return [
    lines[start.line - 1]!.slice(start.column - 1),
    ...lines.slice(start.line, end.line - 1),
    lines[end.line - 1]!.slice(0, end.column - 1),
  ].join('\n');
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The entry's code equals the survivor's original, or starts it when it ends with `...`. */
function sameCode(original: string, entry: string): boolean {
  const code = collapse(original);
  const wanted = collapse(entry);
  return wanted.endsWith('...') ? code.startsWith(wanted.slice(0, -3)) : code === wanted;
}

function explain(survivor: Omit<Survivor, 'reason'>, explained: ExplainedMutant[]) {
  return explained.find(
    (entry) =>
      survivor.file.endsWith(entry.file) &&
      entry.mutator === survivor.mutator &&
      (entry.line === undefined || entry.line === survivor.line) &&
      (entry.replacement === undefined ||
        collapse(entry.replacement) === collapse(survivor.replacement)) &&
      sameCode(survivor.original, entry.original),
  )?.reason;
}

export function summarize(
  report: MutationReport,
  root: string,
  explained: ExplainedMutant[],
): AreaSummary {
  const summary: AreaSummary = {
    killed: 0,
    survived: 0,
    noCoverage: 0,
    timeout: 0,
    errors: 0,
    score: 0,
    survivors: [],
    notRun: [],
  };
  for (const [path, file] of Object.entries(report.files)) {
    const relative = path.startsWith(root) ? path.slice(root.length).replace(/^\//, '') : path;
    for (const mutant of file.mutants) {
      const lost = mutant.status === 'Survived' && mutant.testsCompleted === 0;
      if (mutant.status === 'Killed') summary.killed++;
      else if (mutant.status === 'Timeout') summary.timeout++;
      else if (mutant.status === 'Survived' && !lost) summary.survived++;
      else if (mutant.status === 'NoCoverage') summary.noCoverage++;
      else if (mutant.status === 'RuntimeError' || mutant.status === 'CompileError')
        summary.errors++;
      if (!undetected.has(mutant.status)) continue;
      const survivor = {
        file: relative,
        line: mutant.location.start.line,
        mutator: mutant.mutatorName,
        status: mutant.status,
        original: originalText(file.source, mutant),
        replacement: mutant.replacement ?? '',
      };
      if (lost) summary.notRun.push(survivor);
      else summary.survivors.push({ ...survivor, reason: explain(survivor, explained) });
    }
  }
  const detected = summary.killed + summary.timeout;
  const total = detected + summary.survived + summary.noCoverage;
  summary.score = total === 0 ? 100 : Math.floor((detected / total) * 10_000) / 100;
  return summary;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 70);

export function formatSummary(area: string, summary: AreaSummary): string {
  const unexplained = summary.survivors.filter((s) => !s.reason);
  const lines = [
    `${area}: score ${summary.score} % (killed ${summary.killed}, timeout ${summary.timeout}, ` +
      `survived ${summary.survived}, no coverage ${summary.noCoverage}, errors ${summary.errors}); ` +
      `${summary.survivors.length - unexplained.length} explained, ${unexplained.length} unexplained` +
      (summary.notRun.length > 0
        ? `; ${summary.notRun.length} NOT RUN (no test ran; run again)`
        : ''),
  ];
  for (const s of summary.survivors) {
    const mark = s.reason ? `explained: ${s.reason}` : 'UNEXPLAINED';
    lines.push(
      `  ${s.file}:${s.line} ${s.mutator} \`${oneLine(s.original)}\` → \`${oneLine(s.replacement)}\` (${mark})`,
    );
  }
  for (const s of summary.notRun) {
    lines.push(
      `  ${s.file}:${s.line} ${s.mutator} \`${oneLine(s.original)}\` → \`${oneLine(s.replacement)}\` (NOT RUN)`,
    );
  }
  return lines.join('\n');
}
