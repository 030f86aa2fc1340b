import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tableExport } from '../handlers/report-exports.js';
import { buildReportHtml } from './build.js';
import { buildReportModel } from './model.js';
import { RECORDS_PER_FILE } from './sections.js';
import { addLargeImport, makeFixture, type Fixture } from './test-fixture.js';

/**
 * An Import cell holding one log of 20,000 netperf runs. Every run used to be printed (records,
 * a provenance row and a "parameter set" each): 10 MB of HTML here, 20–250 MB for real logs, which
 * Chromium then took minutes and GBs to print. The report's size must not grow with the runs.
 */
describe('a notebook with 20,000 measured runs of one file', () => {
  const RUNS = 20_000;
  let f: Fixture;
  let file: { fileName: string; fileId: number; runIds: number[] };
  let html: string;
  let ms: number;
  beforeAll(async () => {
    f = makeFixture();
    file = addLargeImport(f, RUNS);
    const t0 = performance.now();
    html = await buildReportHtml(f.service.db, f.notebookId);
    ms = performance.now() - t0;
  }, 120_000);
  afterAll(() => f.cleanup());

  test('the HTML stays small and says how many runs there are', () => {
    expect(html.length).toBeLessThan(2_000_000);
    expect(html).toContain('Measured records (20,000 runs)');
    expect(html).toContain(`… and ${(RUNS - RECORDS_PER_FILE).toLocaleString('en-US')} more runs of ${file.fileName} (all 20,000 in this table&#39;s CSV/JSON export, and in \`rxlab runs --file ${file.fileId}\`).`);
    expect(ms).toBeLessThan(30_000);
  });

  test('the records table prints the first runs of the file; its CSV export has every run', () => {
    const model = buildReportModel(f.service.db, f.notebookId);
    const table = model.sections.flatMap((s) => s.blocks).flatMap((b) => (b.type === 'table' && b.table.id.endsWith('-records') && b.table.title.includes('20,000') ? [b.table] : []))[0];
    expect(table?.rows.map((r) => r[0])).toEqual(file.runIds.slice(0, RECORDS_PER_FILE));
    const csv = tableExport(f.service.db, f.notebookId, table?.id ?? '', 'csv') ?? '';
    expect(csv.trim().split('\r\n')).toHaveLength(RUNS + 1);
  });

  test('provenance: the runs of the file are one row, with no parameter set', () => {
    const first = file.runIds[0] ?? 0;
    const row = new RegExp(`<tr><td>${first}–${first + RUNS - 1}</td><td>measured</td><td>Xen</td>.*?</tr>`).exec(html)?.[0];
    expect(row).toMatch(/<td>–<\/td><\/tr>$/);
    expect(html).not.toContain('&quot;index&quot;');
  });
});
