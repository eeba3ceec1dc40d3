/** Locale tags: canonical form and the fallback chain `pt-BR` → `pt` → default. */

/** The canonical form of a BCP 47 tag (`pt-br` → `pt-BR`), or null when it is not one. */
export function canonicalLocale(tag: string): string | null {
  // `Intl.getCanonicalLocales` accepts `en_US`-like tags in no engine, but be explicit: a tag
  // is letters, digits and hyphens only, so header junk never reaches Intl.
  if (tag.length === 0 || tag.length > 35 || !/^[A-Za-z0-9-]+$/.test(tag)) return null;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

/** `zh-Hant-TW` → [`zh-Hant-TW`, `zh-Hant`, `zh`]: the tag, then each shorter prefix. */
export function localeAncestry(tag: string): string[] {
  const chain = [tag];
  let current = tag;
  for (let cut = current.lastIndexOf('-'); cut > 0; cut = current.lastIndexOf('-')) {
    current = current.slice(0, cut);
    chain.push(current);
  }
  return chain;
}

/**
 * The message of `messages` for `locale` and the tag it was written for: the locale, its
 * ancestry, then the default.
 */
export function pickMessage(
  messages: Readonly<Record<string, string>>,
  locale: string,
  defaultLocale: string,
): { locale: string; message: string } | undefined {
  for (const tag of [...localeAncestry(locale), defaultLocale]) {
    const message = messages[tag];
    if (message !== undefined) return { locale: tag, message };
  }
  return undefined;
}
