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

test('a netperf -v 2 histogram is drawn as a latency distribution with its percentiles', async ({ app }) => {
  const { page } = app;
  await openNewNotebook(page);
  const imp = await addCell(page, 'Import');
  await imp.getByLabel('Import log').setInputFiles(join(REAL_LOGS, 'netperf', 'netperf-2.4.4-manual-tcp_rr-v2-histogram.txt'));
  const group = imp.getByRole('group', { name: 'netperf-2.4.4-manual-tcp_rr-v2-histogram.txt latency distribution' });
  await group.scrollIntoViewIfNeeded();
  await expect(group.locator('.gtitle', { hasText: 'Distribution of the request/response time (netperf histogram)' })).toBeVisible({ timeout: 30_000 });
  const row = group.getByRole('table', { name: 'Latency percentiles' }).getByRole('row').nth(1);
  await expect(row).toHaveText(/TCP_RR \(line \d+\)\s*request\/response time\s*35,391\s*≤ 200 µs\s*≤ 200 µs\s*≤ 8 ms/);
  // the x axis is logarithmic: ticks run over decades of µs
  await expect(group.locator('.xtick').first()).toBeVisible();
  const out = join(ROOT, 'test-results', 'screens');
  mkdirSync(out, { recursive: true });
  await group.screenshot({ path: join(out, '12-latency-distribution.png') });
});
