import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures.js';
import { addRunCompareCell, exportPdf, hasPoppler, openNewNotebook, openPanel, recordTexts } from './page-helpers.js';

const PANEL = 'How well does it predict what it was not fitted on…';

test('cross-validation: each cell predicted by a fit that never saw it, kept with the output, in the report, and cancellable', async ({ app }) => {
  test.setTimeout(240_000);
  const { page } = app;
  await openNewNotebook(page);
  const cmp = await addRunCompareCell(page);

  await openPanel(cmp, PANEL, cmp.getByLabel('Hold out'));
  await cmp.getByLabel('Hold out').selectOption('tables');
  await expect(cmp.getByRole('button', { name: 'Cross-validate (4 fits)' })).toBeVisible();
  await cmp.getByLabel('Evaluations per fit').fill('10');
  await expect(cmp.getByRole('alert').filter({ hasText: 'Evaluations per fit: a whole number from 11 to 5000' })).toBeVisible();
  await expect(cmp.getByRole('button', { name: 'Cross-validate (4 fits)' })).toBeDisabled();
  await cmp.getByLabel('Evaluations per fit').fill('11');
  await cmp.getByLabel('Evaluation seeds').fill('1');
  const statuses = await recordTexts(page, 'section.cell[data-kind="compare"] details.cv .progress [role="status"]');
  await cmp.getByRole('button', { name: 'Cross-validate (4 fits)' }).click();
  const table = cmp.getByRole('table', { name: 'Cross-validation by cell' });
  await expect(table).toBeVisible({ timeout: 180_000 });
  // the bar went through the four folds
  const said = await statuses();
  for (const t of ['IV', 'V', 'VI', 'VII']) expect(said.some((s) => new RegExp(`^fold \\d of 4 \\(without Table ${t}\\): 11/11 evaluations`).test(s)), t).toBe(true);
  await expect(cmp.getByRole('status').filter({ hasText: /^Held out: \d+ of 25 cells within tolerance \(in sample 21 of 25\)/ })).toBeVisible();
  // every cell, each predicted by the fit without its table
  await expect(table.getByRole('row')).toHaveCount(26);
  await expect(table.getByRole('row', { name: /^VI LRO LRO rate 2\.55 .* Table VI$/ })).toBeVisible();
  await expect(cmp.getByRole('table', { name: 'Where each fit put the cost groups' }).getByRole('row')).toHaveCount(6);
  // the chart's data: both bars per cell, with the signed error
  await cmp.getByRole('figure', { name: 'Cross-validation: error of each cell in sample and held out' }).scrollIntoViewIfNeeded();
  const dl = page.waitForEvent('download');
  await cmp.getByRole('button', { name: 'Download the data of Cross-validation: error of each cell in sample and held out as CSV' }).click();
  const csv = readFileSync(await (await dl).path(), 'utf8').split('\r\n').filter((l) => l !== '');
  expect(csv[0]).toBe('series,x,y,error,error_pct');
  expect(csv).toHaveLength(51);
  expect(csv.filter((l) => /^in sample,[\d.]+,V DA driver,,1[0-9]{2}\.\d+/.test(l))).toHaveLength(1);

  // kept with the output: a reload shows it again
  await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
  await app.reload();
  await expect(cmp.getByRole('table', { name: 'Cross-validation by cell' }).getByRole('row', { name: /^VI LRO LRO rate/ })).toBeVisible();
  if (app.target === 'browser' && hasPoppler) {
    const { text } = await exportPdf(page, 'cross-validation');
    expect(text).toMatch(/Cross-validation against the paper: each cell fitted on \(in sample\) and predicted by a fit without its table/);
    expect(text).toMatch(/Where each fit put the cost groups/);
  }

  // a long one can be cancelled, and the last result stays
  await cmp.getByLabel('Evaluations per fit').fill('5000');
  await cmp.getByRole('button', { name: 'Cross-validate (4 fits)' }).click();
  await expect(cmp.getByRole('progressbar', { name: 'Cross-validation progress' })).toBeVisible();
  await cmp.getByRole('button', { name: 'Cancel' }).click();
  await expect(cmp.getByRole('alert').filter({ hasText: 'Cancelled; the last result (if any) is kept.' })).toBeVisible({ timeout: 30_000 });
  await expect(cmp.getByRole('table', { name: 'Cross-validation by cell' })).toBeVisible();
});

test('the "How good is the model?" template: the reproduction with the three diagnostic panels one click away', async ({ app }) => {
  test.setTimeout(120_000);
  const { page } = app;
  await page.getByLabel('From template').selectOption('diagnostics');
  await expect(page).toHaveURL(/#\/notebook\/\d+/);
  await expect(page.getByRole('heading', { name: 'How good is the model?' })).toBeVisible();
  await expect(page.locator('section.cell')).toHaveCount(3);
  await page.getByRole('button', { name: 'Run all' }).click();
  const cmp = page.locator('section.cell[data-kind="compare"]');
  // the chart opens on Table V, where the misfits the panels explain are
  await expect(cmp.getByRole('figure', { name: 'Comparison chart, Table V' })).toBeVisible({ timeout: 90_000 });
  await expect(cmp.getByRole('table', { name: /^Table V / }).getByRole('row', { name: /^DA · driver/ })).toContainText('%');
  // the misfits are named above the tables, from the table's own deltas
  await expect(cmp.locator('p.sim-fit')).toContainText(
    /^Simulated against the paper: 21 of 25 cells within tolerance; outside: V DA · driver, V DA · total, VI LRO, VII Linux\. With the calibrated presets, rxlab reproduce reports the model's misfits/,
  );
  await openPanel(cmp, 'How well does it predict what it was not fitted on…', cmp.getByLabel('Hold out'));
  await openPanel(cmp, 'Which knob moves which cell…', cmp.getByLabel('Method'));
  await openPanel(cmp, 'How firmly do the tables hold each cost…', cmp.getByLabel('Evaluations per point'));
  await expect(page.locator('section.cell[data-kind="markdown"]')).toContainText('How firmly do the tables hold each cost…');
});
