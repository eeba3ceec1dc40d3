import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type APIRequestContext, expect, type Page } from '@playwright/test';
import { E2E_ADMIN, E2E_INGEST_KEY } from './constants';

export { E2E_INGEST_KEY } from './constants';
export { E2E_ADMIN };

export function stackUrls(): { api: string; web: string } {
  const api = process.env.E2E_API_URL;
  const web = process.env.E2E_WEB_URL;
  if (!api || !web) throw new Error('the e2e stack is not running (global setup)');
  return { api, web };
}

export async function signIn(page: Page, user = E2E_ADMIN): Promise<void> {
  await page.goto(`${stackUrls().web}/sign-in`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Challenges', level: 1 })).toBeVisible();
}

/** The stack's database, for seeding what a test cannot make through the dashboard in time. */
export function stackDatabaseUrl(): string {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error('the e2e stack is not running (global setup)');
  return url;
}

/** The control server of the stack's reward webhook (e2e/reward-webhook.ts). */
export function rewardControlUrl(): string {
  const url = process.env.E2E_REWARD_CONTROL_URL;
  if (!url) throw new Error('the e2e stack is not running (global setup)');
  return url;
}

const e2eDir = path.dirname(fileURLToPath(import.meta.url));
/**
 * Committed screenshots (README, docs, design review) are rewritten only on request
 * (`npm run e2e:screenshots -w @challenges/web`); an ordinary run writes them under the ignored
 * `test-results/`, so a test run never dirties the checkout.
 */
const screenshots =
  process.env.E2E_SCREENSHOTS === 'update'
    ? path.join(e2eDir, 'screenshots')
    : path.join(e2eDir, '..', 'test-results', 'screenshots');

/** Page screenshots for the README and for reviewing the design. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const width = page.viewportSize()?.width ?? 1280;
  const file = width === 1280 ? `${name}.png` : `${name}-${width}.png`;
  await page.screenshot({ path: path.join(screenshots, file) });
}

/**
 * A tRPC call as the dashboard's page makes it: same origin (the `Origin` header a browser
 * sends, which the api's CSRF rule requires), JSON, the page's session cookie.
 */
export async function trpcMutation(page: Page, procedure: string, input: unknown) {
  const web = stackUrls().web;
  return page.request.post(`${web}/trpc/${procedure}`, {
    data: input,
    headers: { 'content-type': 'application/json', origin: web },
  });
}

/** A tRPC query as the dashboard's page makes it (the page's session cookie). */
export async function trpcQuery<T>(page: Page, procedure: string, input?: unknown): Promise<T> {
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await page.request.get(`${stackUrls().web}/trpc/${procedure}${query}`);
  expect(res.status(), `${procedure} answers`).toBe(200);
  return ((await res.json()) as { result: { data: T } }).result.data;
}

export interface DraftFile {
  challenges: { challengeId: string; name?: string; goals: Record<string, unknown>[] }[];
}

/** The draft as the JSON view shows it: what the form holds, saved or not. */
export async function readDraftJson(page: Page): Promise<DraftFile> {
  await page.getByRole('tab', { name: 'JSON' }).click();
  const text = await page.getByLabel('Definitions file (JSON)').inputValue();
  await page.getByRole('tab', { name: 'Form' }).click();
  return JSON.parse(text) as DraftFile;
}

/** Replaces the draft through the JSON view (nothing is saved), then goes back to the form. */
export async function writeDraftJson(page: Page, content: unknown): Promise<void> {
  await page.getByRole('tab', { name: 'JSON' }).click();
  await page.getByLabel('Definitions file (JSON)').fill(JSON.stringify(content, null, 2));
  await page.getByRole('tab', { name: 'Form' }).click();
}

/** A new player, through the real api: initialized (200), as the game would on login. */
export async function initializePlayer(request: APIRequestContext, userId: string): Promise<void> {
  const res = await request.post(`${stackUrls().api}/challenge/v1/challenges/initialize`, {
    headers: { 'x-mock-user-id': userId },
  });
  expect(res.status()).toBe(200);
}

/**
 * A player who completed the demo's `season/tutorial` goal by a real stat event and claimed it:
 * the claim is refused until the worker has applied the event, so it is polled until 200.
 */
export async function claimTutorial(request: APIRequestContext, userId: string): Promise<void> {
  const { api } = stackUrls();
  await initializePlayer(request, userId);
  const sent = await request.post(`${api}/challenge/v1/events`, {
    headers: { 'x-api-key': E2E_INGEST_KEY },
    data: {
      events: [
        { id: `${userId}-1`, type: 'stat', userId, statCode: 'tutorial_completed', value: 1 },
      ],
    },
  });
  expect(sent.status()).toBe(202);
  const claimUrl = `${api}/challenge/v1/challenges/season/goals/tutorial/claim`;
  const player = { 'x-mock-user-id': userId };
  await expect
    .poll(async () => (await request.post(claimUrl, { headers: player })).status())
    .toBe(200);
}
