import type { z } from 'zod';

/**
 * Parses an environment with an app's schema; every problem is listed at once, one per line,
 * each starting with the variable it is about.
 */
export function parseEnvWith<S extends z.ZodType>(
  schema: S,
  source: Record<string, string | undefined>,
): Readonly<z.output<S>> {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new InvalidConfigurationError(
      result.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`),
    );
  }
  return Object.freeze(result.data) as Readonly<z.output<S>>;
}

/** What parseEnvWith throws: the message lists the problems, `problems` holds them. */
class InvalidConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** Every problem a parse of an environment reports (none when it parses), for env tests. */
export function configurationProblems(parse: () => unknown): readonly string[] {
  try {
    parse();
    return [];
  } catch (error) {
    if (error instanceof InvalidConfigurationError) return error.problems;
    throw error;
  }
}

/**
 * For a process entry point: a configuration problem ends the process with the list of
 * problems and nothing else — a stack trace would bury what the operator has to fix.
 */
export function parseEnvOrExit<T>(service: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${service} cannot start: ${message}\n`);
    process.exit(1);
  }
}
