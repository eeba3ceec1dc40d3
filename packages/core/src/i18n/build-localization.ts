import { DEFAULT_LOCALE, type Localization, MAX_LOCALES } from './i18n.types.ts';
import { canonicalLocale } from './locale-tags.ts';

/** The file's `defaultLocale` in canonical form ("en" when absent), or null when invalid. */
export function resolveDefaultLocale(declared: string | undefined): string | null {
  return declared === undefined ? DEFAULT_LOCALE : canonicalLocale(declared);
}

/**
 * The definitions' Localization, or undefined for a file without `defaultLocale` and without
 * any locale map (today's files: they keep today's code path). Adds a problem when the file
 * names more locales than the caches are bounded to.
 */
export function buildLocalization(options: {
  declared: boolean;
  defaultLocale: string;
  locales: ReadonlySet<string>;
  problems: string[];
}): Localization | undefined {
  const { declared, defaultLocale, locales, problems } = options;
  if (!declared && locales.size === 0) return undefined;
  const all = [...new Set([defaultLocale, ...locales])].sort();
  if (all.length > MAX_LOCALES) {
    problems.push(`at most ${MAX_LOCALES} locales are allowed (found ${all.length})`);
  }
  const lookup = new Map(all.map((locale) => [locale.toLowerCase(), locale]));
  return Object.freeze({ defaultLocale, locales: Object.freeze(all), lookup });
}
