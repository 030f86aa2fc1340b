import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { randomUUID } from 'node:crypto';
import { saveCells, getNotebook } from '../store/notebooks.js';
import { buildReportHtml, buildReportPdf } from './build.js';
import { makeFixture, type Fixture } from './test-fixture.js';

const hasChromium = existsSync(process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium');

/** Large data: a 200,000-point trace and a 2,000-point sweep stay a small, vector PDF. */
describe('large notebooks', () => {
  let f: Fixture;
  beforeAll(() => {
    f = makeFixture();
    const nb = getNotebook(f.service.db, f.notebookId);
    const n = 200_000;
    const x = Array.from({ length: n }, (_, i) => i / 1000);
    const y = x.map((t) => 600 + 50 * Math.sin(t) + 20 * Math.sin(t * 37));
    const points = Array.from({ length: 2000 }, (_, i) => ({ values: { flush_every_polls: i + 1 }, runIds: [], metrics: { throughput_mbps: { mean: 500 + i / 10, lo: 498 + i / 10, hi: 502 + i / 10, halfWidth: 2, n: 3 } } }));
    saveCells(f.service.db, f.notebookId, [
      ...nb.cells.map((c) => ({ id: c.id, kind: c.kind, config: c.config, output: c.output, stale: c.stale })),
      { id: randomUUID(), kind: 'plot', config: { title: 'Receive trace' }, output: { series: [{ name: 'trace', x, y, err: [] }], xLabel: 'time (s)', yLabel: 'throughput_mbps' }, stale: false },
      { id: randomUUID(), kind: 'sweep', config: {}, output: { system: 'DA', vary: ['flush_every_polls'], seeds: 3, points }, stale: false },
    ]);
  });
  afterAll(() => f.cleanup());

  test('HTML stays small and says the trace was decimated', async () => {
    const t0 = performance.now();
    const html = await buildReportHtml(f.service, f.notebookId);
    const ms = performance.now() - t0;
    expect(html).toContain('200,000 points drawn as');
    expect(html.length).toBeLessThan(3_000_000);
    // Appendix A summarises the trace's data per series instead of printing its first 150 rows
    expect(html).toContain('Receive trace: each series summarised');
    expect(html).toContain('200,000 data points, drawn in the figure');
    expect(html).not.toContain('First 150 of 200,000 rows');
    expect(ms).toBeLessThan(10_000);
  });

  test.runIf(hasChromium)('PDF of the large notebook', async () => {
    const r = await buildReportPdf(f.service, f.notebookId);
    console.log(`large report: ${(r.pdf.length / 1024).toFixed(0)} KiB in ${r.ms} ms`);
    expect(r.pdf.length).toBeLessThan(5_000_000);
  }, 90_000);
});
