import { expect, test } from '@playwright/test';
import { readDraftJson, signIn, trpcMutation } from './helpers';

test('every field of a challenge and a goal is edited in the form and saved in the draft', async ({
  page,
}) => {
  await signIn(page);
  const original = await readDraftJson(page);
  try {
    const pool = page.getByRole('region', { name: /Goal Pool/ });
    await pool.getByLabel('Challenge name').fill('Goal Pool X');
    await pool.getByLabel('Challenge description').fill('Pick any');

    const goal = page.locator('li[data-goal="pool-1"]');
    await goal.getByLabel('Name', { exact: true }).fill('Pool one');
    await goal.getByLabel('Description').fill('The first of the pool');
    await goal.getByLabel('Event source').selectOption('login');
    await goal.getByLabel('Stat code').fill('stat_one');
    await goal.getByLabel('Progress mode').selectOption('increment');
    await goal.getByLabel(/Target/).fill('7');
    await goal.getByLabel('Legacy type').selectOption('increment');
    await goal.getByLabel('Daily', { exact: true }).check();
    await goal.getByLabel('Reward type').selectOption('ITEM');
    await goal.getByLabel('Reward', { exact: true }).fill('shield-2');
    await goal.getByLabel('Qty').fill('3');
    await goal.getByLabel('Assigned by default').check();
    await goal.getByLabel('Add prerequisite').selectOption('pool-2');
    await goal.getByLabel('Rotation', { exact: true }).check();
    await goal.getByLabel('Schedule').selectOption('weekly');
    await goal.getByLabel('Time zone').fill('Europe/Paris');
    await goal.getByLabel('Week starts on').selectOption('sunday');
    await goal.getByLabel('Reset progress when a period ends').check();
    await goal.getByLabel('Allow selecting it again when a period ends').check();
    // A renamed goal takes the prerequisites that name it along.
    await page.locator('li[data-goal="pool-2"]').getByLabel('Goal id').fill('pool-two');
    await expect(goal.getByRole('listitem').filter({ hasText: 'pool-two' })).toBeVisible();

    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page.getByText('valid', { exact: true })).toBeVisible();
    await page.reload();
    await expect(page.locator('li[data-goal="pool-1"]')).toBeVisible();
    const saved = (await readDraftJson(page)).challenges.find((c) => c.challengeId === 'pool')!;
    expect(saved).toMatchObject({ name: 'Goal Pool X', description: 'Pick any' });
    expect(saved.goals.map((g) => g.goalId)).toContain('pool-two');
    expect(saved.goals.find((g) => g.goalId === 'pool-1')).toEqual({
      goalId: 'pool-1',
      name: 'Pool one',
      description: 'The first of the pool',
      eventSource: 'login',
      requirement: {
        statCode: 'stat_one',
        operator: '>=',
        targetValue: 7,
        progressMode: 'increment',
      },
      reward: { type: 'ITEM', rewardId: 'shield-2', quantity: 3 },
      prerequisites: ['pool-two'],
      defaultAssigned: true,
      type: 'increment',
      daily: true,
      rotation: {
        enabled: true,
        type: 'global',
        schedule: 'weekly',
        timezone: 'Europe/Paris',
        weekStartsOn: 'sunday',
        onExpiry: { resetProgress: true, allowReselection: true },
      },
    });

    // Rotation off keeps its settings for later, as the format's own "no rotation".
    await page.locator('li[data-goal="pool-1"]').getByLabel('Rotation', { exact: true }).uncheck();
    const off = (await readDraftJson(page)).challenges.find((c) => c.challengeId === 'pool')!;
    expect(off.goals.find((g) => g.goalId === 'pool-1')?.rotation).toMatchObject({
      enabled: false,
      schedule: 'weekly',
    });
  } finally {
    const restored = await trpcMutation(page, 'challenge.updateDraft', { content: original });
    expect(restored.status()).toBe(200);
  }
});

test('a problem shows under its field while typing, before any save', async ({ page }) => {
  await signIn(page);
  const kill10 = page.locator('li[data-goal="kill-10"]');
  const target = kill10.getByLabel(/Target/);
  await target.fill('0');
  await expect(kill10.getByText('targetValue must be positive')).toBeVisible();
  await expect(target).toHaveAttribute('aria-invalid', 'true');
  await kill10.getByLabel('Stat code').fill('');
  await expect(kill10.getByText('statCode is required for statistic goals')).toBeVisible();
  await kill10.getByLabel('Reward', { exact: true }).fill('');
  await expect(kill10.getByText('rewardId must not be empty')).toBeVisible();

  const daily = page.locator('li[data-goal="daily-reset"]');
  await daily.getByLabel('Progress mode').selectOption('absolute');
  await expect(
    daily.getByText('rotation requires progressMode relative or increment'),
  ).toBeVisible();
  await daily.getByLabel('Time zone').fill('Mars/Olympus');
  await expect(
    daily.getByText("timezone 'Mars/Olympus' is not a valid IANA time zone"),
  ).toBeVisible();

  // Typing on clears a problem as soon as the value is right.
  await target.fill('12');
  await expect(kill10.getByText('targetValue must be positive')).toHaveCount(0);
  await expect(target).not.toHaveAttribute('aria-invalid', 'true');
  // Folded, a challenge's header still says how many problems it holds.
  const season = page.getByRole('region', { name: /Season One/ });
  await season.getByRole('button', { name: /Season One/ }).click();
  await expect(season.getByText('2 problems', { exact: true })).toBeVisible();
  await season.getByRole('button', { name: /Season One/ }).click();

  await page.getByRole('button', { name: 'Discard' }).click();
  await expect(kill10.getByRole('alert')).toHaveCount(0);
  await expect(daily.getByRole('alert')).toHaveCount(0);
});
