// Localized name/description in a draft (SPEC §2.4): a plain string, or locale → ICU message.

export type LocalizedDraftText = string | Record<string, string>;

export const DEFAULT_LOCALE = 'en';

/** The draft's default locale (`defaultLocale` at the top of the file, "en" when unset). */
export function draftDefaultLocale(content: Record<string, unknown>): string {
  return typeof content.defaultLocale === 'string' && content.defaultLocale !== ''
    ? content.defaultLocale
    : DEFAULT_LOCALE;
}

/** The text to show for a name in lists and headings: the default locale's message. */
export function displayText(
  value: LocalizedDraftText | undefined,
  defaultLocale = DEFAULT_LOCALE,
): string {
  if (value === undefined || typeof value === 'string') return value ?? '';
  return value[defaultLocale] ?? Object.values(value)[0] ?? '';
}

/** The locales of a map value, the default locale first. */
export function localesOf(value: Record<string, string>, defaultLocale: string): string[] {
  const rest = Object.keys(value).filter((locale) => locale !== defaultLocale);
  return defaultLocale in value ? [defaultLocale, ...rest] : rest;
}

/** Adds a locale (empty message); a plain string becomes the default locale's message. */
export function addLocale(
  value: LocalizedDraftText | undefined,
  locale: string,
  defaultLocale: string,
): Record<string, string> {
  const map = typeof value === 'object' ? { ...value } : { [defaultLocale]: value ?? '' };
  if (!(locale in map)) map[locale] = '';
  return map;
}

/** Removes a locale; a map left with only the default locale becomes a plain string again. */
export function removeLocale(
  value: Record<string, string>,
  locale: string,
  defaultLocale: string,
): LocalizedDraftText {
  const { [locale]: _removed, ...rest } = value;
  const keys = Object.keys(rest);
  if (keys.length === 1 && keys[0] === defaultLocale) return rest[defaultLocale] ?? '';
  return rest;
}
