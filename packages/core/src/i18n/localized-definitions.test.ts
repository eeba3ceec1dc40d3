import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffDefinitions } from '../definitions/diff-definitions.ts';
import { definitionProblems, parseDefinitions } from '../definitions/parse-definitions.ts';
import { serializeDefinitions } from '../definitions/serialize-definitions.ts';
import { fragmentsOf } from '../response/json-fragments.ts';
import { isLocalized, localizedDefinitions } from './localize-definitions.ts';

const fixture = JSON.parse(
  readFileSync(new URL('../../../../fixtures/challenges.i18n.json', import.meta.url), 'utf8'),
);

const goal = (extra: Record<string, unknown>) => ({
  goalId: 'g1',
  name: 'Goal',
  eventSource: 'statistic',
  requirement: { statCode: 'kills', targetValue: 5, progressMode: 'increment' },
  reward: { type: 'ITEM', rewardId: 'sword', quantity: 2 },
  ...extra,
});
const file = (g: Record<string, unknown>, top: Record<string, unknown> = {}) => ({
  ...top,
  challenges: [{ challengeId: 'c1', name: 'C', goals: [goal(g)] }],
});

describe('localized name and description', () => {
  it('the example fixture loads, round-trips through export and renders each locale', () => {
    const defs = parseDefinitions(fixture);
    expect(isLocalized(defs)).toBe(true);
    expect(parseDefinitions(JSON.parse(JSON.stringify(serializeDefinitions(defs))))).toEqual(defs);
    const names = (locale: string | null) =>
      localizedDefinitions(defs, locale).challenges[0]!.goals.map((g) => g.name);
    expect(names(null)).toEqual(['Defeat 1 enemy', 'Defeat 5 enemies', 'Log in']);
    expect(names('de')).toEqual(['Besiege 1 Gegner', 'Besiege 5 Gegner', 'Log in']);
    // pt-BR has its own text for one goal and falls back to pt for the other.
    expect(names('pt-BR')).toEqual(['Derrote 1 inimigo no Brasil', 'Derrote 5 inimigos', 'Log in']);
    expect(localizedDefinitions(defs, 'fr').challenges[0]!.description).toBe('3 goals this winter');
  });

  it('builds one localized set per locale, cached, and never for a locale the file lacks', () => {
    const defs = parseDefinitions(fixture);
    const de = localizedDefinitions(defs, 'de');
    expect(localizedDefinitions(defs, 'de')).toBe(de);
    expect(fragmentsOf(de)).not.toBe(fragmentsOf(defs));
    expect(localizedDefinitions(defs, 'xx')).toBe(defs);
    expect(localizedDefinitions(defs, 'en')).toBe(defs);
    // Rules see the same goals: only text differs.
    expect(de.goalsById.get('defeat-five')!.requirement).toEqual(
      defs.goalsById.get('defeat-five')!.requirement,
    );
  });

  it('plain-string files have no localization and export no defaultLocale', () => {
    const defs = parseDefinitions(file({}));
    expect(defs.localization).toBeUndefined();
    expect(isLocalized(defs)).toBe(false);
    expect(serializeDefinitions(defs)).not.toHaveProperty('defaultLocale');
    expect(localizedDefinitions(defs, 'de')).toBe(defs);
  });

  it('uses the default locale of the file and canonical locale keys', () => {
    const defs = parseDefinitions(
      file({ name: { DE: 'Ziel {target}', 'pt-br': 'Meta {target}' } }, { defaultLocale: 'de' }),
    );
    expect(defs.goalsById.get('g1')!.name).toBe('Ziel 5');
    expect(defs.localization!.locales).toEqual(['de', 'pt-BR']);
    expect(serializeDefinitions(defs).challenges[0]!.goals[0]!.name).toEqual({
      de: 'Ziel {target}',
      'pt-BR': 'Meta {target}',
    });
  });

  it('reports a missing default locale, a bad tag and an unparsable message by goal and locale', () => {
    const problems = definitionProblems(
      file({
        name: { de: 'Besiege {target', en_US: 'x' },
        description: { en: 'Win {prize}', de: '{rewardId, plural, one {#} other {#}}' },
      }),
    );
    expect(problems).toEqual([
      "invalid goal 'g1' in challenge 'c1': name (de) does not parse: EXPECT_ARGUMENT_CLOSING_BRACE at line 1, column 9",
      `invalid goal 'g1' in challenge 'c1': name: 'en_US' is not a valid locale tag (e.g. "en", "pt-BR")`,
      "invalid goal 'g1' in challenge 'c1': name has no message for the default locale 'en'",
      "invalid goal 'g1' in challenge 'c1': description (en) uses unknown variable {prize} (available: target, quantity, rewardId, rewardType, statCode)",
      "invalid goal 'g1' in challenge 'c1': description (de) formats {rewardId} as a number",
    ]);
  });

  it('reports challenge text, a bad defaultLocale and a wrong type', () => {
    expect(
      definitionProblems({
        challenges: [{ challengeId: 'c1', name: { de: 'C' }, goals: [goal({})] }],
      }),
    ).toEqual(["invalid challenge 'c1': name has no message for the default locale 'en'"]);
    expect(definitionProblems(file({}, { defaultLocale: 'not a tag' }))).toEqual([
      `defaultLocale 'not a tag' is not a valid locale tag (e.g. "en")`,
    ]);
    expect(definitionProblems(file({ name: 5 }))).toEqual([
      "invalid goal 'g1' in challenge 'c1': name must be a string or an object of locale to message",
    ]);
    expect(definitionProblems(file({ name: { en: ' ' } }))).toEqual([
      "invalid goal 'g1' in challenge 'c1': name (en) must not be empty",
    ]);
  });

  it('diffs a change of one locale as its own field', () => {
    const before = parseDefinitions(file({ name: { en: 'A', de: 'B' } }));
    const after = parseDefinitions(file({ name: { en: 'A', de: 'C' } }));
    expect(diffDefinitions(before, after).goals.changed[0]!.changes).toEqual([
      { field: 'name.de', before: 'B', after: 'C' },
    ]);
    const moved = parseDefinitions(file({ name: { en: 'A', de: 'B' } }, { defaultLocale: 'de' }));
    expect(diffDefinitions(before, moved).defaultLocale).toEqual({ before: 'en', after: 'de' });
    expect(diffDefinitions(before, moved).identical).toBe(false);
  });
});
