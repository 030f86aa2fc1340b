import { test, expect } from './fixtures.js';
import { backend, exportPdf, hasPoppler } from './page-helpers.js';

const KINDS = ['simulation', 'sweep', 'import', 'compare', 'plot'] as const;
// Saved results in shapes this build does not draw: a hand-edited .rxnb, or another build's output.
const SHAPES: unknown[] = [
  'x',
  7,
  [1],
  { files: 'x' },
  { files: [null] },
  { files: [{ fileName: 3, document: 'x' }] },
  { runIds: 'x', summary: 5 },
  { tables: 'x' },
  { tables: [{ rows: 'x' }] },
  { series: [null] },
  { points: [null] },
  { objective_profile: { profiles: 3 }, cross_validation: { cells: 1 }, sensitivity: { cells: 'x' } },
];
type Created = { ok: boolean; value: { id: number } };

test('a cell whose saved result cannot be drawn says so in its place; the rest of the notebook works, nothing is lost, and Run replaces it', async ({ app }) => {
  test.setTimeout(120_000);
  const { page } = app;
  const nb = (await backend(page, 'notebook.create', { title: 'damaged results' })) as unknown as Created;
  let n = 0;
  const id = (): string => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  const cells = [
    { id: id(), kind: 'markdown', config: { source: 'Notes before' } },
    { id: id(), kind: 'simulation', config: { systems: ['Xen'], workload: 'stream', seeds: 1, set: { duration_s: 0.05, warmup_s: 0.01 } }, output: { runIds: 'x', summary: 5 } },
    ...KINDS.flatMap((kind) => SHAPES.map((output) => ({ id: id(), kind, config: {}, output }))),
    // a Plot cell of its own reading a damaged Sweep cell
    { id: id(), kind: 'sweep', config: {}, output: { vary: 'x', points: [null] } },
    { id: id(), kind: 'plot', config: { source: 'previous', y: 'throughput_mbps' } },
    { id: id(), kind: 'markdown', config: { source: 'Notes after' } },
  ];
  await backend(page, 'notebook.save', { id: nb.value.id, cells });
  await page.evaluate((i) => (location.hash = `#/notebook/${i}`), nb.value.id);
  // every cell is there (the fixture fails the test on any uncaught page error)
  await expect(page.locator('section.cell')).toHaveCount(cells.length);
  await expect(page.getByText('Notes before')).toBeVisible();
  await page.locator('section.cell').last().scrollIntoViewIfNeeded();
  await expect(page.getByText('Notes after')).toBeVisible();
  const failed = page.locator('.cell-failed');
  await expect(failed).toHaveCount(cells.length - 3);
  const plot = page.locator('section.cell').nth(cells.length - 2);
  await expect(plot.locator('.cell-failed')).toHaveCount(0);
  await plot.getByRole('button', { name: 'Run' }).click();
  await expect(plot.getByRole('alert')).toHaveText("The source cell's saved result cannot be read: run the Sweep cell again");
  const sim = page.locator('section.cell').nth(1);
  await expect(sim.getByRole('alert')).toContainText(/^This cell cannot be shown: .+\. What it stores — its settings, its result and the runs behind it — is kept as it was/);
  await expect(page.getByRole('button', { name: 'Add cell' })).toBeEnabled();

  // the report is built from the same store and reads what it can
  if (app.target === 'browser' && hasPoppler) {
    const { text } = await exportPdf(page, 'damaged');
    expect(text).toContain('Notes before');
    expect(text).toContain('Notes after');
  }

  // Run replaces the result and the cell draws again; the others keep theirs
  await sim.getByRole('button', { name: 'Run' }).click();
  await expect(sim.getByRole('table', { name: 'Simulation results' })).toBeVisible({ timeout: 60_000 });
  await expect(sim.locator('.cell-failed')).toHaveCount(0);
  await expect(failed).toHaveCount(cells.length - 4);
  await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
  await app.reload();
  await expect(page.locator('section.cell').nth(1).getByRole('table', { name: 'Simulation results' })).toBeVisible({ timeout: 30_000 });
  const stored = (await backend(page, 'notebook.get', { id: nb.value.id })) as unknown as { value: { cells: { output: unknown }[] } };
  // every damaged result is still stored as it was
  expect(stored.value.cells.slice(2, -2).map((c) => c.output)).toEqual(cells.slice(2, -2).map((c) => c.output));
});

test('cells whose stored settings are damaged still draw, and Run says what is wrong', async ({ app }) => {
  const { page } = app;
  const configs: Record<string, unknown>[] = [
    { systems: 'x', seeds: 'abc', set: 5, workload: 7 },
    { systems: [null], set: { mtu: { b: 1 } }, vary: 'x' },
    { vary: [null, { key: 3 }], system: 5, seeds: -3, set: [1] },
    { source: 5, x: [], y: {} },
    { sources: 5, exclude: 'x', chart: 9, measuredSystem: {} },
  ];
  const nb = (await backend(page, 'notebook.create', { title: 'damaged settings' })) as unknown as Created;
  let n = 0;
  const id = (): string => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  const cells = (['markdown', 'simulation', 'sweep', 'import', 'compare', 'plot'] as const).flatMap((kind) => configs.map((config) => ({ id: id(), kind, config })));
  await backend(page, 'notebook.save', { id: nb.value.id, cells });
  await page.evaluate((i) => (location.hash = `#/notebook/${i}`), nb.value.id);
  await expect(page.locator('section.cell')).toHaveCount(cells.length);
  await expect(page.locator('.cell-failed')).toHaveCount(0);
  await page.getByRole('button', { name: 'Run all' }).click();
  const sim = page.locator('section.cell[data-kind="simulation"]').first();
  // the cell's own check of the field; Run's refusal is not said twice, it goes to the field
  await expect(sim.getByLabel('Seeds')).toBeFocused();
  await expect(sim.getByRole('alert')).toHaveText('Seeds: a whole number from 1 to 100');
  const sweep = page.locator('section.cell[data-kind="sweep"]').nth(2);
  await sweep.getByRole('button', { name: 'Run' }).click(); // Run all stopped at the first cell that failed
  await expect(sweep.getByRole('alert').filter({ hasText: /^Choose a system$/ })).toBeVisible();
  await expect(page.locator('.cell-failed')).toHaveCount(0);
});
