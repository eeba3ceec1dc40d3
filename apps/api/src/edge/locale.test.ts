import { readFileSync } from 'node:fs';
import { parseDefinitions } from '@challenges/core';
import { describe, expect, it } from 'vitest';
import { definitionsForLocale } from './locale.ts';

const i18n = parseDefinitions(
  JSON.parse(
    readFileSync(new URL('../../../../fixtures/challenges.i18n.json', import.meta.url), 'utf8'),
  ),
);
const plain = parseDefinitions(
  JSON.parse(
    readFileSync(new URL('../../../../fixtures/challenges.m5.json', import.meta.url), 'utf8'),
  ),
);
const untouched = () => {
  throw new Error('the request was read');
};

describe('definitionsForLocale', () => {
  it('gives plain-string definitions back without reading the request', () => {
    expect(definitionsForLocale(plain, untouched)).toBe(plain);
  });

  it('reads ?locale= then Accept-Language, and takes a malformed query as absent', () => {
    const name = (hints: { query?: unknown; acceptLanguage?: string }) =>
      definitionsForLocale(i18n, () => hints).goalsById.get('defeat-five')!.name;
    expect(name({})).toBe('Defeat 5 enemies');
    expect(name({ acceptLanguage: 'de' })).toBe('Besiege 5 Gegner');
    expect(name({ query: { locale: 'pt' }, acceptLanguage: 'de' })).toBe('Derrote 5 inimigos');
    expect(name({ query: { locale: ['pt', 'de'] }, acceptLanguage: 'de' })).toBe(
      'Besiege 5 Gegner',
    );
    expect(name({ query: { locale: 'x'.repeat(100) } })).toBe('Defeat 5 enemies');
  });
});
