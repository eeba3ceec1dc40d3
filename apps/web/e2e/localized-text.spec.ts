import { expect, test } from '@playwright/test';
import { readDraftJson, signIn, trpcMutation } from './helpers';

test('a goal name gets per-locale ICU messages in tabs, validated inline, saved as a locale map', async ({
  page,
}) => {
  await signIn(page);
  const original = await readDraftJson(page);
  try {
    const goal = page.locator('li[data-goal="pool-1"]');
    const name = goal.locator('[data-localized-text="Name"]');
    const plain = await name.getByLabel('Name', { exact: true }).inputValue();

    await name.getByLabel('New locale').fill('de');
    await name.getByRole('button', { name: '+ locale' }).click();
    await expect(name.getByRole('tab')).toHaveText(['en', 'de']);
    await expect(name.getByRole('tab', { name: 'de' })).toHaveAttribute('aria-selected', 'true');

    // A message that does not parse is named by locale, under the field, while typing.
    await name.getByLabel('Name (de)').fill('Besiege {target');
    await expect(name.getByRole('alert')).toHaveText(
      /name \(de\) does not parse: EXPECT_ARGUMENT_CLOSING_BRACE/,
    );
    await name.getByLabel('Name (de)').fill('{target, plural, one {# Sieg} other {# Siege}}');
    await expect(name.getByRole('alert')).toHaveCount(0);
    await name.getByRole('tab', { name: 'en' }).click();
    await expect(name.getByLabel('Name (en)')).toHaveValue(plain);

    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page.getByText('valid', { exact: true })).toBeVisible();
    await page.reload();
    const saved = (await readDraftJson(page)).challenges.find((c) => c.challengeId === 'pool')!;
    expect(saved.goals.find((g) => g.goalId === 'pool-1')?.name).toEqual({
      en: plain,
      de: '{target, plural, one {# Sieg} other {# Siege}}',
    });

    // Removing the last other locale turns the map back into the plain string.
    const again = page.locator('li[data-goal="pool-1"] [data-localized-text="Name"]');
    await again.getByRole('tab', { name: 'de' }).click();
    await again.getByRole('button', { name: 'Remove locale de' }).click();
    await expect(again.getByRole('tab')).toHaveCount(0);
    await expect(again.getByLabel('Name', { exact: true })).toHaveValue(plain);
  } finally {
    const restored = await trpcMutation(page, 'challenge.updateDraft', { content: original });
    expect(restored.status()).toBe(200);
  }
});
