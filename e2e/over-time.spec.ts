import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, REAL_LOGS, ROOT } from './fixtures.js';
import { addCell, backend, exportPdf, hasPoppler, openNewNotebook, recordTexts } from './page-helpers.js';

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
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(400); // charts re-theme on the scheme change
  await group.screenshot({ path: join(out, '12-latency-distribution-dark.png') });
});

test('a Plot of a send-size sweep sets the imported runs at their send sizes beside it', async ({ app }) => {
  const { page } = app;
  await openNewNotebook(page);
  const imp = await addCell(page, 'Import');
  // two real netperf TCP_STREAM runs at a 16384-byte send size (2997.84 and 5015.39 Mbit/s)
  await imp.getByLabel('Import log').setInputFiles([join(REAL_LOGS, 'netperf', 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt'), join(REAL_LOGS, 'netperf', 'netperf-2.7-freebsd-migrated-tcp_stream-no-blank-before-data-with-prompt.txt')]);
  await expect(imp.getByRole('article')).toHaveCount(2, { timeout: 30_000 });
  const sweep = await addCell(page, 'Sweep');
  await sweep.getByLabel('System').selectOption('Xen');
  await sweep.getByRole('combobox', { name: 'Vary' }).selectOption('message_bytes');
  await sweep.getByLabel('Message size from').fill('8192');
  await sweep.getByLabel('Message size to').fill('16384');
  await sweep.getByLabel('Message size step').fill('8192');
  await sweep.getByLabel('Seeds').fill('2');
  await sweep.getByRole('button', { name: 'Run' }).click();
  await expect(sweep.getByText('2 points × 2 seeds')).toBeVisible({ timeout: 120_000 });
  const plot = await addCell(page, 'Plot');
  await plot.getByRole('button', { name: 'Run' }).click();
  await plot.locator('.chart').scrollIntoViewIfNeeded();
  await expect(plot.locator('.legendtext', { hasText: 'Measured (2 imported runs)' })).toBeVisible({ timeout: 30_000 });
  // one measured point (both runs at 16384 bytes), drawn with its interval
  const csv = await plot.evaluate(() => document.querySelectorAll('.scatterlayer .trace').length);
  expect(csv).toBeGreaterThanOrEqual(2);
  // a change to the Import cell above marks the Plot stale
  await imp.getByLabel('Measured on').selectOption('Xen');
  await expect(plot.getByText('stale', { exact: false }).first()).toBeVisible();
});

test('a cell saved before the series were kept apart (records still carrying them) draws them too', async ({ app }) => {
  const { page } = app;
  type Created = { ok: boolean; value: { id: number } };
  const nb = (await backend(page, 'notebook.create', { title: 'older cell' })) as unknown as Created;
  const record = { line: 1, test: 'TCP_STREAM', interim: { throughput_units: '10^6bits/s', throughput: [36.46, 59.19, 73.39], seconds: [2.01, 2, 2.01], line: 2 } };
  const file = { fileId: 9, fileName: 'older.txt', sha256: 'x', tool: 'netperf', format: 'classic', parserVersion: 'rxlab-logs/1.0.0', sizeBytes: 1, importedAt: '2026-11-01T00:00:00Z', duplicate: false, runIds: [], warnings: [], document: { records: [record], profiles: [] } };
  await backend(page, 'notebook.save', { id: nb.value.id, cells: [{ id: '00000000-0000-4000-8000-0000000000d1', kind: 'import', config: {}, output: { files: [file] } }] });
  await page.evaluate((id) => (location.hash = `#/notebook/${id}`), nb.value.id);
  const group = page.getByRole('group', { name: 'older.txt over time' });
  await group.scrollIntoViewIfNeeded();
  await expect(group.locator('.scatterlayer .point')).toHaveCount(3, { timeout: 30_000 });
});

test('a Simulation cell draws its runs over time: the seeds averaged per interval, warm-up shaded, any measure', async ({ app }) => {
  const { page } = app;
  await openNewNotebook(page);
  const sim = await addCell(page, 'Simulation');
  await sim.locator('select').first().selectOption('DA');
  await sim.locator('select').first().selectOption('several');
  await sim.getByRole('group', { name: 'Systems to simulate' }).getByRole('checkbox', { name: 'LRO' }).check();
  await sim.getByLabel('Seeds').fill('2');
  await sim.getByRole('combobox', { name: /^Over time/ }).selectOption('1');
  await sim.getByRole('button', { name: 'Run' }).click();
  await expect(sim.getByRole('table', { name: 'Simulation results' })).toBeVisible({ timeout: 60_000 });

  const chart = sim.getByRole('figure', { name: 'Simulated Throughput over time' });
  await chart.scrollIntoViewIfNeeded();
  await expect(chart.locator('.gtitle')).toHaveText('Throughput over time — mean of 2 seeds, every 1 ms', { timeout: 30_000 });
  await expect(chart.locator('.legendtext', { hasText: 'LRO' })).toBeVisible();
  await expect(chart.locator('.legendtext', { hasText: 'DA' })).toBeVisible();
  await expect(chart.locator('.annotation-text', { hasText: 'warm-up' })).toBeVisible();
  // 180 intervals of 1 ms per system, drawn as lines
  const points = await chart.evaluate((el) => (el as unknown as { data: { x: number[] }[] }).data.map((d) => d.x.length));
  expect(points).toEqual([180, 180]);

  // the table's figures did not change with the trace: a traced seed equals the untraced one
  const traced = (await backend(page, 'sim.run', { runs: [{ system: 'DA', seed: 1, set: { trace_ms: 1 } }] })) as unknown as { value: { runs: { metrics: Record<string, number> }[] } };
  const plain = (await backend(page, 'sim.run', { runs: [{ system: 'DA', seed: 1 }] })) as unknown as { value: { runs: { metrics: Record<string, number> }[] } };
  expect(traced.value.runs[0]?.metrics['throughput_mbps']).toBe(plain.value.runs[0]?.metrics['throughput_mbps']);

  await sim.getByRole('combobox', { name: /^Measure/ }).selectOption({ label: 'CPU busy, driver domain' });
  const cpu = sim.getByRole('figure', { name: 'Simulated CPU busy, driver domain over time' });
  await expect(cpu.locator('.gtitle')).toHaveText('CPU busy, driver domain over time — mean of 2 seeds, every 1 ms', { timeout: 30_000 });
  await expect(cpu.locator('.ytick').first()).toContainText('%');

  // for review (test-results/screens/)
  await sim.getByRole('combobox', { name: /^Measure/ }).selectOption({ label: 'LRO rate' });
  const out = join(ROOT, 'test-results', 'screens');
  mkdirSync(out, { recursive: true });
  const lro = sim.getByRole('figure', { name: 'Simulated LRO rate over time' });
  await expect(lro.locator('.gtitle')).toContainText('LRO rate over time', { timeout: 30_000 });
  await sim.screenshot({ path: join(out, '13-simulation-over-time.png') });

  // saved with the cell: a reload draws it again without running, and the choice of interval is kept
  await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
  await app.reload();
  const again = page.locator('section.cell[data-kind="simulation"]').first();
  await expect(again.getByRole('combobox', { name: /^Over time/ })).toHaveValue('1');
  // the measure chosen is saved with the cell too (a view: it did not mark the cell stale)
  await expect(again.getByRole('combobox', { name: /^Measure/ })).toHaveValue('lro_rate');
  await expect(again.getByText('stale', { exact: true })).toBeHidden();
  await again.getByRole('figure', { name: 'Simulated LRO rate over time' }).scrollIntoViewIfNeeded();
  await expect(again.getByRole('figure', { name: 'Simulated LRO rate over time' }).locator('.gtitle')).toContainText('mean of 2 seeds', { timeout: 30_000 });
});

test('a Simulation cell sets a measured run over time from an Import cell above beside the model, and says when their lengths differ', async ({ app }) => {
  const { page } = app;
  await openNewNotebook(page);
  const imp = await addCell(page, 'Import');
  await imp.getByLabel('Import log').setInputFiles(join(REAL_LOGS, 'netperf', 'netperf-2.7.0-manual-migrated-tcp_stream-demo-interim-ending-at.txt'));
  await expect(imp.getByRole('article')).toHaveCount(1, { timeout: 30_000 });
  const sim = await addCell(page, 'Simulation');
  await sim.locator('select').first().selectOption('DA');
  await sim.getByLabel('Seeds').fill('1');
  await sim.getByRole('combobox', { name: /^Over time/ }).selectOption('10');
  await sim.getByRole('button', { name: 'Run' }).click();
  const chart = sim.getByRole('figure', { name: 'Simulated Throughput over time' });
  await chart.scrollIntoViewIfNeeded();
  await expect(chart.locator('.gtitle')).toHaveText('Throughput over time — mean of 1 seed, every 10 ms', { timeout: 60_000 });
  const beside = sim.getByRole('checkbox', { name: 'beside 1 measured run from Import cells above' });
  await expect(beside).not.toBeChecked();
  await beside.check();
  await expect(chart.locator('.legendtext', { hasText: /^measured: netperf-2\.7\.0-manual-migrated-tcp_stream-demo-interim-ending-at\.txt · TCP_STREAM/ })).toBeVisible({ timeout: 30_000 });
  const ys = await chart.evaluate((el) => (el as unknown as { data: { y: number[] }[] }).data[1]?.y);
  expect(ys).toEqual([36.46, 59.19, 73.39, 84.01, 75.63, 55.52, 70.94, 80.66, 86.42]);
  // the demo run lasts about 18 s, the simulation 0.18 s: one axis for both, so the cell says how to match them
  await expect(sim.getByText(/^The measured runs last up to 1\d\.\d s, the simulation 0\.180 s: set the knob duration_s/)).toBeVisible();
  // a view, saved with the cell: nothing goes stale, a reload keeps it, and the PDF draws the same
  await expect(sim.getByText('stale', { exact: true })).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
  await app.reload();
  const again = page.locator('section.cell[data-kind="simulation"]').first();
  await expect(again.getByRole('checkbox', { name: /^beside 1 measured run/ })).toBeChecked();
  await again.getByRole('figure', { name: 'Simulated Throughput over time' }).scrollIntoViewIfNeeded();
  await expect(again.locator('.legendtext', { hasText: /^measured: / })).toBeVisible({ timeout: 30_000 });
  const { text } = await exportPdf(page, 'sim-over-time');
  if (hasPoppler) {
    expect(text).toContain('Simulated throughput over time');
    expect(text).toContain('1 measured run(s) from the Import cells above');
  }
  // one click gives the simulation the measured run's length and sampling; run again and they line up
  const matchButton = again.getByRole('button', { name: /^Match them: duration_s 1\d\.\d s, every 2\d{3} ms$/ });
  const [, duration, every] = /duration_s ([\d.]+) s, every (\d+) ms/.exec(await matchButton.innerText()) ?? [];
  await matchButton.click();
  await expect(again.locator('label.knob', { hasText: 'Duration' }).getByRole('textbox')).toHaveValue(duration ?? '?');
  await expect(again.getByRole('combobox', { name: /^Over time/ })).toHaveValue(every ?? '?');
  await again.getByRole('button', { name: 'Run' }).click();
  await expect(again.getByRole('figure', { name: 'Simulated Throughput over time' }).locator('.gtitle')).toHaveText(new RegExp(`every ${every} ms$`), { timeout: 60_000 });
  await expect(again.getByText(/^The measured runs last up to/)).toHaveCount(0);
  await again.getByRole('figure', { name: 'Simulated Throughput over time' }).screenshot({ path: join(ROOT, 'test-results', 'screens', '15-simulated-beside-measured.png') }); // for review

  // the CPU shares have no measured series to sit beside: the choice goes away
  await again.getByRole('combobox', { name: /^Measure/ }).selectOption({ label: 'CPU busy, guest' });
  await expect(again.getByRole('checkbox', { name: /^beside/ })).toHaveCount(0);
});

test('a long simulated run shows how far it is, not only how many runs are done, and Cancel stops it', async ({ app }) => {
  const { page } = app;
  await openNewNotebook(page);
  const sim = await addCell(page, 'Simulation');
  await sim.locator('select').first().selectOption('Xen');
  await sim.getByLabel('Seeds').fill('1');
  await sim.getByLabel('Set a knob').selectOption('duration_s');
  await sim.locator('label.knob', { hasText: 'Duration' }).getByRole('textbox').fill('20');
  const badges = await recordTexts(page, 'section.cell[data-kind="simulation"] .run-badge');
  await sim.getByRole('button', { name: 'Run' }).click();
  await expect(sim.getByRole('table', { name: 'Simulation results' })).toBeVisible({ timeout: 60_000 });
  // one run of 20 s simulated (about a second here): the badge counted within it (read four times a second)
  const seen = await badges();
  expect(seen.filter((t) => /^running… 0\.[1-9] \/ 1 runs$/.test(t)).length).toBeGreaterThan(0);

  // a much longer run is cancelled part-way: the badge goes, the cell says so, the last results stay
  await sim.locator('label.knob', { hasText: 'Duration' }).getByRole('textbox').fill('600');
  await sim.getByRole('button', { name: 'Run' }).click();
  await expect(sim.locator('.run-badge', { hasText: /^running… 0\.\d \/ 1 runs$/ })).toBeVisible({ timeout: 30_000 });
  await sim.screenshot({ path: join(ROOT, 'test-results', 'screens', '14-simulation-running.png') }); // for review
  await sim.getByRole('button', { name: 'Cancel' }).click();
  await expect(sim.locator('.run-badge')).toBeHidden({ timeout: 30_000 });
  await expect(sim.getByText('Cancelled.')).toBeVisible();
  await expect(sim.getByRole('table', { name: 'Simulation results' })).toBeVisible();
});
