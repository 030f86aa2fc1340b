import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { test, expect, REAL_LOGS, ROOT } from './fixtures.js';
import { addCell, addRunCompareCell } from './page-helpers.js';

/** Screenshots of the main views in light and dark, for review (test-results/screens/). */
const OUT = join(ROOT, 'test-results', 'screens');

async function shoot(page: Page, name: string, target?: Locator): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    if (target) await target.scrollIntoViewIfNeeded();
    await page.waitForTimeout(400); // charts re-theme on the scheme change
    await page.screenshot({ path: join(OUT, `${name}-${scheme}.png`) });
  }
}

test('screenshots of the main views, light and dark', async ({ app }) => {
  test.setTimeout(240_000);
  const { page } = app;
  mkdirSync(OUT, { recursive: true });
  await expect(page.getByRole('list', { name: 'Notebooks' })).toBeVisible();
  await shoot(page, '01-list');

  await page.getByRole('button', { name: 'New notebook' }).click();
  await expect(page.getByText('An empty notebook')).toBeVisible();
  await shoot(page, '02-empty-notebook');

  const md = await addCell(page, 'Markdown');
  await md.getByLabel('Markdown source').fill('# Delayed aggregation vs the paper\n\nSimulate all five systems, import a **netperf** and an **opreport** log, compare.');
  await md.getByLabel('Markdown source').press('Control+Enter');

  const sim = await addCell(page, 'Simulation');
  await sim.getByLabel('System').selectOption('all');
  await sim.getByLabel('Workload').selectOption('both');
  await sim.getByRole('button', { name: 'Run' }).click();
  await expect(sim.getByRole('table', { name: 'Simulation results' }).or(sim.getByRole('alert'))).toBeVisible({ timeout: 120_000 });
  await shoot(page, '03-simulation', sim);

  const imp = await addCell(page, 'Import');
  await imp.getByLabel('Import log').setInputFiles([
    join(REAL_LOGS, 'netperf', 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt'),
    join(REAL_LOGS, 'oprofile', 'xenoprof-rhel5-xen3.1-opreport-t1-symbols-3thread-columns-xen-syms-booktypeset.txt'),
  ]);
  await expect(imp.getByRole('article').nth(1).or(imp.getByRole('alert'))).toBeVisible({ timeout: 30_000 });
  await shoot(page, '04-import', imp);

  const cmp = await addRunCompareCell(page);
  await cmp.locator('.chart').scrollIntoViewIfNeeded();
  await expect(cmp.locator('.main-svg').first()).toBeVisible({ timeout: 30_000 });
  await shoot(page, '05-compare-tables', cmp.getByRole('table', { name: /^Table IV / }));
  await shoot(page, '06-compare-chart', cmp.locator('.chart'));
  await cmp.getByText('Which knob moves which cell…').click();
  await cmp.getByLabel('Seeds', { exact: true }).fill('1');
  await cmp.getByRole('button', { name: 'Compute' }).click();
  const closures = cmp.getByRole('table', { name: 'What closing each misfit would take' });
  await expect(closures.or(cmp.getByRole('alert'))).toBeVisible({ timeout: 120_000 });
  await shoot(page, '06b-sensitivity-heatmap', cmp.getByRole('figure', { name: 'Elasticity of each cell to each fitted multiplier' }));
  await shoot(page, '06c-sensitivity-closures', closures);
  await cmp.getByLabel('Method').selectOption('morris');
  await cmp.getByLabel('Trajectories').fill('2');
  await cmp.getByRole('button', { name: 'Compute' }).click();
  const morris = cmp.getByRole('figure', { name: 'Morris screening of each cell against each fitted multiplier' });
  await expect(morris.or(cmp.getByRole('alert'))).toBeVisible({ timeout: 120_000 });
  await shoot(page, '06d-morris-heatmap', morris);
  await cmp.getByText('How well does it predict what it was not fitted on…').click();
  await cmp.getByLabel('Hold out').selectOption('tables');
  await cmp.getByLabel('Evaluations per fit').fill('11');
  await cmp.getByLabel('Evaluation seeds').fill('1');
  await cmp.getByRole('button', { name: 'Cross-validate (4 fits)' }).click();
  const cv = cmp.getByRole('table', { name: 'Cross-validation by cell' });
  await expect(cv.or(cmp.getByRole('alert'))).toBeVisible({ timeout: 180_000 });
  await shoot(page, '06e-cross-validation-chart', cmp.getByRole('figure', { name: 'Cross-validation: error of each cell in sample and held out' }));
  await shoot(page, '06f-cross-validation-table', cv);
  await cmp.getByText('How firmly do the tables hold each cost…').click();
  for (const k of ['stack', 'irq_poll', 'copy', 'sender']) await cmp.getByRole('checkbox', { name: k, exact: true }).uncheck();
  await cmp.getByLabel('Evaluations per point').fill('11');
  await cmp.getByRole('button', { name: 'Profile (10 refits)' }).click();
  const profiles = cmp.getByRole('table', { name: 'Profiles by multiplier' });
  await expect(profiles.or(cmp.getByRole('alert'))).toBeVisible({ timeout: 180_000 });
  await shoot(page, '06g-objective-profile-chart', cmp.getByRole('figure', { name: 'Profiles of the calibration objective' }));
  await shoot(page, '06h-objective-profile-table', profiles);

  const sweep = await addCell(page, 'Sweep');
  await sweep.getByRole('button', { name: 'Run' }).click();
  await expect(sweep.getByRole('progressbar')).toBeVisible();
  await shoot(page, '07-sweep-running', sweep);
  await expect(sweep.getByText(/points × \d+ seeds/).or(sweep.getByRole('alert'))).toBeVisible({ timeout: 180_000 });
  const plot = await addCell(page, 'Plot');
  await plot.getByRole('button', { name: 'Run' }).click();
  await plot.locator('.chart').or(plot.getByRole('alert')).scrollIntoViewIfNeeded();
  await shoot(page, '08-sweep-and-plot', sweep.locator('.chart'));
  await shoot(page, '09-plot', plot);

  await page.getByRole('button', { name: '← Notebooks' }).click();
  await page.getByRole('button', { name: 'Stored runs' }).click();
  const runs = page.getByRole('table', { name: 'Stored runs' });
  await expect(runs).toBeVisible();
  await runs.getByRole('checkbox', { name: /^Select run / }).nth(1).check();
  await runs.getByRole('button', { name: /^Details of run / }).first().click();
  await shoot(page, '10-stored-runs');
  await page.emulateMedia({ colorScheme: 'light' });
});
