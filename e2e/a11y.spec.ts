import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, REAL_LOGS } from './fixtures.js';
import { addCell, addRunCompareCell, openNewNotebook } from './page-helpers.js';

/**
 * Accessibility: axe-core's WCAG 2.1 A/AA rules on the main views, light and dark. A keyboard or
 * screen-reader user gets the same notebook: every control named, contrast readable, no duplicate ids.
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

async function violations(page: Page): Promise<string[]> {
  // the app's CSP allows no inline script (rightly); evaluate() runs over the DevTools protocol instead
  await page.evaluate(AXE_SOURCE);
  const v = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: Violation[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations;
  });
  return v.map((x) => `${x.impact ?? '?'} ${x.id}: ${x.help} — ${x.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}${x.nodes.length > 3 ? ` (+${x.nodes.length - 3})` : ''}`);
}

async function bothSchemes(page: Page): Promise<string[]> {
  const out: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    out.push(...(await violations(page)).map((v) => `[${scheme}] ${v}`));
  }
  return out;
}

test('the notebook list and a notebook with every kind of cell pass axe-core (WCAG 2.1 AA), light and dark', async ({ app }) => {
  test.setTimeout(180_000);
  const { page } = app;
  await expect(page.getByRole('list', { name: 'Notebooks' })).toBeVisible();
  expect(await bothSchemes(page)).toEqual([]);

  await openNewNotebook(page);
  const md = await addCell(page, 'Markdown');
  await md.getByLabel('Markdown source').fill('# Accessibility\n\nA note with **bold** text.');
  await md.getByLabel('Markdown source').press('Control+Enter');
  const sim = await addCell(page, 'Simulation');
  await sim.getByLabel('System').selectOption('DA');
  await sim.getByLabel('Seeds').fill('2');
  await sim.getByRole('combobox', { name: /^Over time/ }).selectOption('5'); // its chart and measure picker are checked too
  await sim.getByRole('button', { name: 'Run' }).click();
  await expect(sim.getByRole('table', { name: 'Simulation results' })).toBeVisible({ timeout: 60_000 });
  await expect(sim.getByRole('combobox', { name: /^Measure/ })).toBeVisible();
  const imp = await addCell(page, 'Import');
  await imp.getByLabel('Import log').setInputFiles(join(REAL_LOGS, 'netperf', 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt'));
  await expect(imp.getByRole('article').first()).toBeVisible({ timeout: 30_000 });
  const cmp = await addRunCompareCell(page);
  await cmp.getByText('Fit the model to these measurements…').click(); // its form is checked too
  // and the sensitivity panel with a result: its form, heatmap and closure table
  await cmp.getByText('Which knob moves which cell…').click();
  await cmp.getByLabel('Seeds', { exact: true }).fill('1');
  await cmp.getByRole('button', { name: 'Compute' }).click();
  await expect(cmp.getByRole('table', { name: 'What closing each misfit would take' })).toBeVisible({ timeout: 120_000 });
  // and the cross-validation panel with a result: its form, chart and both tables
  await cmp.getByText('How well does it predict what it was not fitted on…').click();
  await cmp.getByLabel('Hold out').selectOption('tables');
  await cmp.getByLabel('Evaluations per fit').fill('11');
  await cmp.getByLabel('Evaluation seeds').fill('1');
  await cmp.getByRole('button', { name: 'Cross-validate (4 fits)' }).click();
  await expect(cmp.getByRole('table', { name: 'Where each fit put the cost groups' })).toBeVisible({ timeout: 120_000 });
  // and the profile panel with a result: its checkboxes, chart and table
  await cmp.getByText('How firmly do the tables hold each cost…').click();
  await cmp.getByLabel('Factors').fill('2');
  for (const k of ['pirq', 'stack', 'irq_poll', 'copy', 'sender']) await cmp.getByRole('checkbox', { name: k, exact: true }).uncheck();
  await cmp.getByLabel('Evaluations per point').fill('11');
  await cmp.getByRole('button', { name: 'Profile (2 refits)' }).click();
  await expect(cmp.getByRole('table', { name: 'Profiles by multiplier' })).toBeVisible({ timeout: 120_000 });
  const sweep = await addCell(page, 'Sweep');
  await sweep.getByRole('button', { name: 'Run' }).click();
  await expect(sweep.getByText(/points × \d+ seeds/)).toBeVisible({ timeout: 90_000 });
  const plot = await addCell(page, 'Plot');
  await plot.getByRole('button', { name: 'Run' }).click();
  await expect(plot.locator('.main-svg').first()).toBeVisible({ timeout: 30_000 });
  // logs with time series and a latency histogram: the over-time and distribution charts and the percentile table
  const more = await addCell(page, 'Import');
  await more.getByLabel('Import log').setInputFiles([join(REAL_LOGS, 'netperf', 'netperf-2.4.4-manual-tcp_rr-v2-histogram.txt'), join(REAL_LOGS, 'netperf', 'netperf-2.7.0-manual-migrated-tcp_stream-demo-interim-ending-at.txt')]);
  await expect(more.getByRole('article')).toHaveCount(2, { timeout: 30_000 });
  await more.getByRole('table', { name: 'Latency percentiles' }).scrollIntoViewIfNeeded();
  await expect(more.locator('.main-svg').first()).toBeVisible({ timeout: 30_000 });
  expect(await bothSchemes(page)).toEqual([]);

  await page.keyboard.press('Escape');
  await page.locator('section.cell').first().focus();
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  expect(await bothSchemes(page)).toEqual([]);

  // the stored-runs browser, with a selection and one run's details open
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: '← Notebooks' }).click();
  await page.getByRole('button', { name: 'Stored runs' }).click();
  await expect(page.getByRole('table', { name: 'Stored runs' })).toBeVisible();
  await page.getByRole('checkbox', { name: /^Select run / }).first().check();
  await page.getByRole('button', { name: /^Details of run / }).first().click();
  await expect(page.getByRole('definition').first()).toBeVisible();
  expect(await bothSchemes(page)).toEqual([]);
});
