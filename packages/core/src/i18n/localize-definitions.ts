import type { ChallengeDef, Definitions, GoalDef } from '../definitions/definitions.types.ts';
import { indexDefinitions } from '../definitions/parse-definitions.ts';
import type { ChallengeView, GoalView } from '../response/goal-view.ts';
import type { LocaleMessages, LocalizedTexts, MessageValues } from './i18n.types.ts';
import { formatMessage } from './icu-message.ts';
import { pickMessage } from './locale-tags.ts';
import { challengeMessageValues, goalMessageValues } from './resolve-texts.ts';

/**
 * Definitions as players of one locale see them: the same goals, rules and ids, with name and
 * description formatted for that locale. The pre-encoded response pieces (json-fragments.ts,
 * the gRPC wire pieces) are cached per Definitions object, so each locale gets its own pieces,
 * built when a player first asks in it and dropped with the definitions version.
 */
const cache = new WeakMap<Definitions, Map<string, Definitions>>();

/** True when the definitions have text in more than one locale (else every locale is default). */
export function isLocalized(definitions: Definitions): boolean {
  return definitions.localization !== undefined && definitions.localization.locales.length > 1;
}

function localizedText(
  messages: LocaleMessages | undefined,
  fallback: string,
  options: { locale: string; defaultLocale: string; values: MessageValues },
): string {
  if (messages === undefined) return fallback;
  const picked = pickMessage(messages, options.locale, options.defaultLocale);
  if (picked === undefined) return fallback;
  // Plural rules and digits follow the language the message is written in: an English
  // fallback for a German player still says "1 enemy", not German-formatted numbers.
  return formatMessage(picked.message, picked.locale, options.values) ?? fallback;
}

function localize<T extends { name: string; description: string; text?: LocalizedTexts }>(
  entity: T,
  options: { locale: string; defaultLocale: string; values: MessageValues },
): T {
  const text = entity.text;
  if (text === undefined) return entity;
  return Object.freeze({
    ...entity,
    name: localizedText(text.name, entity.name, options),
    description: localizedText(text.description, entity.description, options),
  });
}

function buildLocalized(definitions: Definitions, locale: string): Definitions {
  const defaultLocale = definitions.localization?.defaultLocale ?? locale;
  const challenges: ChallengeDef[] = definitions.challenges.map((challenge) => {
    const goals = challenge.goals.map(
      (goal): GoalDef => localize(goal, { locale, defaultLocale, values: goalMessageValues(goal) }),
    );
    const values = challengeMessageValues({ goalCount: challenge.goals.length });
    return localize(
      { ...challenge, goals: Object.freeze(goals) },
      {
        locale,
        defaultLocale,
        values,
      },
    );
  });
  return indexDefinitions(challenges, definitions.localization);
}

/**
 * The definitions for `locale` (a tag of `definitions.localization.locales`, as negotiateLocale
 * returns it). The default locale, null, and any tag the definitions do not name give back the
 * definitions themselves: only the file's own locales ever enter the cache, so it is bounded.
 */
export function localizedDefinitions(definitions: Definitions, locale: string | null): Definitions {
  const localization = definitions.localization;
  if (locale === null || localization === undefined || locale === localization.defaultLocale) {
    return definitions;
  }
  let byLocale = cache.get(definitions);
  const cached = byLocale?.get(locale);
  if (cached !== undefined) return cached;
  if (!localization.locales.includes(locale)) return definitions;
  const built = buildLocalized(definitions, locale);
  if (byLocale === undefined) {
    byLocale = new Map();
    cache.set(definitions, byLocale);
  }
  byLocale.set(locale, built);
  return built;
}

/** A player's goal view with the goal's text of `localized` (from localizedDefinitions). */
export function localizeGoalView(view: GoalView, localized: Definitions): GoalView {
  const goal = localized.goalsById.get(view.goal.goalId);
  return goal === undefined || goal === view.goal ? view : { ...view, goal };
}

export function localizeChallengeViews(
  views: readonly ChallengeView[],
  localized: Definitions,
): ChallengeView[] {
  return views.map((view) => ({
    challenge: localized.challengesById.get(view.challenge.challengeId) ?? view.challenge,
    goals: view.goals.map((goal) => localizeGoalView(goal, localized)),
  }));
}
