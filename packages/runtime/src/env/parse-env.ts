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
    const problems = result.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`);
    throw new Error(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return Object.freeze(result.data) as Readonly<z.output<S>>;
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
