import { test, expect } from './fixtures.js';
import { backend } from './page-helpers.js';

type Got = { ok: boolean; value: { cells: { id: string; kind: string; config: Record<string, unknown>; output: { groups: { provenance: { modelVersion: string } }[] } | null; stale: boolean }[] } };

test('a result simulated with another model than this build’s is marked until the cell runs again', async ({ app }) => {
  test.setTimeout(90_000);
  const { page } = app;
  const nb = (await backend(page, 'notebook.create', { title: 'older model' })) as unknown as { value: { id: number } };
  const config = { systems: ['Xen'], workload: 'stream', seeds: 1, set: { duration_s: 0.05, warmup_s: 0.01 } };
  await backend(page, 'notebook.save', { id: nb.value.id, cells: [{ id: '00000000-0000-4000-8000-000000000001', kind: 'simulation', config }] });
  await page.evaluate((i) => (location.hash = `#/notebook/${i}`), nb.value.id);
  const sim = page.locator('section.cell').first();
  await sim.getByRole('button', { name: 'Run' }).click();
  await expect(sim.getByRole('table', { name: 'Simulation results' })).toBeVisible({ timeout: 60_000 });
  await expect(sim.getByText('other model', { exact: true })).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();

  // the same result as an older build stored it: its provenance names another model
  const got = (await backend(page, 'notebook.get', { id: nb.value.id })) as unknown as Got;
  const [cell] = got.value.cells;
  const current = cell?.output?.groups[0]?.provenance.modelVersion ?? '';
  expect(current).toMatch(/^rxsim-/);
  for (const g of cell?.output?.groups ?? []) g.provenance.modelVersion = 'rxsim-0.9.0+0123456789';
  const cells = got.value.cells.map(({ id, kind, config, output, stale }) => ({ id, kind, config, output, stale }));
  expect(await backend(page, 'notebook.save', { id: nb.value.id, cells })).toMatchObject({ ok: true });
  await app.reload();
  const badge = sim.getByText('other model', { exact: true });
  await expect(badge).toBeVisible();
  await expect(badge).toHaveAttribute('title', `Simulated with model rxsim-0.9.0+0123456789; this build runs ${current}`);
  await expect(sim.getByRole('note')).toHaveText(`Simulated with model rxsim-0.9.0+0123456789; this build runs ${current}. Run the cell to simulate it with this model (the earlier runs stay in the store, under their model).`);
  // the result is still drawn as it was
  await expect(sim.getByRole('table', { name: 'Simulation results' })).toBeVisible();

  await sim.getByRole('button', { name: 'Run' }).click();
  await expect(badge).toHaveCount(0, { timeout: 60_000 });
  await expect(sim.getByRole('note')).toHaveCount(0);
});
