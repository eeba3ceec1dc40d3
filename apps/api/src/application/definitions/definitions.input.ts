import { CoreError, type Definitions, parseDefinitions } from '@challenges/core';
import { z } from 'zod';

/** Larger than any real config (the 500-goal load-test file is ~250 KB), small enough for jsonb. */
export const MAX_DEFINITIONS_BYTES = 5 * 1024 * 1024;

export const ZActor = z.string().trim().min(1, 'actor is required').max(200);
export const ZLimit = z.number().int().min(1).max(500).default(50);
export const ZVersion = z.number().int().positive().max(2_147_483_647);
export const ZNote = z.string().max(1000).optional();

/** Parses a use case's input, turning zod issues into one INVALID_ARGUMENT error. */
export function decodeInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`,
  );
  throw new CoreError('INVALID_ARGUMENT', problems.join('; '), problems);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks that draft content can be stored at all: a JSON object (or the JSON text of one) within
 * the size limit. Whether it is *valid definitions* is a separate question — drafts may be
 * work in progress.
 */
export function decodeDraftContent(content: unknown): Record<string, unknown> {
  let value = content;
  if (typeof content === 'string') {
    if (Buffer.byteLength(content) > MAX_DEFINITIONS_BYTES) tooLarge(Buffer.byteLength(content));
    try {
      value = JSON.parse(content);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CoreError('INVALID_ARGUMENT', `content is not valid JSON: ${reason}`);
    }
  }
  if (!isPlainObject(value)) {
    throw new CoreError(
      'INVALID_ARGUMENT',
      'content must be a JSON object like {"challenges": [...]}',
    );
  }
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CoreError('INVALID_ARGUMENT', `content cannot be stored as JSON: ${reason}`);
  }
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_DEFINITIONS_BYTES) tooLarge(bytes);
  // PostgreSQL's jsonb cannot hold NUL in text; refuse it here with a clear message.
  if (json.includes('\\u0000')) {
    throw new CoreError('INVALID_ARGUMENT', 'content must not contain NUL characters (\\u0000)');
  }
  return value;
}

function tooLarge(bytes: number): never {
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  throw new CoreError(
    'PAYLOAD_TOO_LARGE',
    `definitions are ${mb(bytes)} MB; the limit is ${mb(MAX_DEFINITIONS_BYTES)} MB`,
  );
}

/** The parsed definitions, or null when `content` does not parse. */
export function tryParse(content: unknown): Definitions | null {
  try {
    return parseDefinitions(content);
  } catch {
    return null;
  }
}
