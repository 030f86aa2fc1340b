import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures.js';
import { addRunCompareCell, exportPdf, hasPoppler, openNewNotebook, openPanel } from './page-helpers.js';

const PANEL = 'How firmly do the tables hold each cost…';
const CHART = 'Profiles of the calibration objective';

test('profile of the calibration objective: chosen multipliers refitted around the fit, kept with the output, in the report, and cancellable', async ({ app }) => {
  test.setTimeout(180_000);
  const { page } = app;
  await openNewNotebook(page);
  const cmp = await addRunCompareCell(page);

  await openPanel(cmp, PANEL, cmp.getByLabel('Evaluations per point'));
  // the CLI's defaults: six multipliers at four factors and the centre
  const knobs = cmp.getByRole('group', { name: 'Multipliers' });
  await expect(knobs.getByRole('checkbox')).toHaveCount(11);
  for (const k of ['pirq', 'stack', 'irq_poll', 'copy', 'gcopy', 'sender']) await expect(knobs.getByRole('checkbox', { name: k, exact: true })).toBeChecked();
  await expect(knobs.getByRole('checkbox', { name: 'l_ext_us', exact: true })).not.toBeChecked();
  await expect(cmp.getByRole('button', { name: 'Profile (30 refits)' })).toBeVisible();
  await expect(cmp.getByText('about 8 min on 2 cores')).toBeVisible();
  // bad input is named, and nothing runs
  await cmp.getByLabel('Factors').fill('0.5, x');
  await expect(cmp.getByRole('alert').filter({ hasText: 'Factors: "x" is not a number from 0.1 to 10' })).toBeVisible();
  await expect(cmp.getByRole('button', { name: /^Profile \(/ })).toBeDisabled();
  await cmp.getByLabel('Factors').fill('2');
  for (const k of ['pirq', 'stack', 'irq_poll', 'copy', 'sender']) await knobs.getByRole('checkbox', { name: k, exact: true }).uncheck();
  await cmp.getByLabel('Evaluations per point').fill('10');
  await expect(cmp.getByRole('alert').filter({ hasText: 'Evaluations per point: a whole number from 11 to 2000' })).toBeVisible();
  await cmp.getByLabel('Evaluations per point').fill('11');
  await cmp.getByRole('button', { name: 'Profile (2 refits)' }).click();

  const table = cmp.getByRole('table', { name: 'Profiles by multiplier' });
  await expect(table).toBeVisible({ timeout: 120_000 });
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('row', { name: /^gcopy \(hypervisor grant copy per byte\) [\d.]+ \(\d+\) [\d.]+ \(\d+\) (pinned|flat|lower)/ })).toBeVisible();
  // the centre is the committed calibration: 21 of 25 cells
  await expect(cmp.getByRole('status').filter({ hasText: /^Committed fit: objective [\d.]+, 21 of 25 cells within tolerance, on seeds 11, 12, 13, 14\./ })).toBeVisible();
  // the chart's data: one row per point with the cells inside and those outside
  await cmp.getByRole('figure', { name: CHART }).scrollIntoViewIfNeeded();
  const dl = page.waitForEvent('download');
  await cmp.getByRole('button', { name: `Download the data of ${CHART} as CSV` }).click();
  const csv = readFileSync(await (await dl).path(), 'utf8').split('\r\n').filter((l) => l !== '');
  expect(csv[0]).toBe('series,x,y,error,cells_inside,cells,outside_tolerance');
  expect(csv).toHaveLength(3);
  // the centre is the committed calibration itself: its objective and its five misfits
  expect(csv[1]).toMatch(/^gcopy,1,98\.675\d*,,21,25,"V DA driver, V DA total, VI LRO LRO rate, VII Linux TCP_RR"$/); // the committed objective, exactly

  // kept with the output, options included: a reload shows both again
  await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
  await app.reload();
  await expect(cmp.getByRole('table', { name: 'Profiles by multiplier' }).getByRole('row', { name: /^gcopy/ })).toBeVisible();
  await expect(cmp.getByRole('button', { name: 'Profile (2 refits)' })).toBeVisible();
  if (app.target === 'browser' && hasPoppler) {
    const { text } = await exportPdf(page, 'objective-profile');
    expect(text).toMatch(/Calibration objective along each multiplier, the others refitted/);
    expect(text).toMatch(/gcopy \(hypervisor grant copy per\s/);
    expect(text).toMatch(/Model rxsim-[^ ]+\. In the centre column \(×1\.00\) the committed calibration itself\./);
  }

  // a long one can be cancelled, and the last result stays
  await cmp.getByLabel('Evaluations per point').fill('2000');
  await cmp.getByRole('button', { name: 'Profile (2 refits)' }).click();
  await expect(cmp.getByRole('progressbar', { name: 'Profile progress' })).toBeVisible();
  await cmp.getByRole('button', { name: 'Cancel' }).click();
  await expect(cmp.getByRole('alert').filter({ hasText: 'Cancelled; the last result (if any) is kept.' })).toBeVisible({ timeout: 30_000 });
  await expect(cmp.getByRole('table', { name: 'Profiles by multiplier' })).toBeVisible();
});
