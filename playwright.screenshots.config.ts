import { defineConfig } from '@playwright/test';
import base from './playwright.config.js';

/** `npm run screenshots`: the main views in light and dark, written to test-results/screens/ for review. */
export default defineConfig({ ...base, testIgnore: [], testMatch: '**/screenshots.spec.ts' });
