import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import {
  type DraftFile,
  E2E_INGEST_KEY,
  screenshot,
  signIn,
  stackUrls,
  trpcMutation,
  trpcQuery,
} from './helpers';

// The A/B funnel (docs/definitions.md, "A/B variants"): the variants fixture's challenge is
// published next to the stack's own, real players are assigned through the api, progress
// through events and the worker, claim — and the Funnels page follows, polling every 5 s.
const FIXTURE = new URL('../../../fixtures/challenges.variants.json', import.meta.url);

async function publishVariantsChallenge(page: Page) {
  const live = await trpcQuery<{ content: DraftFile }>(page, 'challenge.export', {});
  if (live.content.challenges.some((c) => c.challengeId === 'arena-ab')) return;
  const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as DraftFile;
  const content = { challenges: [...live.content.challenges, ...fixture.challenges] };
  const res = await trpcMutation(page, 'challenge.import', { content, publish: true });
  expect(res.status(), await res.text()).toBe(200);
}

interface FunnelCounts {
  variantId: string;
  assigned: number;
  completed: number;
  claimed: number;
}

const stage = (page: Page, row: string, name: string) =>
  page.locator(`tr[data-funnel="${row}"] [data-stage="${name}"]`);

test('the funnel per goal and variant follows real players through assignment, progress and claim', async ({
  page,
  request,
}) => {
  const { api, web } = stackUrls();
  await signIn(page);
  await publishVariantsChallenge(page);

  const run = Date.now();
  const byVariant = new Map<string, string[]>();
  for (let i = 0; i < 12; i++) {
    const user = `e2e-ab-${run}-${i}`;
    // The api reloads definitions within 2 s of a publish: until then kills-ab is unknown.
    await expect(async () => {
      const res = await request.post(`${api}/challenge/v1/challenges/initialize`, {
        headers: { 'x-mock-user-id': user },
      });
      const goals = (
        (await res.json()) as { assignedGoals: { goalId: string; variantId?: string }[] }
      ).assignedGoals;
      const kills = goals.find((g) => g.goalId === 'kills-ab');
      expect(kills?.variantId).toMatch(/^(easy|hard)$/);
      byVariant.set(kills!.variantId!, [...(byVariant.get(kills!.variantId!) ?? []), user]);
    }).toPass();
  }
  const easy = byVariant.get('easy') ?? [];
  const hard = byVariant.get('hard') ?? [];
  expect(easy.length).toBeGreaterThan(0);

  await page.getByRole('link', { name: 'Funnels' }).click();
  await expect(page.getByRole('heading', { name: 'Funnels', level: 1 })).toBeVisible();
  await page.getByLabel('Challenge', { exact: true }).selectOption('arena-ab');
  await expect(page).toHaveURL(/challenge=arena-ab/);
  await expect(
    page.locator('[data-testid="funnel-chart"] .recharts-wrapper > svg').first(),
  ).toBeVisible();
  // Players from earlier runs on this stack count too: compare with what the api says.
  const before = await trpcQuery<{ goals: { goalId: string; variants: FunnelCounts[] }[] }>(
    page,
    'challenge.funnel',
    { challengeId: 'arena-ab' },
  );
  const easyBefore = before.goals[0]!.variants.find((v) => v.variantId === 'easy')!;
  await expect(stage(page, 'kills-ab/easy', 'assigned')).toHaveText(String(easyBefore.assigned));
  expect(easyBefore.assigned).toBeGreaterThanOrEqual(easy.length);
  expect(
    before.goals[0]!.variants.find((v) => v.variantId === 'hard')!.assigned,
  ).toBeGreaterThanOrEqual(hard.length);

  // One easy player kills twice: completed at the variant's target of 2.
  const player = easy[0]!;
  const events = [1, 2].map((n) => ({
    id: `${player}-kill-${n}`,
    type: 'stat',
    userId: player,
    statCode: 'ab_kills',
    inc: 1,
  }));
  const sent = await request.post(`${api}/challenge/v1/events`, {
    headers: { 'x-api-key': E2E_INGEST_KEY },
    data: { events },
  });
  expect(sent.status()).toBe(202);
  await expect(stage(page, 'kills-ab/easy', 'completed')).toHaveText(
    String(easyBefore.completed + 1),
    { timeout: 20_000 },
  );

  const claimed = await request.post(
    `${api}/challenge/v1/challenges/arena-ab/goals/kills-ab/claim`,
    { headers: { 'x-mock-user-id': player } },
  );
  expect(claimed.status()).toBe(200);
  expect(await claimed.json()).toMatchObject({ variantId: 'easy', reward: { quantity: 10 } });
  await expect(stage(page, 'kills-ab/easy', 'claimed')).toHaveText(String(easyBefore.claimed + 1), {
    timeout: 20_000,
  });
  await expect(page.locator('tr[data-funnel="kills-ab/easy"]')).toContainText('10 × GOLD');
  await screenshot(page, 'funnels');
  expect(web).toBeTruthy();
});
