/** Localized text (SPEC §2.4): `name` / `description` as a map of locale → ICU message. */

/** Canonical BCP 47 locale tag → ICU MessageFormat message. */
export type LocaleMessages = Readonly<Record<string, string>>;

/** The maps of a goal or challenge whose text is localized; a plain string part is absent. */
export interface LocalizedTexts {
  name?: LocaleMessages;
  description?: LocaleMessages;
}

/** Set on Definitions when the file has `defaultLocale` or any locale map. */
export interface Localization {
  /** Ends every fallback chain; "en" unless the file says otherwise. */
  defaultLocale: string;
  /** Every locale some map has, plus the default, canonical and sorted. */
  locales: readonly string[];
  /** Lower-cased tag → canonical tag of `locales`, for negotiation without Intl calls. */
  lookup: ReadonlyMap<string, string>;
}

export const DEFAULT_LOCALE = 'en';

/** Bounds the per-locale caches: a file may not name more locales than this. */
export const MAX_LOCALES = 64;

/** The values a goal's messages may use: definition-level, so text is pre-encodable per locale. */
export const GOAL_MESSAGE_VARIABLES = [
  'target',
  'quantity',
  'rewardId',
  'rewardType',
  'statCode',
] as const;

/** The values a challenge's messages may use. */
export const CHALLENGE_MESSAGE_VARIABLES = ['goalCount'] as const;

export type MessageValues = Readonly<Record<string, string | number>>;
