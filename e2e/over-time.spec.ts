import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, REAL_LOGS, ROOT } from './fixtures.js';
import { addCell, openNewNotebook } from './page-helpers.js';

/** Time series in imported logs (netperf demo mode, iperf3 intervals, flent samples) are drawn over time, as flent draws them. */
test('an Import cell draws each run over time: flent RRUL as a rate chart and a latency chart, a netperf demo run in Mbit/s', async ({ app }) => {
  const { page } = app;
  await openNewNotebook(page);
  const imp = await addCell(page, 'Import');
  await imp.getByLabel('Import log').setInputFiles([join(REAL_LOGS, 'flent', 'flent-test-rrul.flent.gz'), join(REAL_LOGS, 'netperf', 'netperf-2.7.0-manual-migrated-tcp_stream-demo-interim-ending-at.txt')]);
  await expect(imp.getByRole('article')).toHaveCount(2, { timeout: 30_000 });

  const flent = imp.getByRole('article', { name: 'Imported flent-test-rrul.flent.gz' });
  const charts = flent.getByRole('group', { name: 'flent-test-rrul.flent.gz over time' });
  await charts.scrollIntoViewIfNeeded();
  await expect(charts.locator('.gtitle', { hasText: 'Over time — Mbit/s' })).toBeVisible({ timeout: 30_000 });
  await expect(charts.locator('.gtitle', { hasText: 'Over time — ms' })).toBeVisible();
  await expect(charts.locator('.legendtext', { hasText: 'Ping (ms) ICMP' })).toBeVisible();
  await expect(charts.locator('.legendtext', { hasText: 'TCP download BE' }).first()).toBeVisible();
  await expect(charts).toContainText(`drawn as 600 bucket means`);

  const netperf = imp.getByRole('article', { name: /demo-interim-ending-at/ });
  const one = netperf.getByRole('group', { name: /over time$/ });
  await one.scrollIntoViewIfNeeded();
  await expect(one.locator('.gtitle', { hasText: 'Over time — Mbit/s' })).toBeVisible({ timeout: 30_000 });
  // one run: no legend; nine interim results as points
  await expect(one.locator('.legendtext')).toHaveCount(0);
  await expect(one.locator('.scatterlayer .point')).toHaveCount(9);

  // for review (test-results/screens/)
  const out = join(ROOT, 'test-results', 'screens');
  mkdirSync(out, { recursive: true });
  await charts.screenshot({ path: join(out, '11-over-time-flent.png') });

  // a reload keeps the charts (the series are saved with the cell, not fetched again)
  await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
  await app.reload();
  await charts.scrollIntoViewIfNeeded();
  await expect(charts.locator('.gtitle', { hasText: 'Over time — ms' })).toBeVisible({ timeout: 30_000 });
});
