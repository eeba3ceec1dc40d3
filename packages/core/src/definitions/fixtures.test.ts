import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDefinitions, parseDefinitionsJson } from './parse-definitions.ts';
import { serializeDefinitions } from './serialize-definitions.ts';

// Copies of the original service's config files, kept byte for byte.
const fixturesDir = new URL('../../../../fixtures/', import.meta.url);
const fixtureNames = readdirSync(fixturesDir).filter((name) => name.endsWith('.json'));
const load = (name: string) =>
  parseDefinitionsJson(readFileSync(new URL(name, fixturesDir), 'utf8'));

describe('fixtures of the original service', () => {
  it('are all present', () => {
    expect(fixtureNames.sort()).toEqual([
      'challenges.loadtest-500.json',
      'challenges.m4-e2e.json',
      'challenges.m5-integration.json',
      'challenges.m5.json',
      'challenges.variants.json',
    ]);
  });

  it.each(fixtureNames)(
    '%s loads unchanged and round-trips through serializeDefinitions',
    (name) => {
      const defs = load(name);
      expect(defs.challenges.length).toBeGreaterThan(0);
      const again = parseDefinitions(serializeDefinitions(defs));
      expect(again).toEqual(defs);
      expect(serializeDefinitions(again)).toEqual(serializeDefinitions(defs));
      // A file written by export must survive JSON as well.
      expect(parseDefinitions(JSON.parse(JSON.stringify(serializeDefinitions(defs))))).toEqual(
        defs,
      );
    },
  );

  it('loadtest-500 has 10 challenges of 50 goals', () => {
    const defs = load('challenges.loadtest-500.json');
    expect(defs.challenges).toHaveLength(10);
    expect(defs.challenges.every((c) => c.goals.length === 50)).toBe(true);
    expect(defs.goalsById.size).toBe(500);
    expect(defs.loginGoals).toHaveLength(100);
    const statGoals = [...defs.goalsByStatCode.values()].reduce(
      (sum, list) => sum + list.length,
      0,
    );
    expect(statGoals).toBe(400);
  });

  it('m5 reads legacy daily goals and rotations as the original does', () => {
    const defs = load('challenges.m5.json');
    expect(defs.challenges).toHaveLength(
      JSON.parse(readFileSync(new URL('challenges.m5.json', fixturesDir), 'utf8')).challenges
        .length,
    );
    const login = defs.goalsById.get('login-today')!;
    expect(login.completesOnFirstEvent).toBe(true);
    expect(login.rotation).toMatchObject({
      schedule: 'daily',
      resetProgress: true,
      allowReselection: true,
    });
    const monthly = defs.goalsById.get('monthly-kills-goal')!;
    expect(monthly.requirement.progressMode).toBe('relative');
    expect(monthly.rotation).toEqual({
      schedule: 'monthly',
      timezone: 'UTC',
      weekStartsOn: 'monday',
      resetProgress: true,
      allowReselection: true,
    });
    expect(defs.goalsById.get('kill-10-snowmen')?.prerequisites).toEqual(['complete-tutorial']);
  });

  it('m5-integration: progressMode relative wins over type absolute', () => {
    const defs = load('challenges.m5-integration.json');
    const goal = defs.goalsById.get('weekly-wins-no-reset')!;
    expect(goal.requirement.progressMode).toBe('relative');
    expect(goal.rotation).toMatchObject({ schedule: 'weekly', resetProgress: false });
  });

  it('m4-e2e: ten legacy daily goals', () => {
    const defs = load('challenges.m4-e2e.json');
    const daily = [...defs.goalsById.values()].filter((g) => g.completesOnFirstEvent);
    expect(daily).toHaveLength(10);
  });
});
