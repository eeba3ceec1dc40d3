import { expect, test } from '@playwright/test';
import { E2E_INGEST_KEY, readDraftJson, signIn, stackUrls, trpcMutation } from './helpers';

test('the audience editor edits a challenge and a goal audience, with problems inline', async ({
  page,
}) => {
  await signIn(page);
  const original = await readDraftJson(page);
  try {
    const pool = page.getByRole('region', { name: /Goal Pool/ });
    const challengeAudience = pool.getByRole('group', { name: 'Challenge audience' });
    await challengeAudience.getByRole('checkbox', { name: 'Challenge audience' }).check();
    await challengeAudience.getByLabel('Rollout %').fill('150');
    await expect(challengeAudience.getByText('rolloutPercent must be at most 100')).toBeVisible();
    await challengeAudience.getByLabel('Rollout %').fill('25');
    await expect(challengeAudience.getByText('rolloutPercent must be at most 100')).toBeHidden();
    await challengeAudience.getByRole('button', { name: 'Add rule (all)' }).click();
    await challengeAudience.getByLabel('Attribute').fill('country');
    await challengeAudience.getByLabel('Values (comma separated)').fill('DE,FR');

    const goalAudience = page
      .locator('li[data-goal="pool-1"]')
      .getByRole('group', { name: 'Goal audience' });
    await goalAudience.getByRole('checkbox', { name: 'Goal audience' }).check();
    await goalAudience.getByLabel('Rollout %').fill('');
    await expect(goalAudience.getByText('audience needs all, any or rolloutPercent')).toBeVisible();
    await goalAudience.getByRole('button', { name: 'Add rule (any)' }).click();
    await goalAudience.getByLabel('Attribute').fill('level');
    await goalAudience.getByLabel('Operator').selectOption('gte');
    await goalAudience.getByLabel('Value', { exact: true }).fill('10');
    await expect(goalAudience.getByText('audience needs all, any or rolloutPercent')).toBeHidden();

    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page.getByText('valid', { exact: true })).toBeVisible();
    await page.reload();
    const saved = (await readDraftJson(page)).challenges.find((c) => c.challengeId === 'pool')!;
    expect((saved as Record<string, unknown>).audience).toEqual({
      rolloutPercent: 25,
      all: [{ attr: 'country', in: ['DE', 'FR'] }],
    });
    expect(saved.goals.find((g) => g.goalId === 'pool-1')?.audience).toEqual({
      any: [{ attr: 'level', gte: 10 }],
    });
    // The saved audience is back in the form after a reload.
    await expect(
      page
        .getByRole('region', { name: /Goal Pool/ })
        .getByRole('group', { name: 'Challenge audience' })
        .getByLabel('Values (comma separated)'),
    ).toHaveValue('DE, FR');

    // Switching it off removes the audience from the draft.
    await page
      .locator('li[data-goal="pool-1"]')
      .getByRole('checkbox', { name: 'Goal audience' })
      .uncheck();
    const off = (await readDraftJson(page)).challenges.find((c) => c.challengeId === 'pool')!;
    expect(off.goals.find((g) => g.goalId === 'pool-1')).not.toHaveProperty('audience');
  } finally {
    const restored = await trpcMutation(page, 'challenge.updateDraft', { content: original });
    expect(restored.status()).toBe(200);
  }
});

test('the player page shows the attributes the game backend set', async ({ page, request }) => {
  const userId = `e2e-attributes-${Date.now()}`;
  const { api, web } = stackUrls();
  const put = await request.put(`${api}/challenge/v1/players/${userId}/attributes`, {
    headers: { 'x-api-key': E2E_INGEST_KEY },
    data: { attributes: { country: 'DE', level: 12, vip: true } },
  });
  expect(put.status()).toBe(200);

  await signIn(page);
  await page.goto(`${web}/players`);
  await page.getByLabel('User id').fill(userId);
  await page.getByRole('button', { name: 'Look up' }).click();
  await expect(page.getByLabel('Player attributes')).toContainText('country"DE"');
  await expect(page.getByLabel('Player attributes')).toContainText('level12');
  await expect(page.getByLabel('Player attributes')).toContainText('viptrue');
  await expect(page.getByLabel('Player attributes').getByRole('definition')).toHaveCount(3);
});
