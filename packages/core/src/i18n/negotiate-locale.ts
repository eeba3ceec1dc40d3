import type { Localization } from './i18n.types.ts';
import { localeAncestry } from './locale-tags.ts';

// Bounds the work one header can cause: real browsers send a handful of entries.
const MAX_HEADER_LENGTH = 512;
const MAX_ENTRIES = 16;

/** The tag of `localization` that serves `tag` (exact, then shorter prefixes), or null. */
function match(localization: Localization, tag: string): string | null {
  for (const candidate of localeAncestry(tag.trim().toLowerCase())) {
    const found = localization.lookup.get(candidate);
    if (found !== undefined) return found;
  }
  return null;
}

interface Weighted {
  tag: string;
  q: number;
  order: number;
}

function parseAcceptLanguage(header: string): Weighted[] {
  const entries: Weighted[] = [];
  const parts = header.slice(0, MAX_HEADER_LENGTH).split(',', MAX_ENTRIES);
  parts.forEach((part, order) => {
    const [rawTag = '', ...params] = part.split(';');
    const tag = rawTag.trim();
    if (tag === '' || tag === '*') return;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=');
      if (key?.trim().toLowerCase() === 'q') q = Number(value?.trim());
    }
    if (Number.isFinite(q) && q > 0 && q <= 1) entries.push({ tag, q, order });
  });
  // Highest q first; equal q keep the header's order.
  return entries.sort((a, b) => b.q - a.q || a.order - b.order);
}

/**
 * The locale to answer in: `?locale=` if the definitions serve it, else the best served entry
 * of Accept-Language (q-values; `pt-BR` falls back to `pt`), else null (the default locale).
 * Definitions with text in one locale never look at either.
 */
export function negotiateLocale(options: {
  localization: Localization | undefined;
  query?: string | undefined;
  acceptLanguage?: string | undefined;
}): string | null {
  const { localization, query, acceptLanguage } = options;
  if (localization === undefined || localization.locales.length <= 1) return null;
  if (query) {
    const found = match(localization, query);
    if (found !== null) return found;
  }
  if (!acceptLanguage) return null;
  for (const entry of parseAcceptLanguage(acceptLanguage)) {
    const found = match(localization, entry.tag);
    if (found !== null) return found;
  }
  return null;
}
