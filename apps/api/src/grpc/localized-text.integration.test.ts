import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/test-api.ts';
import { type IndependentClient, independentClient } from './testing/independent-client.ts';

// The example file of localized text: goal `defeat-one` (target 1) and `defeat-five` (target 5)
// in en, de, pt and pt-BR (defeat-one only), `log-in` with an en/fr description.
const I18N_FILE = fileURLToPath(
  new URL('../../../../fixtures/challenges.i18n.json', import.meta.url),
);

let t: TestApi;
let client: IndependentClient;

beforeAll(async () => {
  t = await startTestApi({ CHALLENGES_FILE: I18N_FILE });
  client = independentClient(t.grpcAddress);
});
afterAll(async () => {
  client?.close();
  await t?.close();
});

type Texts = { challenge: string[]; goals: string[][] };

async function restList(user: string, query = '', headers: Record<string, string> = {}) {
  const res = await t.call('GET', `/challenge/v1/challenges${query}`, { user, headers });
  expect(res.status).toBe(200);
  const [challenge] = res.body.challenges;
  return {
    challenge: [challenge.name, challenge.description],
    goals: challenge.goals.map((g: any) => [g.name, g.description]),
  } satisfies Texts;
}

async function grpcList(user: string, acceptLanguage?: string): Promise<Texts> {
  const metadata: Record<string, string> = acceptLanguage
    ? { 'accept-language': acceptLanguage }
    : {};
  const answer = await client.call('getUserChallenges', {}, { user, metadata });
  if (!answer.ok) throw new Error(answer.details);
  const [challenge] = answer.value.challenges;
  return {
    challenge: [challenge.name, challenge.description],
    goals: challenge.goals.map((g: any) => [g.name, g.description]),
  };
}

const PLAIN = 'Plain text stays the same in every locale';
const EN: Texts = {
  challenge: ['Winter Hunt', '3 goals this winter'],
  goals: [
    ['Defeat 1 enemy', 'Earn 10 GEMS'],
    ['Defeat 5 enemies', PLAIN],
    ['Log in', 'An item as a reward'],
  ],
};
const DE: Texts = {
  challenge: ['Winterjagd', '3 Ziele in diesem Winter'],
  goals: [
    ['Besiege 1 Gegner', 'Verdiene 10 GEMS'],
    ['Besiege 5 Gegner', PLAIN],
    ['Log in', 'An item as a reward'],
  ],
};
// pt-BR: its own text for defeat-one, pt for defeat-five, en where pt has nothing.
const PT_BR: Texts = {
  challenge: ['Caçada de Inverno', '3 goals this winter'],
  goals: [
    ['Derrote 1 inimigo no Brasil', 'Earn 10 GEMS'],
    ['Derrote 5 inimigos', PLAIN],
    ['Log in', 'An item as a reward'],
  ],
};

describe('localized goal text through the real api', () => {
  it('REST: default locale without a header, Accept-Language with q-values, ?locale= first', async () => {
    expect(await restList('i18n-rest')).toEqual(EN);
    expect(await restList('i18n-rest', '', { 'accept-language': 'de' })).toEqual(DE);
    expect(
      await restList('i18n-rest', '', { 'accept-language': 'ja, pt-BR;q=0.8, de;q=0.5' }),
    ).toEqual(PT_BR);
    expect(await restList('i18n-rest', '?locale=de', { 'accept-language': 'pt-BR' })).toEqual(DE);
    expect(await restList('i18n-rest', '?locale=pt-br')).toEqual(PT_BR);
    // Unknown locales and junk fall back to the default locale.
    expect(
      await restList('i18n-rest', '?locale=xx', { 'accept-language': '*;q=0.1, ;;,' }),
    ).toEqual(EN);
  });

  it('REST: the fallback chain ends in the default locale, and a region falls back to its language', async () => {
    const fr = await restList('i18n-rest', '', { 'accept-language': 'fr-CA' });
    expect(fr.goals).toEqual([
      ['Defeat 1 enemy', 'Earn 10 GEMS'],
      ['Defeat 5 enemies', PLAIN],
      ['Log in', 'Un objet en récompense'],
    ]);
    expect(fr.challenge).toEqual(EN.challenge);
    expect(await restList('i18n-rest', '?locale=pt-PT')).toEqual({
      ...PT_BR,
      goals: [['Derrote 1 inimigo', 'Earn 10 GEMS'], ...PT_BR.goals.slice(1)],
    });
  });

  it('REST: initialize and batch-select answer in the asked locale', async () => {
    const init = await t.call('POST', '/challenge/v1/challenges/initialize', {
      user: 'i18n-init',
      headers: { 'accept-language': 'de-DE,de;q=0.9' },
    });
    expect(init.status).toBe(200);
    expect(init.body.assignedGoals.map((g: any) => g.name)).toEqual([
      'Besiege 1 Gegner',
      'Besiege 5 Gegner',
    ]);
    const select = await t.call(
      'POST',
      '/challenge/v1/challenges/winter-hunt/goals/batch-select?locale=fr',
      {
        user: 'i18n-init',
        body: { goalIds: ['log-in'] },
      },
    );
    expect(select.status).toBe(200);
    expect(select.body.selectedGoals[0].description).toBe('Un objet en récompense');
  });

  it('gRPC: metadata accept-language picks the locale, as REST does', async () => {
    expect(await grpcList('i18n-grpc')).toEqual(EN);
    expect(await grpcList('i18n-grpc', 'de')).toEqual(DE);
    expect(await grpcList('i18n-grpc', 'pt-BR, de;q=0.5')).toEqual(PT_BR);
    const init = await client.call(
      'initializePlayer',
      {},
      { user: 'i18n-grpc', metadata: { 'accept-language': 'pt' } },
    );
    if (!init.ok) throw new Error(init.details);
    expect(init.value.assignedGoals.map((g: any) => g.name)).toEqual([
      'Derrote 1 inimigo',
      'Derrote 5 inimigos',
    ]);
    const select = await client.call(
      'batchSelectGoals',
      { challengeId: 'winter-hunt', goalIds: ['log-in'] },
      { user: 'i18n-grpc', metadata: { 'accept-language': 'fr' } },
    );
    if (!select.ok) throw new Error(select.details);
    expect(select.value.selectedGoals[0].description).toBe('Un objet en récompense');
  });
});
