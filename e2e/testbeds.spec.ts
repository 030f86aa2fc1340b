import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, REAL_LOGS } from './fixtures.js';
import type { Locator } from '@playwright/test';
import { addCell, addRunCompareCell, backend, exportPdf, hasPoppler, openNewNotebook, openPanel, recordTexts } from './page-helpers.js';

const LOCALHOST = 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt'; // 2997.84 Mbit/s
const FREEBSD = 'netperf-2.7-freebsd-migrated-tcp_stream-no-blank-before-data-with-prompt.txt'; // 5015.39 Mbit/s

/** Imports a real netperf log into an Import cell and says which testbed it was measured on. */
async function importAs(cell: Locator, log: string, system: string): Promise<void> {
  await cell.getByLabel('Import log').setInputFiles(join(REAL_LOGS, 'netperf', log));
  await expect(cell.getByRole('article')).toBeVisible({ timeout: 30_000 });
  await cell.getByLabel('Measured on').selectOption(system);
}

/** Logs measured on different testbed configurations fill different rows of one Compare cell. */
test('each Import cell says which testbed its logs come from; Compare fills those rows', async ({ app }) => {
  test.setTimeout(120_000);
  const { page } = app;
  await openNewNotebook(page);

  // addCell's locator is the LAST cell of its kind: pin the first one by position
  await addCell(page, 'Import');
  const a = page.locator('section.cell[data-kind="import"]').first();
  await importAs(a, LOCALHOST, 'Xen');
  await importAs(await addCell(page, 'Import'), FREEBSD, 'LRO');

  const cmp = await addCell(page, 'Compare');
  await cmp.getByRole('button', { name: 'Run' }).click();
  const iv = cmp.getByRole('table', { name: /^Table IV / });
  await expect(iv).toBeVisible({ timeout: 30_000 });
  await expect(cmp.getByText(/Measured column: Xen row from 1 imported file\(s\), LRO row from 1 imported file\(s\)/)).toBeVisible();
  const measuredOf = async (system: string): Promise<string> => (await iv.getByRole('row', { name: new RegExp(`^${system} `) }).getByRole('cell').nth(3).innerText()).trim();
  expect(await measuredOf('Xen')).toMatch(/^2998/); // 2997.84 Mbit/s, localhost
  expect(await measuredOf('LRO')).toMatch(/^5015/);
  expect(await measuredOf('BO')).toMatch(/^[—–-]?$/);

  // moving a log to another testbed makes the Compare cell stale, not the Import cell
  await a.getByLabel('Measured on').selectOption('BO');
  await expect(cmp.getByText('stale', { exact: true })).toBeVisible();
  await expect(a.getByText('stale', { exact: true })).toBeHidden();
  await cmp.getByRole('button', { name: 'Run' }).click();
  await expect(cmp.getByText(/Measured column: LRO row from 1 imported file\(s\), BO row from 1/)).toBeVisible();
  expect(await measuredOf('BO')).toMatch(/^2998/);
  expect(await measuredOf('Xen')).toMatch(/^[—–-]?$/);

  // the choice is saved with the notebook
  await app.reload();
  await expect(page.locator('section.cell[data-kind="import"]').first().getByLabel('Measured on')).toHaveValue('BO');

  // …and the PDF report puts each log's throughput in its own row of Table IV
  if (app.target !== 'browser' || !hasPoppler) return; // Electron prints into a save dialog
  const { text } = await exportPdf(page, 'testbeds');
  const ivText = text.slice(text.indexOf('Table IV'), text.indexOf('Table V:'));
  const row = (system: string): string => ivText.split('\n').find((l) => new RegExp(`^\\s*${system}\\s+\\d`).test(l)) ?? '';
  // measured printed as the Compare cell prints it: four significant digits, one run says so
  expect(row('BO')).toMatch(/576\.5.*2998 \(n = 1\)/);
  expect(row('LRO')).toMatch(/577\.2.*5015 \(n = 1\)/);
  expect(row('Xen')).not.toMatch(/2997|2998|5015/);
});

test('the "My testbed beside the paper" template has one Import cell per configuration', async ({ app }) => {
  const { page } = app;
  await page.getByLabel('From template').selectOption('testbed');
  await expect(page).toHaveURL(/#\/notebook\/\d+/);
  const imports = page.locator('section.cell[data-kind="import"]');
  await expect(imports).toHaveCount(5);
  for (const [i, s] of ['Linux', 'Xen', 'LRO', 'BO', 'DA'].entries()) await expect(imports.nth(i).getByLabel('Measured on')).toHaveValue(s);
  await imports.nth(4).getByLabel('Import log').setInputFiles(join(REAL_LOGS, 'netperf', LOCALHOST));
  await expect(imports.nth(4).getByRole('article')).toBeVisible({ timeout: 30_000 });
  const cmp = page.locator('section.cell[data-kind="compare"]');
  await cmp.getByRole('button', { name: 'Run' }).click();
  await expect(cmp.getByText(/Measured column: DA row from 1 imported file\(s\)\./)).toBeVisible({ timeout: 30_000 });
});

test('fit the model to the measured rows, then simulate from the fitted parameter set', async ({ app }) => {
  test.setTimeout(180_000);
  const { page } = app;
  await openNewNotebook(page);
  await importAs(await addCell(page, 'Import'), LOCALHOST, 'LRO');
  const cmp = await addRunCompareCell(page);

  await cmp.getByText('Fit the model to these measurements…').click();
  await cmp.getByRole('textbox', { name: 'Set name' }).fill('lab-fit');
  await cmp.getByLabel('Evaluations', { exact: true }).fill('5');
  // it can run on Slurm as one task (this test stays on this machine)
  const fitPanel = cmp.locator('details.fit');
  await fitPanel.getByLabel('Run on').selectOption('slurm');
  await expect(fitPanel.getByRole('status').filter({ hasText: /submits the fit as one task|Slurm is not available here/ })).toBeVisible();
  await fitPanel.getByLabel('sbatch options').fill('--cpus-per-task 16');
  await expect(fitPanel.getByRole('alert')).toHaveText('sbatch options: "16" is not one such as --partition=debug or --time=00:10:00');
  await expect(cmp.getByRole('button', { name: 'Fit', exact: true })).toBeDisabled();
  // back on this machine, the options left in the field do not stop the fit
  await fitPanel.getByLabel('Run on').selectOption('local');
  const statuses = await recordTexts(page, 'section.cell[data-kind="compare"] .progress [role="status"]');
  await cmp.getByRole('button', { name: 'Fit', exact: true }).click();
  await expect(cmp.getByRole('status').filter({ hasText: 'Saved as lab-fit' })).toBeVisible({ timeout: 120_000 });
  // the bar said what it was doing: the measured tables first, then each evaluation with the best objective so far
  const seen = await statuses();
  expect(seen).toContain('measured tables of your logs');
  // the first simplex takes one evaluation per fitted knob, so the budget shown is at least that
  expect(seen).toContain('fit: evaluation 1 (budget 12)');
  expect(seen.filter((t) => /^fit: evaluation (?:[2-9]|1[0-2]) \(budget 12\), best objective \d+\.\d\d$/.test(t))).toHaveLength(11);
  expect(seen.filter((t) => /^fit: the best point on its own runs \(objective \d+\.\d\d\)$/.test(t))).toHaveLength(1);
  expect(seen).toContain('the current calibration on the same seeds, for the "before" column');
  const row = cmp.getByRole('table', { name: 'Fit result' }).getByRole('row', { name: /IV LRO/ });
  await expect(row).toContainText('2998');
  // and where the fit put each cost group, beside the paper's calibration
  const groups = cmp.getByRole('table', { name: "Cost groups against the paper's calibration" });
  await expect(groups.getByRole('row')).toHaveCount(12);
  await expect(groups.getByRole('row', { name: /^pirq \(physical IRQ\) [\d.]+ [\d.]+ ×[\d.]+$/ })).toBeVisible();
  // the fit is kept with the Compare cell's output: a reload shows it again
  await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
  await app.reload();
  await expect(cmp.getByRole('table', { name: 'Fit result' }).getByRole('row', { name: /IV LRO/ })).toContainText('2998');
  await expect(cmp.getByRole('status').filter({ hasText: 'Saved as lab-fit' })).toBeVisible();

  // the sensitivity panel can centre on the fitted set
  await openPanel(cmp, 'Which knob moves which cell…', cmp.getByLabel('Method'));
  await cmp.getByLabel('Method').selectOption('morris');
  await cmp.getByLabel('Trajectories').fill('2');
  await cmp.getByLabel('Seeds', { exact: true }).fill('1');
  await cmp.locator('details.sens').getByLabel('Parameters').selectOption('lab-fit');
  await cmp.getByRole('button', { name: 'Compute' }).click();
  await expect(cmp.getByRole('status').filter({ hasText: /^Morris screening against the paper, around parameter set lab-fit: 2 trajectories/ })).toBeVisible({ timeout: 60_000 });

  // a Simulation cell offers the set under Parameters and runs from it
  const sim = await addCell(page, 'Simulation');
  await sim.getByLabel('System').selectOption('LRO');
  await sim.getByLabel('Seeds').fill('2');
  await sim.getByLabel('Parameters').selectOption('lab-fit');
  await sim.getByRole('button', { name: 'Run' }).click();
  await expect(sim.getByRole('table', { name: 'Simulation results' })).toBeVisible({ timeout: 60_000 });
  // the fitted set is not the paper's calibration: runs from it carry other costs in their provenance
  type Runs = { ok: boolean; value: { runs: { provenance: { parameters: Record<string, unknown> } }[] } };
  const short = { duration_s: 0.05, warmup_s: 0.01 };
  const paper = (await backend(page, 'sim.run', { runs: [{ system: 'LRO', seed: 1, set: short }] })) as unknown as Runs;
  const fitted = (await backend(page, 'sim.run', { runs: [{ system: 'LRO', seed: 1, set: short, parameterSet: 'lab-fit' }] })) as unknown as Runs;
  expect(fitted.ok && paper.ok).toBe(true);
  expect(fitted.value.runs[0]?.provenance.parameters).not.toEqual(paper.value.runs[0]?.provenance.parameters);
  // a set can be deleted from the menu (after a confirmation); the cell goes back to the paper's calibration
  page.once('dialog', (d) => void d.accept());
  await sim.getByRole('button', { name: 'Delete parameter set lab-fit' }).click();
  await expect(sim.getByLabel('Parameters')).toHaveValue('');
  await expect(sim.getByLabel('Parameters').locator('option')).toHaveText(['calibrated to the paper']);
});

test('which knob moves which cell: the heatmap and the closure table, against the paper and against measured rows', async ({ app }) => {
  test.setTimeout(180_000);
  const { page } = app;
  await openNewNotebook(page);
  await importAs(await addCell(page, 'Import'), LOCALHOST, 'Xen');
  const cmp = await addRunCompareCell(page);

  await cmp.getByText('Which knob moves which cell…').click();
  await cmp.getByLabel('Seeds', { exact: true }).fill('1');
  const statuses = await recordTexts(page, 'section.cell[data-kind="compare"] details.sens .progress [role="status"]');
  await cmp.getByRole('button', { name: 'Compute' }).click();
  const closures = cmp.getByRole('table', { name: 'What closing each misfit would take' });
  await expect(closures).toBeVisible({ timeout: 120_000 });
  // the bar counted the points, each all five systems on one seed
  expect((await statuses()).filter((t) => /^point \d+ of \d+ \(each: the systems of the tables on 1 seed\)$/.test(t)).length).toBeGreaterThan(10);
  await expect(cmp.getByRole('status').filter({ hasText: /of 25 cells within tolerance against the paper/ })).toBeVisible();
  // DA's driver domain is a misfit against the paper, and no single multiplier closes it
  const da = closures.getByRole('row', { name: /^V DA driver/ });
  await expect(da).toBeVisible();
  expect(Number((await da.getByRole('cell').nth(3).innerText()).replace(/[^\d.+-]/g, ''))).toBeGreaterThan(10);
  // the heatmap: one row per cell of the tables
  await cmp.getByRole('figure', { name: 'Elasticity of each cell to each fitted multiplier' }).scrollIntoViewIfNeeded();
  await expect(cmp.locator('.heatmaplayer, .hm').first()).toBeAttached({ timeout: 30_000 });
  // its data: one row per cell of the matrix, with the value
  const dl = page.waitForEvent('download');
  await cmp.getByRole('button', { name: 'Download the data of Elasticity of each cell to each fitted multiplier as CSV' }).click();
  const csv = readFileSync(await (await dl).path(), 'utf8').split('\r\n');
  expect(csv[0]).toBe('series,x,y,value');
  expect(csv.filter((l) => /^,l_ext_us,VII Xen TCP_RR,-0\.\d+$/.test(l))).toHaveLength(1);
  expect(csv.filter((l) => l.includes(',V DA driver ✗,'))).toHaveLength(11);

  // kept with the output: a reload shows it again
  await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
  await app.reload();
  await expect(cmp.getByRole('table', { name: 'What closing each misfit would take' }).getByRole('row', { name: /^V DA driver/ })).toBeVisible();
  if (app.target === 'browser' && hasPoppler) {
    // the report carries both tables (Electron prints into a save dialog)
    const { text } = await exportPdf(page, 'sensitivity');
    expect(text).toMatch(/What closing each misfit would take against the paper \(simulated, seeds 1\)/);
    expect(text).toMatch(/Elasticity: % change of each cell per \+1 % of a fitted multiplier/);
    expect(text).toMatch(/V DA driver ✗/);
  }

  // against the measured Xen row (a localhost run at 2,998 Mbit/s): only its cells, and the bound shows
  await cmp.getByLabel('Against').selectOption({ label: 'your measured Xen row' });
  await cmp.getByRole('button', { name: 'Compute' }).click();
  await expect(cmp.getByRole('status').filter({ hasText: /of 1 cells within tolerance against your measured Xen row/ })).toBeVisible({ timeout: 60_000 });
  await expect(cmp.getByRole('table', { name: 'What closing each misfit would take' }).getByRole('row', { name: /^IV Xen Mbit\/s/ })).toBeVisible();

  // the global method: Morris screening over ×/÷2, against the paper again
  await cmp.getByLabel('Against').selectOption({ label: 'the paper' });
  await cmp.getByLabel('Method').selectOption('morris');
  await cmp.getByLabel('Trajectories').fill('1');
  await expect(cmp.getByRole('alert').filter({ hasText: 'Trajectories: a whole number from 2 to 50' })).toBeVisible();
  await expect(cmp.getByRole('button', { name: 'Compute' })).toBeDisabled();
  await cmp.getByLabel('Trajectories').fill('2');
  await cmp.getByRole('button', { name: 'Compute' }).click();
  await expect(cmp.getByRole('status').filter({ hasText: /^Morris screening against the paper: 2 trajectories, each multiplier over ×\/÷2/ })).toBeVisible({ timeout: 60_000 });
  await expect(cmp.getByRole('figure', { name: 'Morris screening of each cell against each fitted multiplier' })).toBeVisible();
  await expect(cmp.getByRole('table', { name: 'What closing each misfit would take' })).toHaveCount(0);
  // its data: μ*, μ, σ and the number of effects per cell
  const mdl = page.waitForEvent('download');
  await cmp.getByRole('button', { name: 'Download the data of Morris screening of each cell against each fitted multiplier as CSV' }).click();
  const mcsv = readFileSync(await (await mdl).path(), 'utf8').split('\r\n');
  expect(mcsv[0]).toBe('series,x,y,mu_star,mu,sigma,n');
  expect(mcsv.filter((l) => /^,l_ext_us,VII Xen TCP_RR,0\.\d+,-0\.\d+,[\d.e-]+,2$/.test(l))).toHaveLength(1);

  // running the Compare cell again drops the result from its output, and the panel shows none
  await cmp.getByRole('button', { name: 'Run' }).click();
  await expect(cmp.getByRole('status').filter({ hasText: /^Morris screening against/ })).toHaveCount(0);
  await expect(cmp.getByRole('figure', { name: 'Morris screening of each cell against each fitted multiplier' })).toHaveCount(0);
});
