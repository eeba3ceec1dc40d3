// Mutants that survive on purpose: equivalent to the original (no test can tell them apart) or
// changing nothing a user could notice. Matched on the file, the mutator and the original code,
// so they stay attached when lines move. Anything surviving that is not listed here is reported
// as unexplained by `npm run test:mutation`.
export interface ExplainedMutant {
  file: string;
  mutator: string;
  /** A piece of the original code the mutant replaces (its first line is enough). */
  original: string;
  reason: string;
}

export const explainedMutants = {
  core: [] as ExplainedMutant[],
  claim: [] as ExplainedMutant[],
  events: [] as ExplainedMutant[],
  rewards: [] as ExplainedMutant[],
  'hot-reload': [] as ExplainedMutant[],
  auth: [] as ExplainedMutant[],
} satisfies Record<string, ExplainedMutant[]>;
