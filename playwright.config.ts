import { defineConfig } from '@playwright/test';

/**
 * End-to-end specs drive the real app: browser mode (`rxlab serve`) in Debian's Chromium by default,
 * or the Electron build with RXLAB_E2E_TARGET=electron where the Electron binary exists (see e2e/fixtures.ts).
 */
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // The review screenshots re-run every panel already tested on its own (78 s in CI): `npm run screenshots`.
  testIgnore: '**/screenshots.spec.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env['CI'] ? [['list']] : [['list']],
  outputDir: 'test-results',
  use: { trace: 'off', screenshot: 'only-on-failure' },
});
