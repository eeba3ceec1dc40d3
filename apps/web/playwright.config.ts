import { defineConfig } from '@playwright/test';

// The system Chromium (STACK.md): never a downloaded browser. The flags keep it from calling
// home or needing a sandbox (CI runs as root).
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// E2E_WIDTH=390 runs the suite at a phone's width (screenshots then carry the width in their name).
const width = Number(process.env.E2E_WIDTH ?? 1280);

export default defineConfig({
  testDir: './e2e',
  globalSetup: './e2e/global-setup.ts',
  // One stack, one database: tests run one after another so their data never interleaves.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: './test-results',
  use: {
    browserName: 'chromium',
    viewport: { width, height: width < 600 ? 844 : 860 },
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
    screenshot: 'only-on-failure',
    trace: 'off',
  },
});
