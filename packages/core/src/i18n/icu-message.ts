import {
  type MessageFormatElement,
  type PluralOrSelectOption,
  parse,
  TYPE,
} from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import type { MessageValues } from './i18n.types.ts';

// Tags (`<b>…</b>`) would need formatter functions and have no meaning in a game client's
// plain-text label: they stay literal text.
const PARSE_OPTIONS = { ignoreTag: true } as const;

/** Variables that hold numbers: the only ones `plural`, `selectordinal` and `number` may use. */
const NUMERIC = new Set(['target', 'quantity', 'goalCount']);

function parseError(error: unknown): string {
  const kind = error instanceof Error ? error.message : String(error);
  const location = (error as { location?: { start?: { line: number; column: number } } }).location
    ?.start;
  return location ? `${kind} at line ${location.line}, column ${location.column}` : kind;
}

function checkElements(
  elements: readonly MessageFormatElement[],
  allowed: ReadonlySet<string>,
  problems: string[],
): void {
  for (const element of elements) {
    if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
    if (element.type === TYPE.tag) {
      checkElements(element.children, allowed, problems);
      continue;
    }
    const name = element.value;
    if (!allowed.has(name)) {
      problems.push(`uses unknown variable {${name}} (available: ${[...allowed].join(', ')})`);
      continue;
    }
    if (element.type === TYPE.date || element.type === TYPE.time) {
      problems.push(`formats {${name}} as a ${element.type === TYPE.date ? 'date' : 'time'}`);
    }
    const numeric = element.type === TYPE.plural || element.type === TYPE.number;
    if (numeric && !NUMERIC.has(name)) problems.push(`formats {${name}} as a number`);
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      const options = Object.values(element.options) as PluralOrSelectOption[];
      for (const option of options) checkElements(option.value, allowed, problems);
    }
  }
}

/**
 * Why `message` is not a usable ICU message with the given variables (empty when it is). Only
 * parses: formatting happens per locale when a player first asks for it.
 */
export function messageProblems(message: string, allowed: ReadonlySet<string>): string[] {
  let ast: MessageFormatElement[];
  try {
    ast = parse(message, PARSE_OPTIONS);
  } catch (error) {
    return [`does not parse: ${parseError(error)}`];
  }
  const problems: string[] = [];
  checkElements(ast, allowed, problems);
  return problems;
}

/**
 * One Intl formatter per (locale, options) for every message: IntlMessageFormat otherwise makes
 * its own per message, which was 0.19 ms of CPU each (2,000 messages: 390 ms → see docs).
 * Bounded: locales come from the file (≤ 64), options from the messages' formats.
 */
function shared<A extends unknown[], T>(make: (...args: A) => T): (...args: A) => T {
  const made = new Map<string, T>();
  return (...args) => {
    const key = JSON.stringify(args);
    let value = made.get(key);
    if (value === undefined) {
      if (made.size >= 1000) made.clear();
      value = make(...args);
      made.set(key, value);
    }
    return value;
  };
}

const FORMATTERS = {
  getNumberFormat: shared(
    (locales?: string | string[], options?: Intl.NumberFormatOptions) =>
      new Intl.NumberFormat(locales, options),
  ),
  getDateTimeFormat: shared(
    (locales?: string | string[], options?: Intl.DateTimeFormatOptions) =>
      new Intl.DateTimeFormat(locales, options),
  ),
  getPluralRules: shared(
    (locales?: string | string[], options?: Intl.PluralRulesOptions) =>
      new Intl.PluralRules(locales, options),
  ),
};

/** Formats a message that passed messageProblems; a formatter failure yields null. */
export function formatMessage(
  message: string,
  locale: string,
  values: MessageValues,
): string | null {
  try {
    const formatted = new IntlMessageFormat(message, locale, undefined, {
      ...PARSE_OPTIONS,
      formatters: FORMATTERS as never,
    }).format(values);
    return typeof formatted === 'string' ? formatted : String(formatted);
  } catch {
    return null;
  }
}
