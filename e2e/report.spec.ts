import { join } from 'node:path';
import { test, expect, REAL_LOGS } from './fixtures.js';
import { addCell, exportPdf, hasPoppler, openNewNotebook, wired } from './page-helpers.js';

/**
 * Issue 6 end to end: "Export PDF" in a notebook downloads the report (browser mode: GET /api/report.pdf,
 * printed by headless Chromium); the PDF's text holds the paper's Tables IV–VII, the simulated values and
 * the imported throughput; its pages are rendered (pdftoppm) into the test's output folder under test-results/.
 */
const NETPERF = join(REAL_LOGS, 'netperf', 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt');

test('Export PDF downloads the notebook as a PDF; a script in markdown is dropped, as the notebook shows it', async ({ app }) => {
  test.skip(app.target !== 'browser', 'Electron prints with printToPDF into a save dialog');
  const { page } = app;
  await openNewNotebook(page);
  const md = await addCell(page, 'Markdown');
  await md.getByLabel('Markdown source').fill('# Report marker 4711\n\nInert: <script>window.__pwned = 1</script>');
  await md.getByLabel('Markdown source').press('Control+Enter');
  await expect(md.getByRole('heading', { name: 'Report marker 4711' })).toBeVisible();
  const { text } = await exportPdf(page, 'markdown');
  if (hasPoppler) {
    expect(text).toContain('Report marker 4711');
    // sanitised as the notebook's DOMPurify does: the tag and its content go, the text around stays
    expect(text).toContain('Inert:');
    expect(text).not.toContain('__pwned');
    expect(text).toContain('Environment');
  }
  await expect(page.getByRole('status').filter({ hasText: 'PDF downloaded' })).toBeVisible();
});

test('a notebook with Simulation, Import and Compare cells exports to PDF with Tables IV–VII and the imported throughput', async ({ app }) => {
  test.skip(app.target !== 'browser', 'Electron prints with printToPDF into a save dialog');
  const { page } = app;
  test.fixme(!(await wired(page, 'sim.run', { runs: [{ system: 'DA', seed: 1, set: { duration_s: 0.01 } }] })), 'sim.run is not wired in the backend yet');
  test.fixme(!(await wired(page, 'log.import', { fileName: 'probe.txt', dataBase64: '' })), 'log.import is not wired in the backend yet');
  test.setTimeout(180_000);
  await openNewNotebook(page);
  const sim = await addCell(page, 'Simulation');
  await sim.getByLabel('System').selectOption('DA');
  await sim.getByLabel('Seeds').fill('2');
  await sim.getByRole('button', { name: 'Run' }).click();
  await expect(sim.getByRole('table', { name: 'Simulation results' })).toBeVisible({ timeout: 90_000 });
  const imp = await addCell(page, 'Import');
  await imp.getByLabel('Import log').setInputFiles(NETPERF);
  await expect(imp.getByRole('table', { name: 'Records' }).first()).toContainText('2997.84', { timeout: 30_000 });
  const cmp = await addCell(page, 'Compare');
  await cmp.getByLabel('Measured testbed').selectOption('DA');
  await cmp.getByRole('button', { name: 'Run' }).click();
  await expect(cmp.getByRole('table', { name: /^Table IV / })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();

  const { text } = await exportPdf(page, 'sim-import-compare');
  test.skip(!hasPoppler, 'pdftotext is not installed (apt-get install -y poppler-utils)');
  for (const t of ['Table IV', 'Table V', 'Table VI', 'Table VII', 'TCP_STREAM throughput by system', 'Appendix A']) expect(text).toContain(t);
  // the paper's numbers (Tables IV–VII) and the imported throughput exactly as netperf printed it
  for (const v of ['721.1', '747.5', '23.2', '9.2', '4.71', '6090', '5015']) expect(text).toContain(v);
  expect(text).toContain('2997.84');
  expect(text).toMatch(/[0-9a-f]{64}|[0-9a-f]{20}/); // the input file's SHA-256 in the provenance
});

test('.rxnb download imports back as a new notebook', async ({ app }) => {
  test.skip(app.target !== 'browser', 'browser-mode routes');
  const { page } = app;
  await openNewNotebook(page);
  const md = await addCell(page, 'Markdown');
  await md.getByLabel('Markdown source').fill('portable marker');
  await md.getByLabel('Markdown source').press('Control+Enter');
  await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
  const id = /#\/notebook\/(\d+)/.exec(page.url())?.[1] ?? '';
  const base = new URL(app.url);
  const token = base.searchParams.get('token') ?? '';
  const res = await page.request.get(`${base.origin}/api/notebook.rxnb?notebook=${id}`, { headers: { 'x-rxlab-token': token } });
  expect(res.status()).toBe(200);
  expect(res.headers()['content-disposition']).toMatch(/attachment; filename=".*\.rxnb"/);
  const text = await res.text();
  expect(JSON.parse(text).format).toBe('rxnb');
  const up = await page.request.post(`${base.origin}/api/notebook.rxnb`, { data: text, headers: { 'x-rxlab-token': token, 'content-type': 'application/json' } });
  expect(up.status()).toBe(200);
  const nb = (await up.json()) as { ok: boolean; value: { id: number; cells: { config: { source?: string } }[] } };
  expect(nb.ok).toBe(true);
  expect(nb.value.id).not.toBe(Number(id));
  expect(nb.value.cells[0]?.config.source).toBe('portable marker');
});
