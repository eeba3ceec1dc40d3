import { describe, expect, it } from 'vitest';
import { buildLocalization } from './build-localization.ts';
import { negotiateLocale } from './negotiate-locale.ts';

const localization = buildLocalization({
  declared: true,
  defaultLocale: 'en',
  locales: new Set(['de', 'pt', 'pt-BR', 'zh-Hant']),
  problems: [],
});
const pick = (acceptLanguage?: string, query?: string) =>
  negotiateLocale({ localization, acceptLanguage, query });

describe('negotiateLocale', () => {
  it('takes ?locale= before Accept-Language, and falls through when it is not served', () => {
    expect(pick('de', 'pt')).toBe('pt');
    expect(pick('de', 'ja')).toBe('de');
    expect(pick(undefined, 'PT-br')).toBe('pt-BR');
  });

  it('orders Accept-Language by q and falls back along the tag', () => {
    expect(pick('fr;q=1, de;q=0.5, pt;q=0.8')).toBe('pt');
    expect(pick('pt-PT, de')).toBe('pt');
    expect(pick('zh-Hant-TW')).toBe('zh-Hant');
    expect(pick('ja, *;q=0.1')).toBeNull();
    expect(pick('de;q=0, pt;q=0.1')).toBe('pt');
    expect(pick('de;q=abc')).toBeNull();
    expect(pick('')).toBeNull();
  });

  it('never looks at the request when the definitions have a single locale', () => {
    const single = buildLocalization({
      declared: true,
      defaultLocale: 'en',
      locales: new Set(['en']),
      problems: [],
    });
    expect(negotiateLocale({ localization: single, acceptLanguage: 'en' })).toBeNull();
    expect(negotiateLocale({ localization: undefined, query: 'de' })).toBeNull();
  });

  it('bounds the work of a long header', () => {
    const header = `${'xx;q=0.9,'.repeat(5000)}de`;
    expect(pick(header)).toBeNull();
  });
});
