import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, REAL_LOGS } from './fixtures.js';
import { backend } from './page-helpers.js';

/** The stored-runs browser: from the empty store to a Compare notebook built from a selection. */
test('stored runs: filter, sort, search, select, compare in a new notebook', async ({ app }) => {
  test.setTimeout(120_000);
  const { page } = app;
  await page.getByRole('button', { name: 'Stored runs' }).click();
  await expect(page).toHaveURL(/#\/runs$/);
  await expect(page.getByRole('heading', { name: 'Nothing stored yet' })).toBeVisible();

  const sim = await backend(page, 'sim.run', { runs: [{ system: 'Xen', seed: 1 }, { system: 'DA', seed: 1, set: { trace_ms: 10 } }] });
  expect(sim.ok).toBe(true);
  const log = readFileSync(join(REAL_LOGS, 'netperf', 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt'));
  const imp = await backend(page, 'log.import', { fileName: 'stream.txt', dataBase64: log.toString('base64') });
  expect(imp.ok).toBe(true);

  await app.reload(); // the hash keeps the view
  const table = page.getByRole('table', { name: 'Stored runs' });
  await expect(table).toBeVisible();
  await expect(page.getByText(/^Runs 1–3 of 3$/)).toBeVisible();
  // newest first: the imported record, then DA, then Xen
  await expect(table.getByRole('button', { name: /^Details of run/ })).toHaveText(['#3', '#2', '#1']);
  await expect(table.locator('tbody tr').first()).toContainText('stream.txt');

  await page.getByLabel('Kind').selectOption('simulated');
  await expect(page.getByText(/^Runs 1–2 of 2$/)).toBeVisible();
  await table.getByRole('button', { name: 'Throughput' }).click();
  await expect(table.getByRole('columnheader', { name: /Throughput/ })).toHaveAttribute('aria-sort', 'descending');
  await expect(table.locator('tbody tr').first()).toContainText('DA'); // DA ≈ 720 Mbit/s, Xen ≈ 534
  await table.getByRole('button', { name: /Throughput/ }).click();
  await expect(table.getByRole('columnheader', { name: /Throughput/ })).toHaveAttribute('aria-sort', 'ascending');
  await expect(table.locator('tbody tr').first()).toContainText('Xen');
  // the filters and the sort are in the URL: reload keeps them
  await expect(page).toHaveURL(/#\/runs\?kind=simulated&sort=throughput&order=asc$/);
  await app.reload();
  await expect(page.getByLabel('Kind')).toHaveValue('simulated');
  await expect(page.getByText(/^Runs 1–2 of 2$/)).toBeVisible();
  await expect(table.getByRole('columnheader', { name: /Throughput/ })).toHaveAttribute('aria-sort', 'ascending');
  // a page past the end (an old link, fewer runs now) shows the last page
  await page.evaluate(() => history.replaceState(null, '', '#/runs?kind=simulated&offset=500'));
  await app.reload();
  await expect(page.getByText(/^Runs 1–2 of 2$/)).toBeVisible();

  // details: provenance of one run
  await table.getByRole('button', { name: 'Details of run 1' }).click();
  await expect(page.getByRole('definition').filter({ hasText: /model rxsim-.* · seed 1/ })).toBeVisible();
  await expect(page.getByRole('figure', { name: 'Run 1 over time' })).toHaveCount(0); // not traced
  // a traced run (trace_ms) is drawn over time in its details
  await table.getByRole('button', { name: 'Details of run 2' }).click();
  const over = page.getByRole('figure', { name: 'Run 2 over time' });
  await over.scrollIntoViewIfNeeded();
  await expect(over.locator('.main-svg').first()).toBeVisible({ timeout: 30_000 });
  await expect.poll(() => over.evaluate((el) => (el as unknown as { data: { x: number[] }[] }).data[0]?.x.length)).toBe(18);
  await table.getByRole('button', { name: 'Details of run 1' }).click();

  // "/" jumps to the search box; a run id finds exactly that run
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('/');
  await expect(page.getByLabel('Search runs')).toBeFocused();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByLabel('Search runs').fill('#2');
  await expect(page.getByText(/^Runs 1–1 of 1$/)).toBeVisible();
  await page.getByLabel('Search runs').fill('no such label');
  await expect(page.getByText('No stored run matches these filters.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await expect(page.getByText(/^Runs 1–3 of 3$/)).toBeVisible();

  // select all three; Esc clears, select again, then compare
  await page.getByLabel('Select every run on this page').check();
  await expect(page.getByLabel('Selected ids')).toHaveText('1-3');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Escape');
  await expect(page.getByRole('toolbar', { name: 'Selected runs' })).toHaveCount(0);
  // click the first, Shift+click the last: the three
  await page.getByLabel('Select run 3').click();
  await page.getByLabel('Select run 1').click({ modifiers: ['Shift'] });
  for (const id of [1, 2, 3]) await expect(page.getByLabel(`Select run ${id}`)).toBeChecked();
  await expect(page.getByRole('toolbar', { name: 'Selected runs' })).toContainText('3 selected');
  await page.getByRole('button', { name: 'Compare in a new notebook' }).click();

  await expect(page).toHaveURL(/#\/notebook\/\d+/);
  await expect(page.getByLabel('Notebook title')).toHaveValue('Compare 3 stored runs');
  const cmp = page.locator('section.cell[data-kind="compare"]');
  await expect(cmp.getByPlaceholder('e.g. 12, 20-25')).toHaveValue('1-2');
  await expect(cmp.getByPlaceholder('e.g. 3, 4')).toHaveValue('1');
  await cmp.getByRole('button', { name: 'Run' }).click();
  const iv = cmp.getByRole('table', { name: /^Table IV / });
  await expect(iv).toBeVisible({ timeout: 30_000 });
  await expect(cmp.getByText(/Measured column: Xen row from 1 imported file/)).toBeVisible();
  // the simulated DA run is in Table IV's DA row
  await expect(iv.getByRole('row', { name: /^DA / })).toContainText(/7\d\d\.\d/);
});
