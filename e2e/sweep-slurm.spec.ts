import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSlurmInstalled, startLocalCluster, type LocalCluster } from '../core/sweep/slurm-cluster.js';
import { test, expect } from './fixtures.js';
import { addCell, addRunCompareCell, exportPdf, hasPoppler, openNewNotebook, openPanel, recordTexts } from './page-helpers.js';

// A real one-node Slurm cluster for the app's backend (slurm-local.md), its config at a known path.
const CLUSTER = join(tmpdir(), `rxlab-e2e-slurm-${process.pid}`);
test.use({ serverEnv: { SLURM_CONF: join(CLUSTER, 'etc', 'slurm.conf') } });
let cluster: LocalCluster | undefined;
let why: string | undefined;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  why = ensureSlurmInstalled();
  if (why === undefined) cluster = await startLocalCluster(CLUSTER);
});
test.afterAll(async () => {
  await cluster?.stop();
  rmSync(CLUSTER, { recursive: true, force: true });
});

test('a Sweep cell runs its grid on Slurm: submitted, counted as the runs finish, collected into the store and plotted', async ({ app }) => {
  test.skip(why !== undefined, `Slurm cannot be installed here: ${why}`);
  test.setTimeout(180_000);
  const { page } = app;
  await openNewNotebook(page);
  const sweep = await addCell(page, 'Sweep');
  await sweep.getByLabel('System').selectOption('LRO');
  await sweep.getByRole('combobox', { name: 'Vary' }).selectOption('flush_every_polls');
  await sweep.getByLabel('Flush every k polls from').fill('1');
  await sweep.getByLabel('Flush every k polls to').fill('2');
  await sweep.getByLabel('Seeds').fill('2');
  await expect(sweep.getByText('4 runs')).toBeVisible();

  await sweep.getByLabel('Run on').selectOption('slurm');
  await expect(sweep.getByRole('status').filter({ hasText: /^With \/\S*sbatch: submits the runs not stored yet as a job array .*; Cancel runs scancel\./ })).toBeVisible();
  // the options go into the job script: refused before anything is submitted unless each is one --option
  await sweep.getByLabel('sbatch options').fill('--time=00:10:00 oops');
  await sweep.getByRole('button', { name: 'Run' }).click();
  await expect(sweep.getByRole('alert')).toHaveText('sbatch options: "oops" is not one such as --partition=debug or --time=00:10:00');
  await sweep.getByLabel('sbatch options').fill('--time=00:10:00');
  const texts = await recordTexts(page, 'section.cell[data-kind="sweep"] .progress span');
  await sweep.getByRole('button', { name: 'Run' }).click();
  await expect(sweep.getByText(/^2 points × 2 seeds · error bars: 95 % Student-t · 4 runs simulated by Slurm job \d+ \(folder .+\)$/)).toBeVisible({ timeout: 120_000 });
  const said = await texts();
  expect(said.some((t) => /^Slurm job \d+: [0-4] of 4 runs finished \(folder .+\)$/.test(t)), said.join('\n')).toBe(true);
  await expect(sweep.getByRole('alert')).toHaveCount(0);
  await sweep.locator('.chart').scrollIntoViewIfNeeded();
  await expect(sweep.locator('.main-svg').first()).toBeVisible({ timeout: 30_000 });

  // the report says which runs Slurm simulated
  if (app.target === 'browser' && hasPoppler) {
    const { text } = await exportPdf(page, 'sweep-slurm');
    expect(text).toMatch(/4 of its runs were simulated by Slurm job \d+ \(job folder [^)]+\)\s+and collected into the\s+store\./);
  }
  // where the runs ran marks nothing stale, and the runs are in the store as Slurm brought them
  await sweep.getByLabel('Run on').selectOption('local');
  await expect(sweep.getByText('stale', { exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: '← Notebooks' }).click();
  await page.getByRole('button', { name: 'Stored runs' }).click();
  await expect(page.getByRole('row', { name: /sweep \(slurm\)/ })).toHaveCount(4);
});

test('cross-validation and the profile offer Slurm too: one task per fold or multiplier, the options checked before anything is submitted; a profile run there names its job and reopens on Slurm', async ({ app }) => {
  test.skip(why !== undefined, `Slurm cannot be installed here: ${why}`);
  test.setTimeout(180_000);
  const { page } = app;
  await openNewNotebook(page);
  const cmp = await addRunCompareCell(page);
  await openPanel(cmp, 'How well does it predict what it was not fitted on…', cmp.getByLabel('Hold out'));
  const cv = cmp.locator('details.cv');
  await cv.getByLabel('Run on').selectOption('slurm');
  await expect(cv.getByRole('status').filter({ hasText: /^With \/\S*sbatch: submits each fold as one task of a job array .*; Cancel runs scancel\./ })).toBeVisible();
  await cv.getByLabel('sbatch options').fill('--time 10');
  await expect(cv.getByRole('alert')).toHaveText('sbatch options: "10" is not one such as --partition=debug or --time=00:10:00');
  await expect(cv.getByRole('button', { name: 'Cross-validate (5 fits)' })).toBeDisabled();
  await cv.getByLabel('sbatch options').fill('--time=00:30:00');
  await expect(cv.getByRole('button', { name: 'Cross-validate (5 fits)' })).toBeEnabled();
  await expect(cv.getByRole('alert')).toHaveCount(0);
  // and the profile panel: one task per multiplier (the estimate for this machine goes)
  await openPanel(cmp, 'How firmly do the tables hold each cost…', cmp.getByLabel('Evaluations per point'));
  const pr = cmp.locator('details.objective-profile');
  await expect(pr.getByText('about 8 min on 2 cores')).toBeVisible();
  await pr.getByLabel('Run on').selectOption('slurm');
  await expect(pr.getByRole('status').filter({ hasText: /^With \/\S*sbatch: submits each multiplier's profile as one task of a job array/ })).toBeVisible();
  await expect(pr.getByText('about 8 min on 2 cores')).toHaveCount(0);
  await expect(pr.getByRole('button', { name: 'Profile (30 refits)' })).toBeEnabled();
  // a small profile really run there: the panel names the job, and a reload reopens it on Slurm with its options
  const knobs = pr.getByRole('group', { name: 'Multipliers' });
  for (const k of ['pirq', 'stack', 'irq_poll', 'copy', 'sender']) await knobs.getByRole('checkbox', { name: k, exact: true }).uncheck();
  await pr.getByLabel('Factors').fill('2');
  await pr.getByLabel('Evaluations per point').fill('11');
  await pr.getByLabel('sbatch options').fill('--time=00:30:00');
  await pr.getByRole('button', { name: 'Profile (2 refits)' }).click();
  await expect(pr.getByRole('status').filter({ hasText: /Refitted by Slurm job \d+ \(folder \S+slurm\/profile-\S+; --time=00:30:00\)\.$/ })).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
  await app.reload();
  const again = page.locator('details.objective-profile');
  await expect(again.getByRole('table', { name: 'Profiles by multiplier' })).toBeVisible();
  await expect(again.getByLabel('Run on')).toHaveValue('slurm');
  await expect(again.getByLabel('sbatch options')).toHaveValue('--time=00:30:00');
});
