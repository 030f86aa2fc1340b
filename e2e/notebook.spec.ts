import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { test, expect, REAL_LOGS, ROOT } from './fixtures.js';
import { addCell, addRunCompareCell, backend, openNewNotebook, recordTexts, wired } from './page-helpers.js';
import { netperfRun, rng } from '../core/logs/generate.js';
import { pagesOf, zeroPage } from '../core/store/test-fixture.js';

const NETPERF = join(REAL_LOGS, 'netperf', 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt');
const NETPERF_RR = join(REAL_LOGS, 'netperf', 'netperf-2.4.4-manual-tcp_rr-default.txt');
const OPREPORT = join(REAL_LOGS, 'oprofile', 'xenoprof-rhel5-xen3.1-opreport-t1-symbols-3thread-columns-xen-syms-booktypeset.txt');

async function newNotebook(page: Page): Promise<void> {
  await openNewNotebook(page);
  await expect(page.getByText('An empty notebook')).toBeVisible();
}

async function expectSaved(page: Page): Promise<void> {
  await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
}

test('first start offers “Reproduce the paper”; list supports rename, duplicate, delete with undo, a title filter and a trash to restore from', async ({ app }) => {
  const { page } = app;
  const list = page.getByRole('list', { name: 'Notebooks' });
  await expect(list.getByRole('link', { name: 'Reproduce the paper' })).toBeVisible();
  // where the data lives, and the backup the first start took
  const about = page.getByLabel('About this store');
  await expect(about).toContainText(app.dbPath);
  await expect(about).toContainText(`newest backup`);
  await expect(about).toContainText(`${app.dbPath}.backup`);
  await page.getByRole('button', { name: 'Rename Reproduce the paper' }).click();
  await page.getByLabel('New title').fill('Paper, again');
  await page.getByLabel('New title').press('Enter');
  await expect(list.getByRole('link', { name: 'Paper, again' })).toBeVisible();
  // from the keyboard: the field takes the typing at once (Svelte's autofocus left it on the button)
  await page.getByRole('button', { name: 'Rename Paper, again' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('New title')).toBeFocused();
  await page.keyboard.type('Typed, then dropped');
  await page.keyboard.press('Escape');
  await expect(page.getByLabel('New title')).toHaveCount(0);
  // Esc leaves the field without saving what was typed, back on the Rename button
  await page.getByRole('button', { name: 'Rename Paper, again' }).click();
  await page.getByLabel('New title').fill('Not this one');
  await page.getByLabel('New title').press('Escape');
  await expect(page.getByRole('button', { name: 'Rename Paper, again' })).toBeFocused();
  await page.waitForTimeout(300); // a rename would be back by now
  await expect(list.getByRole('link')).toHaveText(['Paper, again']);
  await page.getByRole('button', { name: 'Duplicate Paper, again' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await page.getByRole('button', { name: 'Delete Paper, again' }).first().click();
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(2);
  // the filter narrows the list by title
  await page.getByRole('button', { name: 'Rename Paper, again' }).first().click();
  await page.getByLabel('New title').fill('Delayed aggregation');
  await page.getByLabel('New title').press('Enter');
  await page.getByLabel('Filter notebooks').fill('delayed');
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(list.getByRole('link')).toHaveText('Delayed aggregation');
  await page.getByLabel('Filter notebooks').fill('nothing like it');
  await expect(page.getByText('No notebook title contains “nothing like it”.')).toBeVisible();
  await page.getByLabel('Filter notebooks').fill('');
  // a notebook deleted long ago (past the Undo toast) comes back from the Trash
  await page.getByRole('button', { name: 'Delete Delayed aggregation' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await page.getByRole('button', { name: 'Trash (1)' }).click();
  const trash = page.getByRole('list', { name: 'Trash' });
  await expect(trash.getByRole('listitem')).toContainText('Delayed aggregation');
  await trash.getByRole('button', { name: 'Restore Delayed aggregation' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await expect(page.getByRole('button', { name: /^Trash/ })).toBeHidden();
  // the template's cells are there
  await list.getByRole('link', { name: 'Paper, again' }).click();
  await expect(page.locator('section.cell')).toHaveCount(3);
  await expect(page.getByRole('heading', { name: 'Reproduce the paper' })).toBeVisible();
});

test('researcher walk: simulate DA, import real netperf + opreport, compare with Tables IV–VII, reload keeps everything', async ({ app }) => {
  const { page } = app;
  test.fixme(!(await wired(page, 'sim.run', { runs: [{ system: 'DA', seed: 1, set: { duration_s: 0.01 } }] })), 'sim.run is not wired in the backend yet');
  test.fixme(!(await wired(page, 'log.import', { fileName: 'probe.txt', dataBase64: '' })), 'log.import is not wired in the backend yet');
  await newNotebook(page);

  const md = await addCell(page, 'Markdown');
  await md.getByLabel('Markdown source').fill('# DA against the paper');
  await md.getByLabel('Markdown source').press('Shift+Enter');
  await expect(md.getByRole('heading', { name: 'DA against the paper' })).toBeVisible();

  const sim = page.locator('section.cell[data-kind="simulation"]').first();
  await expect(sim).toBeVisible(); // Shift+Enter on the last cell advanced into a new Simulation cell
  await sim.getByLabel('System').selectOption('DA');
  await sim.getByLabel('Seeds').fill('2');
  await sim.getByRole('button', { name: 'Run' }).click();
  const results = sim.getByRole('table', { name: 'Simulation results' });
  await expect(results).toBeVisible({ timeout: 60_000 });
  await expect(results).toContainText('DA');
  await expect(results).toContainText('±');
  await sim.getByText(/^Provenance/).click();
  await expect(sim.getByText('Model version')).toBeVisible();

  const imp = await addCell(page, 'Import');
  await imp.getByLabel('Import log').setInputFiles([NETPERF, NETPERF_RR, OPREPORT]);
  await expect(imp.getByRole('article')).toHaveCount(3, { timeout: 30_000 });
  // values exactly as printed in the log
  await expect(imp.getByRole('table', { name: 'Records' }).first()).toContainText('2997.84');
  await expect(imp.getByRole('table', { name: 'Records' }).first()).toContainText('10^6bits/sec');
  await expect(imp.getByRole('table', { name: 'Profile rows' }).first()).toContainText('pit_read_counter');
  // importing the same file again is recognised
  await imp.getByLabel('Import log').setInputFiles(NETPERF);
  await expect(imp.getByText(/Already imported/)).toBeVisible();

  const cmp = await addCell(page, 'Compare');
  await cmp.getByLabel('Measured testbed').selectOption('DA');
  await cmp.getByRole('button', { name: 'Run' }).click();
  for (const t of ['Table IV', 'Table V', 'Table VI', 'Table VII']) await expect(cmp.getByRole('table', { name: new RegExp(`^${t} `) })).toBeVisible();
  const iv = cmp.getByRole('table', { name: /^Table IV / });
  const paper = (await backend(page, 'reference.paper', {})) as unknown as { value: { throughputMbps: { DA: number } } };
  await expect(iv.getByRole('row', { name: /^DA / })).toContainText(String(paper.value.throughputMbps.DA));
  await expect(iv.getByRole('row', { name: /^DA / })).toContainText('2998'); // the measured column, from the netperf log
  // simulated against measured: one localhost run (about 3 Gbit/s) against the model's ≈ 720 Mbit/s, so no interval
  await expect(iv.getByRole('columnheader', { name: 'Sim vs meas' })).toBeVisible();
  await expect(iv.getByRole('row', { name: /^DA / })).toContainText(/−7\d\.\d % \(n=1\)/);
  await cmp.locator('.chart').scrollIntoViewIfNeeded();
  await expect(cmp.locator('.main-svg').first()).toBeVisible({ timeout: 30_000 });
  await expect(cmp.getByRole('table', { name: 'Cycles by function' })).toContainText('pit_read_counter');

  // an input change marks the Compare cell stale until it runs again
  await sim.getByLabel('Seeds').fill('3');
  await expect(cmp.getByText('stale', { exact: true })).toBeVisible();
  await sim.getByRole('button', { name: 'Run' }).click();
  await expect(sim.getByText('running…')).toBeHidden({ timeout: 60_000 });
  await cmp.getByRole('button', { name: 'Run' }).click();
  await expect(cmp.getByText('stale', { exact: true })).toBeHidden();
  await expectSaved(page);

  await app.reload();
  await expect(page.locator('section.cell')).toHaveCount(4);
  await expect(page.getByRole('heading', { name: 'DA against the paper' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Simulation results' })).toContainText('DA');
  await expect(page.getByRole('table', { name: 'Records' }).first()).toContainText('2997.84');
  await expect(page.getByRole('table', { name: /^Table IV / })).toBeVisible();
  await page.locator('section.cell[data-kind="compare"] .chart').scrollIntoViewIfNeeded();
  await expect(page.locator('section.cell[data-kind="compare"] .main-svg').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('section.cell[data-kind="compare"]').getByText('stale', { exact: true })).toBeHidden();
});

test('import real netperf + opreport logs, compare with the paper’s Tables IV–VII, reload keeps everything', async ({ app }) => {
  const { page } = app;
  test.fixme(!(await wired(page, 'log.import', { fileName: 'probe.txt', dataBase64: '' })), 'log.import is not wired in the backend yet');
  await newNotebook(page);
  const imp = await addCell(page, 'Import');
  await imp.getByLabel('Import log').setInputFiles([NETPERF, OPREPORT]);
  await expect(imp.getByRole('article')).toHaveCount(2, { timeout: 30_000 });
  await expect(imp.getByRole('table', { name: 'Records' })).toContainText('2997.84');
  await expect(imp.getByRole('list', { name: 'Warnings' })).toContainText('/ahci could not be found');
  // shares to one decimal in every column, the exact values in the tooltip
  const share = imp.getByRole('table', { name: 'Profile rows' }).getByRole('row').nth(1).getByRole('cell').nth(1);
  await expect(share).toHaveText('91.4 / 93.8 / 0.0');
  await expect(share).toHaveAttribute('title', '91.4286 / 93.75 / 0');
  await imp.getByLabel('Import log').setInputFiles(OPREPORT);
  await expect(imp.getByText(/Already imported/)).toBeVisible();
  await imp.getByRole('article').first().getByText('Provenance').click();
  await expect(imp.getByText(/^[0-9a-f]{64}$/).first()).toBeVisible();

  const cmp = await addCell(page, 'Compare');
  await cmp.getByLabel('Measured testbed').selectOption('Linux');
  await cmp.getByRole('button', { name: 'Run' }).click();
  for (const t of ['Table IV', 'Table V', 'Table VI', 'Table VII']) await expect(cmp.getByRole('table', { name: new RegExp(`^${t} `) })).toBeVisible();
  const paper = (await backend(page, 'reference.paper', {})) as unknown as { value: { throughputMbps: { Linux: number } } };
  const linux = cmp.getByRole('table', { name: /^Table IV / }).getByRole('row', { name: /^Linux / });
  await expect(linux).toContainText(String(paper.value.throughputMbps.Linux));
  await expect(linux).toContainText('2998');
  await cmp.locator('.chart').scrollIntoViewIfNeeded();
  await expect(cmp.locator('.main-svg').first()).toBeVisible({ timeout: 30_000 });
  await expect(cmp.getByRole('table', { name: 'Cycles by domain' })).toContainText('hypervisor');
  await expectSaved(page);

  await app.reload();
  await expect(page.locator('section.cell')).toHaveCount(2);
  await expect(page.getByRole('table', { name: 'Records' })).toContainText('2997.84');
  await expect(page.getByRole('table', { name: /^Table IV / }).getByRole('row', { name: /^Linux / })).toContainText('2998');
  await page.locator('section.cell[data-kind="compare"] .chart').scrollIntoViewIfNeeded();
  await expect(page.locator('section.cell[data-kind="compare"] .main-svg').first()).toBeVisible({ timeout: 30_000 });
});

test('a log imported with rxlab import (gzip-compressed) is added to a notebook from the store and compared', async ({ app }) => {
  const { page } = app;
  // the command line, on the same database, while the app is open
  const dir = mkdtempSync(join(tmpdir(), 'rxlab-e2e-gz-'));
  const gz = join(dir, 'stream.txt.gz');
  writeFileSync(gz, gzipSync(readFileSync(NETPERF)));
  const cli = spawnSync(process.execPath, [join(ROOT, 'bin', 'rxlab.js'), '--db', app.dbPath, 'import', gz], { encoding: 'utf8' });
  expect(cli.stdout).toMatch(/stream\.txt\.gz: netperf \(netperf classic \(gzip\)\), 1 runs/);
  const id = Number(/saved as file #(\d+)/.exec(cli.stdout)?.[1]);
  expect(id).toBeGreaterThan(0);

  await newNotebook(page);
  const imp = await addCell(page, 'Import');
  const picker = imp.getByLabel('Add a stored log');
  await picker.focus();
  await expect(picker.locator('option', { hasText: `#${id} stream.txt.gz` })).toHaveCount(1);
  await picker.selectOption({ label: (await picker.locator('option', { hasText: `#${id} stream.txt.gz` }).textContent()) ?? '' });
  await expect(imp.getByRole('article', { name: 'Imported stream.txt.gz' })).toBeVisible();
  await expect(imp.getByRole('table', { name: 'Records' })).toContainText('2997.84');
  // already in the cell: not offered again
  await expect(picker.locator('option', { hasText: `#${id} stream.txt.gz` })).toHaveCount(0);

  const cmp = await addCell(page, 'Compare');
  await cmp.getByLabel('Measured testbed').selectOption('Linux');
  await cmp.getByRole('button', { name: 'Run' }).click();
  await expect(cmp.getByRole('table', { name: /^Table IV / }).getByRole('row', { name: /^Linux / })).toContainText('2998');
  await expectSaved(page);
  await app.reload();
  await expect(page.getByRole('article', { name: 'Imported stream.txt.gz' })).toBeVisible();
  rmSync(dir, { recursive: true, force: true });
});

test('“Reproduce the paper”: Run all simulates the five systems and fills the Compare cell', async ({ app }) => {
  test.setTimeout(180_000);
  const { page } = app;
  test.fixme(!(await wired(page, 'sim.run', { runs: [{ system: 'DA', seed: 1, set: { duration_s: 0.01 } }] })), 'sim.run is not wired in the backend yet');
  await page.getByRole('list', { name: 'Notebooks' }).getByRole('link', { name: 'Reproduce the paper' }).click();
  await expect(page.locator('section.cell')).toHaveCount(3);
  await page.getByRole('button', { name: 'Run all' }).click();
  const cmp = page.locator('section.cell[data-kind="compare"]');
  await expect(cmp.getByRole('table', { name: /^Table VII / })).toBeVisible({ timeout: 150_000 });
  for (const s of ['Linux', 'Xen', 'LRO', 'BO', 'DA']) {
    await expect(cmp.getByRole('table', { name: /^Table IV / }).getByRole('row', { name: new RegExp(`^${s} `) })).toContainText('±');
    await expect(cmp.getByRole('table', { name: /^Table VII / }).getByRole('row', { name: new RegExp(`^${s} `) })).toContainText('±');
  }
  await expect(page.getByRole('button', { name: 'Run all' })).toBeEnabled();
});

test('a sweep of flush_every_polls 1..4 × 3 seeds shows progress and can be cancelled', async ({ app }) => {
  const { page } = app;
  test.fixme(
    !(await wired(page, 'sweep.run', { system: 'LRO', vary: [{ key: 'flush_every_polls', values: [1] }], seeds: 1, set: { duration_s: 0.01 } })),
    'sweep.run is not wired in the backend yet',
  );
  await newNotebook(page);
  const sweep = await addCell(page, 'Sweep');
  await sweep.getByLabel('System').selectOption('LRO');
  await sweep.getByRole('combobox', { name: 'Vary' }).selectOption('flush_every_polls');
  await sweep.getByLabel('Flush every k polls from').fill('1');
  await sweep.getByLabel('Flush every k polls to').fill('4');
  await sweep.getByLabel('Flush every k polls step').fill('1');
  await sweep.getByLabel('Seeds').fill('3');
  await expect(sweep.getByText('12 runs')).toBeVisible();

  // long simulated runs for the cancel part, so the sweep cannot finish before Cancel is pressed
  await sweep.getByLabel('Set a knob').selectOption('duration_s');
  await sweep.locator('label.knob', { hasText: 'Duration' }).getByRole('textbox').fill('10');
  await sweep.getByRole('button', { name: 'Run' }).click();
  await expect(sweep.getByRole('progressbar', { name: 'Sweep progress' })).toBeVisible();
  // the bar moves within the first runs already (their simulated time), before any run is stored
  await expect
    .poll(() => sweep.getByRole('progressbar', { name: 'Sweep progress' }).evaluate((el) => (el as HTMLProgressElement).value), { timeout: 30_000 })
    .toBeGreaterThan(0);
  await sweep.getByRole('button', { name: 'Cancel' }).click();
  await expect(sweep.getByRole('progressbar')).toBeHidden({ timeout: 30_000 });
  // what was finished is kept in the store, and the next Run starts from there
  await expect(sweep.getByRole('status').filter({ hasText: /^Cancelled: \d+ of 12 runs kept — Run continues from there\.$/ })).toBeVisible();
  await expect(sweep.getByRole('alert')).toHaveCount(0);

  // and, with the default duration and run to the end, it plots with error bars
  await sweep.getByRole('button', { name: 'Remove Duration' }).click();
  const texts = await recordTexts(page, 'section.cell[data-kind="sweep"] .progress span');
  await sweep.getByRole('button', { name: 'Run' }).click();
  await expect(sweep.getByText('4 points × 3 seeds')).toBeVisible({ timeout: 120_000 });
  // progress counted the runs as they finished (seen in the page: the sweep can finish in a second)
  expect((await texts()).filter((t) => /^[1-9]\d* \/ 12 runs$/.test(t)).length).toBeGreaterThan(0);
  await sweep.locator('.chart').scrollIntoViewIfNeeded();
  await expect(sweep.locator('.main-svg').first()).toBeVisible({ timeout: 30_000 });
  // the axes say what was varied and measured, with units: the knob's meaning from its spec, the metric's label
  await expect(sweep.locator('.xtitle')).toHaveText('flush_every_polls — flush at the k-th poll end (polls)');
  await expect(sweep.locator('.ytitle')).toHaveText('Throughput (Mbit/s)');
  // the paper's LRO (k = 1) and DA (k = 2) as reference points on the k axis
  await expect(sweep.locator('.legendtext', { hasText: 'Paper' })).toBeVisible();
  await expect(sweep.locator('.textpoint', { hasText: 'paper DA (k = 2)' })).toBeVisible();
});

test('a Simulation cell runs any subset of the systems', async ({ app }) => {
  const { page } = app;
  await newNotebook(page);
  const sim = await addCell(page, 'Simulation');
  await sim.locator('select').first().selectOption('DA');
  await sim.locator('select').first().selectOption('several');
  const pick = sim.getByRole('group', { name: 'Systems to simulate' });
  await expect(pick.getByRole('checkbox', { name: 'DA' })).toBeChecked();
  await expect(pick.getByRole('checkbox', { name: 'DA' })).toBeDisabled(); // the last one stays
  await pick.getByRole('checkbox', { name: 'LRO' }).check();
  await expect(pick.getByRole('checkbox', { name: 'DA' })).toBeEnabled();
  await sim.getByLabel('Seeds').fill('2');
  await sim.getByRole('button', { name: 'Run' }).click();
  const results = sim.getByRole('table', { name: 'Simulation results' });
  await expect(results).toBeVisible({ timeout: 60_000 });
  await expect(results.getByRole('row')).toHaveCount(3); // header + LRO + DA
  await expect(results).toContainText('LRO');
  await expect(results).not.toContainText('Xen');
  await expectSaved(page);
  await page.reload();
  const again = page.locator('section.cell[data-kind="simulation"]').first();
  await expect(again.locator('select').first()).toHaveValue('several');
  await expect(again.getByRole('group', { name: 'Systems to simulate' }).getByRole('checkbox', { name: 'LRO' })).toBeChecked();
});

test('a Compare cell takes simulated runs and imported logs from the store by id', async ({ app }) => {
  const { page } = app;
  await newNotebook(page);
  // As if from another notebook, a sweep or the CLI: two DA runs and one netperf log in the store.
  const sim = (await backend(page, 'sim.run', { runs: [1, 2].map((seed) => ({ system: 'DA', seed, set: { duration_s: 0.05, warmup_s: 0.01 } })) })) as unknown as { ok: boolean; value: { runs: { id: number }[] } };
  expect(sim.ok).toBe(true);
  const imp = (await backend(page, 'log.import', { fileName: 'stream.txt', dataBase64: readFileSync(NETPERF).toString('base64') })) as unknown as { ok: boolean; value: { file: { id: number } } };
  expect(imp.ok).toBe(true);
  const cmp = await addCell(page, 'Compare');
  await cmp.getByPlaceholder('e.g. 12, 20-25').fill(sim.value.runs.map((r) => r.id).join(', '));
  await cmp.getByPlaceholder('e.g. 3, 4').fill(String(imp.value.file.id));
  await cmp.getByLabel('Measured testbed').selectOption('DA');
  await cmp.getByRole('button', { name: 'Run' }).click();
  const da = cmp.getByRole('table', { name: /^Table IV / }).getByRole('row', { name: /^DA / });
  await expect(da).toContainText('±', { timeout: 30_000 }); // simulated: mean ± half-width of the two stored runs
  await expect(da).toContainText('2998'); // measured: the log's 2997.84 Mbit/s
  await cmp.getByPlaceholder('e.g. 12, 20-25').fill('3, x7');
  await cmp.getByRole('button', { name: 'Run' }).click();
  await expect(cmp.getByText(/Stored runs: "x7" is not an id/)).toBeVisible();
});

test('a Markdown table keeps its columns\' alignment, wraps its text and scrolls inside its cell, never under the cell\'s buttons', async ({ app }) => {
  const { page } = app;
  await page.setViewportSize({ width: 900, height: 800 });
  await newNotebook(page);
  const md = await addCell(page, 'Markdown');
  const note = 'baseline, netback copying, no aggregation in the driver domain at all';
  const wide = Array.from({ length: 14 }, (_, i) => `column_${i}_without_spaces`);
  await md.getByLabel('Markdown source').fill(
    [
      '| System | Throughput (Mbit/s) | note on the measurement setup |',
      '|---|---:|---|',
      `| Xen | 535.9 | ${note} |`,
      '',
      `| ${wide.join(' | ')} |`,
      `|${wide.map(() => '---').join('|')}|`,
      `| ${wide.map((_, i) => i).join(' | ')} |`,
    ].join('\n'),
  );
  await md.getByLabel('Markdown source').press('Shift+Enter');
  const tables = md.locator('.md table');
  await expect(tables).toHaveCount(2);
  const layout = await md.evaluate((cell) => {
    const body = cell.querySelector('.md')!.getBoundingClientRect();
    const tools = cell.querySelector('.tools')!.getBoundingClientRect();
    const [narrow, wide] = [...cell.querySelectorAll<HTMLTableElement>('.md table')];
    const align = (td: Element | null | undefined): string => (td ? getComputedStyle(td).textAlign : '');
    const row = narrow!.querySelectorAll('tbody td');
    return {
      bodyRight: body.right,
      toolsLeft: tools.left,
      right: [narrow!, wide!].map((t) => t.getBoundingClientRect().right),
      wideScrolls: wide!.scrollWidth > wide!.clientWidth,
      aligns: [align(row[0]), align(row[1]), align(row[2])],
      noteWraps: row[2]!.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(row[2]!).fontSize),
    };
  });
  // both tables end within the note, left of the Run/Duplicate/Delete buttons; the wide one scrolls inside
  for (const r of layout.right) expect(r).toBeLessThanOrEqual(layout.bodyRight + 0.5);
  expect(layout.bodyRight).toBeLessThanOrEqual(layout.toolsLeft);
  expect(layout.wideScrolls).toBe(true);
  // |---| is left (start), |---:| right: not every column right-aligned as in the numeric result tables
  expect(layout.aligns).toEqual(['start', 'right', 'start']);
  // the long note wraps rather than widening the table
  expect(layout.noteWraps).toBe(true);
  // and the numeric result tables elsewhere keep their right-aligned, unwrapped cells
  expect(await page.evaluate(() => {
    const t = document.createElement('table');
    t.innerHTML = '<tr><td>a</td><td>1</td></tr>';
    document.body.append(t);
    const td = t.querySelectorAll('td')[1]!;
    const r = [getComputedStyle(td).textAlign, getComputedStyle(td).whiteSpace];
    t.remove();
    return r;
  })).toEqual(['right', 'nowrap']);
});

test('charts take their container\'s width: after an import, and after a window resize while they were off screen', async ({ app }) => {
  const { page } = app;
  await newNotebook(page);
  // a tall note first: the charts below it are off screen (their cells not rendered: content-visibility) when the window narrows
  const md = await addCell(page, 'Markdown');
  await md.getByLabel('Markdown source').fill(Array.from({ length: 120 }, (_, i) => `Paragraph ${i}.`).join('\n\n'));
  await md.getByLabel('Markdown source').press('Control+Enter');
  const imp = await addCell(page, 'Import');
  await imp.getByLabel('Import log').setInputFiles(join(REAL_LOGS, 'flent', 'flent-test-rrul.flent.gz'));
  await expect(imp.getByRole('article')).toHaveCount(1, { timeout: 60_000 });
  const cmp = await addRunCompareCell(page);
  const charts = [imp.locator('.chart').first(), cmp.locator('.chart')];
  const widths = (chart: Locator): Promise<[number, number]> => chart.evaluate((c) => [c.clientWidth, Number(c.querySelector('.main-svg')?.getAttribute('width'))]);
  const drawn = async (chart: Locator): Promise<void> => {
    await chart.scrollIntoViewIfNeeded();
    await expect(chart.locator('.main-svg').first()).toBeVisible({ timeout: 30_000 });
  };
  const fits = async (chart: Locator): Promise<void> => {
    await expect.poll(async () => {
      const [box, svg] = await widths(chart);
      return Math.abs(box - svg);
    }, { timeout: 10_000 }).toBeLessThan(1);
  };
  for (const c of charts) {
    await drawn(c);
    await fits(c);
  }
  // past the palette's eight colours the series are dashed, as in the PDF ("TCP upload BE2" is not a second solid blue)
  expect(await charts[0]!.locator('.scatterlayer .js-line').evaluateAll((ls) => ls.filter((l) => /dasharray:\s*[1-9]/.test(l.getAttribute('style') ?? '')).length)).toBeGreaterThan(0);

  // the notebook opened again, as a researcher comes back to it: the charts drawn once scrolled to, then the
  // page back at its top (the focus out of the cells: a focused cell is always rendered) and the window narrows
  await expectSaved(page);
  await app.reload();
  for (const c of charts) await drawn(c);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(500);
  const before = (await widths(charts[1]!))[0];
  // the case that went wrong: the chart's cell skipped by the browser as the window narrows
  expect(await charts[1]!.evaluate((c) => c.checkVisibility({ contentVisibilityAuto: true }))).toBe(false);
  await page.setViewportSize({ width: 900, height: 800 });
  await page.waitForTimeout(1000);
  for (const c of charts) {
    await c.scrollIntoViewIfNeeded();
    await expect.poll(async () => (await widths(c))[0]).toBeLessThan(before - 100);
    await fits(c);
  }
});

test('a markdown cell with script payloads stays inert', async ({ app }) => {
  const { page } = app;
  await newNotebook(page);
  await page.evaluate(() => ((window as unknown as { __pwned: number }).__pwned = 0));
  const md = await addCell(page, 'Markdown');
  const payload = [
    '# Safe',
    '<script>window.__pwned = 1</script>',
    '<img src="x" onerror="window.__pwned = 2">',
    '<a href="javascript:window.__pwned=3">click me</a>',
    '<iframe src="javascript:parent.__pwned=4"></iframe>',
  ].join('\n\n');
  await md.getByLabel('Markdown source').fill(payload);
  await md.getByLabel('Markdown source').press('Control+Enter');
  await expect(md.getByRole('heading', { name: 'Safe' })).toBeVisible();
  await md.getByText('click me').click();
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { __pwned: number }).__pwned)).toBe(0);
  expect(await md.locator('script, iframe, [onerror]').count()).toBe(0);
  expect(await md.locator('a[href^="javascript"]').count()).toBe(0);
  await expectSaved(page);
  await app.reload();
  await expect(page.getByRole('heading', { name: 'Safe' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? 0)).toBe(0);
});

test('while a notebook is still loading, Add cell and the exports wait, so nothing typed early overwrites its stored cells', async ({ app }) => {
  test.skip(app.target !== 'browser', 'holds the HTTP answer back with page.route');
  const { page } = app;
  await newNotebook(page);
  await addCell(page, 'Markdown');
  await expectSaved(page);
  // the stored notebook has one cell; hold notebook.get back for a second on the next open
  let release: () => void = () => undefined;
  const held = new Promise<void>((res) => (release = res));
  await page.route('**/api/call/notebook.get', async (route) => {
    await held;
    await route.continue();
  });
  await app.reload();
  await expect(page.getByRole('button', { name: 'Add cell' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Export PDF' })).toBeDisabled();
  await page.keyboard.press('b'); // the keyboard's insert-below is ignored too
  release();
  await expect(page.getByLabel('Notebook title')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add cell' })).toBeEnabled();
  await expect(page.locator('section.cell')).toHaveCount(1);
  await page.unroute('**/api/call/notebook.get');
});

test('an edit made just before a reload is not lost', async ({ app }) => {
  const { page } = app;
  await newNotebook(page);
  const md = await addCell(page, 'Markdown');
  await expectSaved(page);
  await md.getByLabel('Markdown source').fill('# Written a moment before reload');
  // the title too, typed without Enter and with the focus still in it
  await page.getByLabel('Notebook title').fill('Titled a moment before reload');
  await app.reload(); // inside the autosave debounce: the pending save goes out on pagehide
  await expect(page.getByRole('heading', { name: 'Written a moment before reload' })).toBeVisible();
  await expect(page.getByLabel('Notebook title')).toHaveValue('Titled a moment before reload');
});

test('a notebook moved to the Trash in another tab: edits here are not saved into it, the notebook says so and restores it; new notebooks are numbered', async ({ app }) => {
  const { page } = app;
  await newNotebook(page);
  await expect(page.getByLabel('Notebook title')).toHaveValue('Untitled notebook');
  const id = Number(/#\/notebook\/(\d+)/.exec(page.url())?.[1]);
  expect((await backend(page, 'notebook.delete', { id })).ok).toBe(true); // as the other tab's Delete does
  const md = await addCell(page, 'Markdown');
  await md.getByLabel('Markdown source').fill('written after the delete');
  const notice = page.getByRole('alert', { name: 'Notebook in the Trash' });
  await expect(notice).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Not saved: in the Trash' })).toBeVisible();
  await notice.getByRole('button', { name: 'Restore it and save' }).click();
  await expectSaved(page);
  await expect(notice).toBeHidden();
  await page.getByRole('button', { name: '← Notebooks' }).click();
  await expect(page.getByRole('list', { name: 'Notebooks' }).getByRole('link', { name: 'Untitled notebook' })).toBeVisible();
  await openNewNotebook(page);
  await expect(page.getByLabel('Notebook title')).toHaveValue('Untitled notebook 2');
});

test('two tabs on one notebook: the later save is refused, not lost; the user loads the other version (their own one Ctrl+Z away) or keeps their own', async ({ app }) => {
  test.skip(app.target !== 'browser', 'a second tab of the same notebook is a browser-mode situation');
  const { page } = app;
  await newNotebook(page);
  const md = await addCell(page, 'Markdown');
  await md.getByLabel('Markdown source').fill('# Written in tab A');
  await md.getByLabel('Markdown source').press('Control+Enter');
  await expectSaved(page);
  const tabB = await app.context.newPage();
  await tabB.goto(page.url());
  await expect(tabB.getByRole('heading', { name: 'Written in tab A' })).toBeVisible();
  // A edits again and saves; B, still on the older revision, edits too
  await md.getByRole('heading', { name: 'Written in tab A' }).dblclick();
  await md.getByLabel('Markdown source').fill('# A, second edit');
  await md.getByLabel('Markdown source').press('Control+Enter');
  await expectSaved(page);
  const mdB = tabB.locator('section.cell').first();
  await mdB.getByRole('heading', { name: 'Written in tab A' }).dblclick();
  await mdB.getByLabel('Markdown source').fill('# Written in tab B');
  await mdB.getByLabel('Markdown source').press('Control+Enter');
  const conflict = tabB.getByRole('alert', { name: 'Edit conflict' });
  await expect(conflict).toBeVisible();
  await expect(tabB.getByRole('status').filter({ hasText: 'Not saved: changed in another window' })).toBeVisible();
  // closing the tab now would drop B's unsaved edit: the browser asks first
  const asked = new Promise<string>((res) => tabB.once('dialog', (d) => void d.dismiss().then(() => res(d.type()))));
  await tabB.close({ runBeforeUnload: true });
  expect(await asked).toBe('beforeunload');
  await expect(conflict).toBeVisible();
  // so does going back to the list
  const confirmed = new Promise<string>((res) => tabB.once('dialog', (d) => void d.dismiss().then(() => res(d.message()))));
  await tabB.getByRole('button', { name: '← Notebooks' }).click();
  expect(await confirmed).toMatch(/not saved.*Leave and drop them/);
  await expect(conflict).toBeVisible();
  // nothing of A's was overwritten
  await app.reload();
  await expect(page.getByRole('heading', { name: 'A, second edit' })).toBeVisible();
  // B takes A's version; its own is one Ctrl+Z away, and undoing saves it (B has now seen A's save)
  await conflict.getByRole('button', { name: 'Load the other version' }).click();
  await expect(conflict).toBeHidden();
  await expect(mdB.getByRole('heading', { name: 'A, second edit' })).toBeVisible();
  await mdB.focus();
  await tabB.keyboard.press('Control+z');
  await expect(mdB.getByRole('heading', { name: 'Written in tab B' })).toBeVisible();
  await expect(tabB.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
  await app.reload();
  await expect(page.getByRole('heading', { name: 'Written in tab B' })).toBeVisible();
  // now B saves again, and A, one save behind, chooses "Keep mine"
  await mdB.getByRole('heading', { name: 'Written in tab B' }).dblclick();
  await mdB.getByLabel('Markdown source').fill('# B, second edit');
  await mdB.getByLabel('Markdown source').press('Control+Enter');
  await expect(tabB.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
  const mdA = page.locator('section.cell').first();
  await mdA.getByRole('heading', { name: 'Written in tab B' }).dblclick();
  await mdA.getByLabel('Markdown source').fill('# A keeps this');
  await mdA.getByLabel('Markdown source').press('Control+Enter');
  await page.getByRole('alert', { name: 'Edit conflict' }).getByRole('button', { name: 'Keep mine' }).click();
  await expectSaved(page);
  await tabB.reload();
  await expect(tabB.getByRole('heading', { name: 'A keeps this' })).toBeVisible();
  await tabB.close();
});

test('an edit made while another process holds the database is kept, saved when the lock is free, and the header says why it waits', async ({ app }) => {
  const { page } = app;
  await newNotebook(page);
  const md = await addCell(page, 'Markdown');
  await expectSaved(page);
  // another rxlab writing a large import: the write lock held for 5 s
  const holder = spawn(process.execPath, ['-e', `const D = require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))}); const d = new D(${JSON.stringify(app.dbPath)}); d.exec('BEGIN IMMEDIATE'); process.stdout.write('locked\\n'); setTimeout(() => { d.exec('COMMIT'); d.close(); }, 5000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((res) => holder.on('exit', res));
  await new Promise<void>((res) => holder.stdout?.once('data', () => res()));
  await md.getByLabel('Markdown source').fill('# Written while the database was busy');
  await expect(page.getByRole('status').filter({ hasText: 'Saving… (waiting for the database)' })).toBeVisible({ timeout: 4000 });
  await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible({ timeout: 15_000 });
  await exited;
  await app.reload();
  await expect(page.getByRole('heading', { name: 'Written while the database was busy' })).toBeVisible();
});

test('a damaged database file: a banner says so at start, with the file, what SQLite found and the salvage command; a notebook on the damage fails to open with the same advice; the banner salvages into a new file, or goes back to the newest backup', async ({ app }) => {
  const { page } = app;
  await newNotebook(page);
  const md = await addCell(page, 'Markdown');
  await md.getByLabel('Markdown source').fill('# On a page that will be lost');
  await expectSaved(page);
  // a disk error in the cell table: checkpoint so the cells are in the main file, then zero their page
  const db = new Database(app.dbPath);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  zeroPage(app.dbPath, pagesOf(app.dbPath, 'cell', 'leaf')[0] ?? 0);
  await app.reload();
  const banner = page.getByRole('alert', { name: 'Database damaged' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText(app.dbPath);
  await expect(banner).toContainText('db salvage --out NEW.db');
  // the sound file was backed up when the app first started on it
  await expect(banner).toContainText(`The newest backup, from `);
  await expect(banner).toContainText(`${app.dbPath}.backup`);
  await banner.getByText(/What SQLite found/).click();
  await expect(banner.getByRole('listitem').first()).toContainText(/page|malformed/i);
  await expect(page.getByRole('alert').filter({ hasText: 'Could not open this notebook' })).toContainText(/damaged.*wrote nothing/);
  // the desktop app has no command line: salvage runs from the banner
  await banner.getByRole('button', { name: 'Salvage into a new file' }).click();
  const result = banner.getByRole('status', { name: 'Salvage result' });
  await expect(result).toContainText('Salvaged into');
  await expect(result).toContainText(/cell: 0 row\(s\) copied; unreadable/);
  await expect(result).toContainText(/notebook: [1-9]\d* row\(s\) copied/);
  const copy = readdirSync(dirname(app.dbPath)).filter((f) => /\.salvaged-\d{8}-\d{6}\.db$/.test(f));
  expect(copy).toHaveLength(1);
  const salvaged = new Database(join(dirname(app.dbPath), copy[0] ?? ''), { readonly: true });
  expect(salvaged.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(salvaged.prepare('SELECT count(*) FROM notebook').pluck().get()).toBeGreaterThan(0);
  salvaged.close();
  // …or go back to the newest backup (taken at first start, before this notebook): confirmed first
  page.once('dialog', (d) => void d.accept());
  await banner.getByRole('button', { name: /^Go back to the newest backup/ }).click();
  const restored = banner.getByRole('status', { name: 'Restore result' });
  await expect(restored).toContainText('Back to the backup of');
  const kept = readdirSync(dirname(app.dbPath)).filter((f) => /\.replaced-\d{8}-\d{6}\.db$/.test(f));
  expect(kept).toHaveLength(1);
  await restored.getByRole('button', { name: 'Reload' }).click();
  await expect(page.getByRole('alert', { name: 'Database damaged' })).toBeHidden();
  await page.goto(app.url); // the notebook list, from the sound file
  await expect(page.getByRole('list', { name: 'Notebooks' })).toBeVisible();
  const back = new Database(app.dbPath, { readonly: true });
  expect(back.pragma('integrity_check', { simple: true })).toBe('ok');
  back.close();
});

test('keyboard model: insert, switch kind, move, delete with D D, undo and redo, Ctrl+S, and ? for the list', async ({ app }) => {
  const { page } = app;
  await newNotebook(page);
  const md = await addCell(page, 'Markdown');
  await md.getByLabel('Markdown source').fill('first');
  await md.getByLabel('Markdown source').press('Escape');
  await expect(md).toBeFocused();
  await page.keyboard.press('b'); // insert below, edit mode
  await page.getByLabel('Markdown source').fill('second');
  await page.keyboard.press('Escape');
  await expect(page.locator('section.cell')).toHaveCount(2);
  await page.keyboard.press('y'); // to Simulation
  await expect(page.locator('section.cell').nth(1)).toHaveAttribute('data-kind', 'simulation');
  await page.keyboard.press('m'); // back to Markdown
  await expect(page.locator('section.cell').nth(1)).toHaveAttribute('data-kind', 'markdown');
  await page.keyboard.press('ArrowUp');
  await expect(page.locator('section.cell').nth(0)).toBeFocused();
  await page.keyboard.press('a'); // insert above
  await page.keyboard.press('Escape');
  await expect(page.locator('section.cell')).toHaveCount(3);
  await page.keyboard.press('d');
  await page.keyboard.press('d');
  await expect(page.locator('section.cell')).toHaveCount(2);
  await expect(page.locator('section.cell').first()).toContainText('first');
  await page.locator('section.cell').first().getByRole('button', { name: 'Delete cell' }).click();
  await expect(page.locator('section.cell')).toHaveCount(1);
  await page.locator('section.cell').first().focus();
  await page.keyboard.press('Control+z');
  await expect(page.locator('section.cell')).toHaveCount(2);
  await expect(page.locator('section.cell').first()).toContainText('first');
  // redo deletes it again, undo brings it back once more
  await page.keyboard.press('Control+Shift+z');
  await expect(page.locator('section.cell')).toHaveCount(1);
  await page.keyboard.press('Control+z');
  await expect(page.locator('section.cell')).toHaveCount(2);
  await page.keyboard.press('Control+y');
  await expect(page.locator('section.cell')).toHaveCount(1);
  await page.keyboard.press('Control+z');
  await expect(page.locator('section.cell')).toHaveCount(2);
  // Ctrl+S saves at once (no browser "Save page" dialog: the page would lose focus to it)
  await page.keyboard.press('Control+s');
  await expectSaved(page);
  // ? lists the shortcuts; Esc closes the list and gives the keys back to the cells
  await page.keyboard.press('?');
  const keys = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(keys).toBeVisible();
  await expect(keys.getByRole('row', { name: /Ctrl\+Shift\+Z or Ctrl\+Y.*redo/ })).toBeVisible();
  await expect(keys.getByRole('row', { name: /Ctrl\+Shift\+Enter.*run all cells/ })).toBeVisible();
  await expect(keys.getByRole('row', { name: /Ctrl\+P.*export the PDF report/ })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(keys).toBeHidden();
  // Ctrl+Shift+Enter is Run all (the page counts finished passes for `rxlab notebook run`)
  await page.keyboard.press('Control+Shift+Enter');
  await expect(page.locator('.page')).toHaveAttribute('data-run-all-done', '1');
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('section.cell').nth(1)).toBeFocused();
  await app.reload();
  await expect(page.locator('section.cell')).toHaveCount(2);
});

test('cells copy, cut and paste with C, X, V (also into another notebook), and Duplicate copies one below', async ({ app }) => {
  const { page } = app;
  await newNotebook(page);
  const sim = await addCell(page, 'Simulation');
  await sim.getByLabel('Seeds').fill('5');
  await sim.getByLabel('Seeds').press('Escape');
  await expect(sim).toBeFocused();
  await page.keyboard.press('c');
  await expect(page.getByRole('status').filter({ hasText: 'Copied Simulation cell [1]' })).toBeVisible();
  await page.keyboard.press('v');
  await expect(page.locator('section.cell')).toHaveCount(2);
  await expect(page.locator('section.cell').nth(1).getByLabel('Seeds')).toHaveValue('5');
  await page.locator('section.cell').nth(0).getByRole('button', { name: 'Duplicate' }).click();
  await expect(page.locator('section.cell')).toHaveCount(3);
  await page.locator('section.cell').nth(2).focus();
  await page.keyboard.press('x');
  await expect(page.locator('section.cell')).toHaveCount(2);
  await expectSaved(page);
  // the clipboard follows to another notebook in this window
  await page.getByRole('button', { name: '← Notebooks' }).click();
  await newNotebook(page);
  await page.getByRole('button', { name: 'Start with a note' }).click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('v');
  await expect(page.locator('section.cell')).toHaveCount(2);
  await expect(page.locator('section.cell').nth(1)).toHaveAttribute('data-kind', 'simulation');
  await expect(page.locator('section.cell').nth(1).getByLabel('Seeds')).toHaveValue('5');
});

test('Export PDF downloads the report', async ({ app }) => {
  const { page } = app;
  test.skip(app.target !== 'browser', 'Electron saves through a native dialog');
  await newNotebook(page);
  const probe = await page.request.get(`${new URL(app.url).origin}/api/report.pdf?notebook=1&token=${new URL(app.url).searchParams.get('token') ?? ''}`);
  test.fixme(probe.status() === 404, 'the report route /api/report.pdf is not wired yet');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export PDF' }).click();
  expect((await download).suggestedFilename()).toMatch(/\.pdf$/);
  // Ctrl+P exports the same report rather than printing the screen
  const byKey = page.waitForEvent('download');
  await page.keyboard.press('Control+p');
  expect((await byKey).suggestedFilename()).toMatch(/\.pdf$/);
});

test('a 200-cell notebook opens fast (benchmark; the time is printed, not asserted tightly)', async ({ app }) => {
  const { page } = app;
  const created = (await backend(page, 'notebook.create', { title: 'Big notebook' })) as unknown as { value: { id: number } };
  const nbId = created.value.id;
  const iv = (m: number) => ({ mean: m, lo: m - 1, hi: m + 1, halfWidth: 1, n: 3 });
  const systems = ['Linux', 'Xen', 'LRO', 'BO', 'DA'];
  const prov = { appVersion: '0', modelVersion: 'bench', parameters: { mtu: 1500 }, seeds: [1, 2, 3], inputSha256: null, createdAt: 't' };
  const cells = Array.from({ length: 200 }, (_, i) => {
    const id = `bench-cell-${String(i).padStart(4, '0')}`;
    if (i % 4 === 0) return { id, kind: 'markdown', config: { source: `## Section ${i}\n\nSome *notes* with \`code\` and a [link](https://example.org).\n\n- one\n- two` }, output: null, stale: false };
    if (i % 4 === 1)
      return {
        id, kind: 'simulation', config: { systems, workload: 'both', seeds: 3, set: {} }, stale: false,
        output: { runIds: [1, 2, 3], cached: 0, ranAt: 't', set: {}, groups: systems.flatMap((s) => ['stream', 'rr'].map((w) => ({ system: s, workload: w, runIds: [1, 2, 3], functions: [], provenance: prov, metrics: { throughput_mbps: iv(600), 'cycles_per_byte.driver': iv(10), 'cycles_per_byte.guest': iv(8), 'cycles_per_byte.total': iv(20), lro_rate: iv(2), rr_transactions_per_s: iv(5000) } }))) },
      };
    if (i % 4 === 2)
      return {
        id, kind: 'compare', config: { sources: 'all', measuredSystem: 'Xen', chart: 'IV' }, stale: false,
        output: { measuredSystem: 'Xen', measuredNote: '', arithmetic: [], profile: null, inputs: [], provenance: [prov], ranAt: 't', tables: ['IV', 'V', 'VI', 'VII'].map((t) => ({ id: t, title: `Table ${t} — bench`, unit: 'u', rows: systems.map((s) => ({ system: s, label: s, paper: 100, sim: iv(101), measured: null, dSim: 1, dMeasured: null })) })) },
      };
    return { id, kind: 'plot', config: { source: 'previous', x: '', y: 'throughput_mbps' }, stale: false, output: { series: [{ name: 'throughput_mbps', x: systems, y: [1, 2, 3, 4, 5], err: [0.1, 0.1, 0.1, 0.1, 0.1] }], xLabel: 'system', yLabel: 'throughput_mbps', sourceCellId: null, ranAt: 't' } };
  });
  const saved = await backend(page, 'notebook.save', { id: nbId, cells });
  expect(saved.ok).toBe(true);
  const t0 = Date.now();
  await page.evaluate((id) => (location.hash = `#/notebook/${id}`), nbId);
  await expect(page.locator('section.cell')).toHaveCount(200);
  // later cells mount progressively (CSS locators: role queries over a 200-cell DOM are slow)
  await expect(page.locator('.placeholder')).toHaveCount(0, { timeout: 60_000 });
  await expect(page.locator('section.cell[data-index="196"] h2')).toHaveText('Section 196');
  const wall = Date.now() - t0;
  const inApp = await page.evaluate(() => (window as unknown as { __rxlabOpenMs?: number }).__rxlabOpenMs ?? -1);
  const parts = await page.evaluate(() => JSON.stringify((window as unknown as { __rxlabOpen?: unknown }).__rxlabOpen));
  console.log(`200-cell notebook: fetched + rendered in ${inApp} ms (in-app: ${parts}), ${wall} ms wall incl. test round trips`);
  test.info().annotations.push({ type: 'open-ms', description: String(inApp) });
  expect(inApp).toBeGreaterThan(0);
  expect(inApp).toBeLessThan(5000); // loose: the target (< 500 ms) is checked by reading the printed time on an idle machine
  // charts are lazy: only those near the viewport were drawn
  expect(await page.locator('.main-svg').count()).toBeLessThan(20);

  // at 800 px the header's buttons stay whole (they wrapped to "Add / cell"), as tall as the one-character "?"
  await page.setViewportSize({ width: 800, height: 700 });
  const height = async (name: string): Promise<number> => (await page.getByRole('button', { name, exact: true }).boundingBox())?.height ?? 0;
  expect(await height('Add cell')).toBe(await height('Keyboard shortcuts'));
  expect(await height('Run all')).toBe(await height('Keyboard shortcuts'));
  // k selects the cell above and scrolls it into view below the sticky header, not under it
  await page.locator('section.cell[data-index="20"]').evaluate((el) => {
    el.scrollIntoView({ block: 'start' });
    (el as HTMLElement).focus({ preventScroll: true });
  });
  await page.keyboard.press('k');
  const above = page.locator('section.cell[data-index="19"]');
  await expect(above).toBeFocused();
  const headerBottom = (await page.locator('header.bar').boundingBox())?.height ?? 0;
  expect((await above.boundingBox())?.y ?? -1).toBeGreaterThanOrEqual(headerBottom);
});

test('a large log imports with progress in the cell; Cancel saves nothing; the next import stores every run', async ({ app }) => {
  const { page } = app;
  test.fixme(!(await wired(page, 'log.import', { fileName: 'probe.txt', dataBase64: '' })), 'log.import is not wired in the backend yet');
  test.setTimeout(240_000);
  await newNotebook(page);
  // ≈ 16 MiB of generated netperf runs (28,000): long enough to watch, and to cancel mid-way.
  const r = rng(11);
  const parts: string[] = [];
  for (let i = 0; i < 28_000; i++) parts.push(netperfRun(r, i));
  const buffer = Buffer.from(parts.join(''));
  const imp = await addCell(page, 'Import');
  // The page itself records every status the cell shows and presses Cancel at the first "saving"
  // one: a locator polled from here can miss a phase that lasts a second on a fast machine, or
  // press Cancel after the commit on a slow one (the import then rightly says it was kept).
  await page.evaluate(() => {
    const w = window as unknown as { __statuses: string[] };
    w.__statuses = [];
    let pressed = false;
    new MutationObserver(() => {
      const cell = [...document.querySelectorAll('section.cell[data-kind="import"]')].pop();
      const text = cell?.querySelector('.progress [role="status"]')?.textContent ?? '';
      if (text === '' || w.__statuses.at(-1) === text) return;
      w.__statuses.push(text);
      if (!pressed && text.startsWith('saving ')) {
        pressed = true;
        [...(cell?.querySelectorAll('button') ?? [])].find((b) => b.textContent === 'Cancel')?.click();
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const statuses = (): Promise<string[]> => page.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses);
  await imp.getByLabel('Import log').setInputFiles({ name: 'big-netperf.log', mimeType: 'text/plain', buffer });
  await expect(imp.getByText('Import of big-netperf.log cancelled; nothing of it was saved.')).toBeVisible({ timeout: 60_000 });
  // Progress went through parsing, then saving, which the cancel stopped short of its end.
  const seen = await statuses();
  expect(seen.some((t) => /^parsing big-netperf\.log — \d+ %$/.test(t))).toBe(true);
  expect(seen.filter((t) => /^saving 28,000 runs of big-netperf\.log — \d+ %$/.test(t)).length).toBeGreaterThan(0);
  expect(seen).not.toContain('saving 28,000 runs of big-netperf.log — 100 %');
  await expect(imp.getByRole('progressbar')).toBeHidden();
  await expect(imp.getByRole('article')).toHaveCount(0);
  const files = (await backend(page, 'imports.list', {})) as unknown as { value: { fileName: string }[] };
  expect(files.value.filter((f) => f.fileName === 'big-netperf.log')).toEqual([]);

  await imp.getByLabel('Import log').setInputFiles({ name: 'big-netperf.log', mimeType: 'text/plain', buffer });
  await expect(imp.getByRole('article')).toHaveCount(1, { timeout: 120_000 });
  await expect(imp.getByText('First 500 of 28,000 runs shown; all are stored and used by Compare and the exports.')).toBeVisible();
  await expect(imp.getByRole('progressbar')).toBeHidden();
});
