import { expect, test } from '@playwright/test';
import { readDraftJson, screenshot, signIn } from './helpers';

// A goal's A/B variants in the form (docs/definitions.md, "A/B variants"): a variant's target and
// reward fields override the goal's, and an emptied field falls back to the goal's again.
test("a variant's target and reward override the goal's; emptied, they are the goal's again", async ({
  page,
}) => {
  await signIn(page);
  const goal = page.locator('li[data-goal="pool-1"]');
  await goal.getByLabel('A/B variants').check();
  const a = goal.locator('li[data-variant="a"]');
  await expect(a.getByLabel('Qty')).toHaveAttribute('placeholder', "goal's");
  await a.getByLabel('Target').fill('5');
  await a.getByLabel('Reward type').selectOption('WALLET');
  await a.getByLabel('Reward', { exact: true }).fill('coins');
  await a.getByLabel('Qty').fill('2');

  const variantsOf = async () =>
    (await readDraftJson(page)).challenges
      .find((c) => c.challengeId === 'pool')!
      .goals.find((g) => g.goalId === 'pool-1')?.variants;
  expect(await variantsOf()).toEqual([
    {
      variantId: 'a',
      weight: 1,
      requirement: { targetValue: 5 },
      reward: { type: 'WALLET', rewardId: 'coins', quantity: 2 },
    },
    { variantId: 'b', weight: 1 },
  ]);
  await a.scrollIntoViewIfNeeded();
  await screenshot(page, 'challenges-variants');

  // The row reads whole at every width: the reward type shows all of "WALLET" (the select is as
  // wide as the browser draws it for its widest option) and Remove sits beside the Qty field.
  const select = await a.getByLabel('Reward type').evaluate((el) => {
    const natural = el.cloneNode(true) as HTMLSelectElement;
    natural.style.width = 'auto';
    natural.style.position = 'absolute';
    document.body.append(natural);
    const needed = natural.getBoundingClientRect().width;
    natural.remove();
    return { width: el.getBoundingClientRect().width, needed };
  });
  expect(select.width).toBeGreaterThanOrEqual(select.needed);
  const qty = (await a.getByLabel('Qty').boundingBox())!;
  const remove = (await a.getByRole('button', { name: 'Remove variant a' }).boundingBox())!;
  expect(remove.y, 'Remove is on the row of the Qty field').toBeLessThan(qty.y + qty.height);

  await a.getByLabel('Target').fill('');
  await a.getByLabel('Reward type').selectOption('');
  await a.getByLabel('Reward', { exact: true }).fill('');
  await a.getByLabel('Qty').fill('');
  expect(await variantsOf()).toEqual([
    { variantId: 'a', weight: 1 },
    { variantId: 'b', weight: 1 },
  ]);
});
