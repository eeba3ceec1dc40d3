import {
  CHALLENGE_MESSAGE_VARIABLES,
  GOAL_MESSAGE_VARIABLES,
  type LocaleMessages,
  type LocalizedTexts,
  type MessageValues,
} from './i18n.types.ts';
import { formatMessage, messageProblems } from './icu-message.ts';
import { canonicalLocale } from './locale-tags.ts';

const GOAL_VARIABLES: ReadonlySet<string> = new Set(GOAL_MESSAGE_VARIABLES);
const CHALLENGE_VARIABLES: ReadonlySet<string> = new Set(CHALLENGE_MESSAGE_VARIABLES);

export type TextInput = string | Readonly<Record<string, string>>;

interface FieldRule {
  field: 'name' | 'description';
  maxLength: number;
  /** Names may not be empty in any locale; descriptions may. */
  required: boolean;
}

export interface ResolvedTexts {
  /** In the default locale: what the dashboard, diffs and default-locale players see. */
  name: string;
  description: string;
  /** Set when name or description is a locale map. */
  text?: LocalizedTexts;
  /** Every locale the maps name (canonical). */
  locales: string[];
  /** Messages without the goal/challenge prefix. */
  problems: string[];
}

/** The values a goal's messages are formatted with (GOAL_MESSAGE_VARIABLES). */
export function goalMessageValues(goal: {
  requirement: { targetValue: number; statCode: string };
  reward: { quantity: number; rewardId: string; type: string };
}): MessageValues {
  return {
    target: goal.requirement.targetValue,
    quantity: goal.reward.quantity,
    rewardId: goal.reward.rewardId,
    rewardType: goal.reward.type,
    statCode: goal.requirement.statCode,
  };
}

export function challengeMessageValues(challenge: { goalCount: number }): MessageValues {
  return { goalCount: challenge.goalCount };
}

function resolveMap(
  input: Readonly<Record<string, string>>,
  rule: FieldRule,
  context: { defaultLocale: string; allowed: ReadonlySet<string> },
  problems: string[],
): LocaleMessages {
  const messages: Record<string, string> = {};
  for (const [tag, message] of Object.entries(input)) {
    const locale = canonicalLocale(tag);
    if (locale === null) {
      problems.push(`${rule.field}: '${tag}' is not a valid locale tag (e.g. "en", "pt-BR")`);
      continue;
    }
    if (messages[locale] !== undefined) {
      problems.push(`${rule.field}: locale '${locale}' is given more than once`);
      continue;
    }
    const where = `${rule.field} (${locale})`;
    if (rule.required && message.trim() === '') problems.push(`${where} must not be empty`);
    if (message.length > rule.maxLength) {
      problems.push(`${where} must have at most ${rule.maxLength} characters`);
    }
    for (const problem of messageProblems(message, context.allowed)) {
      problems.push(`${where} ${problem}`);
    }
    messages[locale] = message;
  }
  if (messages[context.defaultLocale] === undefined) {
    problems.push(`${rule.field} has no message for the default locale '${context.defaultLocale}'`);
  }
  return Object.freeze(messages);
}

function resolveTexts(
  input: { name: TextInput; description: TextInput },
  context: { defaultLocale: string; allowed: ReadonlySet<string>; values: MessageValues },
  limits: { nameLength: number; descriptionLength: number },
): ResolvedTexts {
  const problems: string[] = [];
  const text: LocalizedTexts = {};
  const locales = new Set<string>();
  const rules: FieldRule[] = [
    { field: 'name', maxLength: limits.nameLength, required: true },
    { field: 'description', maxLength: limits.descriptionLength, required: false },
  ];
  const plain: Record<'name' | 'description', string> = { name: '', description: '' };
  for (const rule of rules) {
    const value = input[rule.field];
    if (typeof value === 'string') {
      plain[rule.field] = value;
      continue;
    }
    const messages = resolveMap(value, rule, context, problems);
    text[rule.field] = messages;
    for (const locale of Object.keys(messages)) locales.add(locale);
  }
  const resolved: ResolvedTexts = { ...plain, locales: [...locales], problems };
  if (text.name === undefined && text.description === undefined) return resolved;
  resolved.text = Object.freeze(text);
  if (problems.length > 0) return resolved;
  // The default rendering is needed by every request without a locale: made now, not lazily.
  for (const rule of rules) {
    const messages = text[rule.field];
    if (messages === undefined) continue;
    const message = messages[context.defaultLocale] ?? '';
    const formatted = formatMessage(message, context.defaultLocale, context.values);
    if (formatted === null)
      problems.push(`${rule.field} (${context.defaultLocale}) does not format`);
    resolved[rule.field] = formatted ?? message;
  }
  return resolved;
}

/** The name/description of a schema-valid goal, resolved for the definitions' default locale. */
export function resolveGoalTexts(
  goal: Parameters<typeof goalMessageValues>[0] & { name: TextInput; description: TextInput },
  options: { defaultLocale: string; limits: { nameLength: number; descriptionLength: number } },
): ResolvedTexts {
  return resolveTexts(
    goal,
    {
      defaultLocale: options.defaultLocale,
      allowed: GOAL_VARIABLES,
      values: goalMessageValues(goal),
    },
    options.limits,
  );
}

export function resolveChallengeTexts(
  challenge: { name: TextInput; description: TextInput; goalCount: number },
  options: { defaultLocale: string; limits: { nameLength: number; descriptionLength: number } },
): ResolvedTexts {
  return resolveTexts(
    challenge,
    {
      defaultLocale: options.defaultLocale,
      allowed: CHALLENGE_VARIABLES,
      values: challengeMessageValues(challenge),
    },
    options.limits,
  );
}
