import { expect, test } from '@playwright/test';
import { signIn, stackUrls } from './helpers';

const PAGES = [
  '/challenges',
  '/audit',
  '/players',
  '/live',
  '/load-tests',
  '/rewards',
  '/users',
  '/account',
];

test('pages carry a nonce CSP, frame and sniffing protection, and a referrer policy', async ({
  request,
}) => {
  const res = await request.get(`${stackUrls().web}/sign-in`);
  expect(res.status()).toBe(200);
  const headers = res.headers();
  const csp = headers['content-security-policy'] ?? '';
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('same-origin');
  // Every script Next rendered carries this response's nonce.
  const html = await res.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  // A second response has another nonce.
  const again = (await request.get(`${stackUrls().web}/sign-in`)).headers();
  expect(again['content-security-policy']).not.toContain(nonce!);

  const api = await request.get(`${stackUrls().web}/trpc/auth.session`);
  expect(api.headers()['x-content-type-options']).toBe('nosniff');
});

test('no page of the dashboard trips its Content-Security-Policy in Chromium', async ({ page }) => {
  test.setTimeout(120_000);
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(
        `Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`,
      );
    });
  });
  await signIn(page);
  for (const path of PAGES) {
    await page.goto(`${stackUrls().web}${path}`);
    // The heading shows once the page hydrated and asked the api who is signed in.
    await expect(page.locator('main h1')).toBeVisible();
    // The Live page draws its charts (recharts, style attributes) after hydration too; the
    // first drawing of 300-point series is the slowest thing the dashboard renders.
    if (path === '/live') {
      await expect(page.locator('.recharts-wrapper svg').first()).toBeVisible({ timeout: 30_000 });
    }
  }
  expect(violations).toEqual([]);
});
