import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures.js';

test('exports: runs and tables as CSV/JSON, charts as PNG/SVG, the notebook as .rxnb that imports back', async ({ app }) => {
  const { page } = app;
  await page.getByRole('button', { name: 'New notebook' }).click();
  await expect(page).toHaveURL(/#\/notebook\/\d+/);
  const firstUrl = page.url();

  await page.getByRole('button', { name: 'Add cell' }).click();
  await page.getByRole('menuitem', { name: 'Simulation', exact: true }).click();
  const sim = page.locator('section.cell[data-kind="simulation"]').first();
  await sim.getByLabel('System').selectOption('DA');
  await sim.getByLabel('Seeds').fill('2');
  await sim.getByRole('button', { name: 'Run' }).click();
  await expect(sim.getByRole('table', { name: 'Simulation results' })).toBeVisible({ timeout: 60_000 });

  await sim.getByText('Export', { exact: true }).click();
  let dl = page.waitForEvent('download');
  await sim.getByRole('button', { name: 'Runs as CSV' }).click();
  const runsCsv = readFileSync(await (await dl).path(), 'utf8');
  expect(runsCsv.split('\r\n')[0]).toMatch(/^run_id,kind,system,workload,seed,model_version,app_version,input_sha256,.*throughput_mbps/);
  expect(runsCsv).toContain(',simulated,DA,stream,1,');

  // the table as CSV: numbers at full precision, not the rounded "mean ± half-width" text shown
  dl = page.waitForEvent('download');
  await sim.getByRole('button', { name: 'Tables as CSV' }).click();
  const csvLines = readFileSync(await (await dl).path(), 'utf8').split(/\r?\n/);
  const head = csvLines.find((l) => l.includes('mean'))?.split(',') ?? [];
  const da = csvLines.find((l) => l.startsWith('DA,'))?.split(',') ?? [];
  const at = head.findIndex((h) => /^Throughput.* mean$/.test(h));
  expect(at).toBeGreaterThan(0);
  expect(Number(da[at])).toBeGreaterThan(100);
  expect(da[at]).not.toContain('±');
  expect(Number(da[head.findIndex((h) => /^Throughput.* n$/.test(h))])).toBe(2);

  dl = page.waitForEvent('download');
  await sim.getByRole('button', { name: 'Tables as JSON' }).click();
  const tables = JSON.parse(readFileSync(await (await dl).path(), 'utf8')) as { columns: string[]; rows: string[][] }[];
  expect(tables[0]?.rows.some((r) => r[0]?.startsWith('DA'))).toBe(true);

  await page.getByRole('button', { name: 'Add cell' }).click();
  await page.getByRole('menuitem', { name: 'Compare', exact: true }).click();
  const cmp = page.locator('section.cell[data-kind="compare"]').first();
  await cmp.getByRole('button', { name: 'Run' }).click();
  await cmp.locator('.chart').scrollIntoViewIfNeeded();
  await expect(cmp.locator('.main-svg').first()).toBeVisible({ timeout: 30_000 });
  dl = page.waitForEvent('download');
  await cmp.getByRole('button', { name: /as SVG$/ }).first().click();
  const svg = await dl;
  expect(svg.suggestedFilename()).toMatch(/\.svg$/);
  expect(readFileSync(await svg.path(), 'utf8')).toContain('<svg');
  dl = page.waitForEvent('download');
  await cmp.getByRole('button', { name: /as PNG$/ }).first().click();
  const png = readFileSync(await (await dl).path());
  expect(png.subarray(1, 4).toString()).toBe('PNG');

  await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
  dl = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export .rxnb' }).click();
  const rxnb = await dl;
  expect(rxnb.suggestedFilename()).toMatch(/\.rxnb$/);
  const rxnbPath = await rxnb.path();

  await page.getByRole('button', { name: /Notebooks/ }).click();
  await page.getByLabel('Import notebook').setInputFiles({ name: 'copy.rxnb', mimeType: 'application/json', buffer: readFileSync(rxnbPath) });
  await expect(page).toHaveURL(/#\/notebook\/\d+/);
  expect(page.url()).not.toBe(firstUrl);
  await expect(page.locator('section.cell')).toHaveCount(2);
  await expect(page.getByRole('table', { name: 'Simulation results' })).toContainText('DA');
});

test('the flush-policy trade-off template runs its sweeps and draws latency against throughput', async ({ app }) => {
  const { page } = app;
  await page.getByLabel('From template').selectOption('tradeoff');
  await expect(page).toHaveURL(/#\/notebook\/\d+/);
  await expect(page.locator('section.cell')).toHaveCount(5);
  await page.getByRole('button', { name: 'Run all' }).click();
  const plots = page.locator('section.cell[data-kind="plot"]');
  for (const i of [0, 1]) {
    const plot = plots.nth(i);
    await plot.scrollIntoViewIfNeeded();
    await expect(plot.locator('.main-svg').first()).toBeVisible({ timeout: 120_000 });
    await expect(plot.locator('.scatterlayer .point').first()).toBeVisible({ timeout: 120_000 });
  }
});

test('the LRO-placement template sets LRO in netfront beside the calibrated systems', async ({ app }) => {
  const { page } = app;
  await page.getByLabel('From template').selectOption('placement');
  await expect(page).toHaveURL(/#\/notebook\/\d+/);
  const sims = page.locator('section.cell[data-kind="simulation"]');
  await expect(sims).toHaveCount(2);
  await page.getByRole('button', { name: 'Run all' }).click();
  for (const i of [0, 1]) await expect(sims.nth(i).getByRole('table', { name: 'Simulation results' })).toContainText('DA', { timeout: 120_000 });
  // Only the second cell has a netfront LRO rate; the first cell's systems leave netfront alone.
  const second = sims.nth(1);
  await second.getByText(/All metrics/).click();
  const row = second.getByRole('row', { name: /netfront LRO rate/ });
  await expect(row).toBeVisible();
  await expect(row).toContainText('±');
  await sims.nth(0).getByText(/All metrics/).click();
  await expect(sims.nth(0).getByRole('row', { name: /netfront LRO rate/ })).toHaveCount(0);
});
