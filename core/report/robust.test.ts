import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CELL_KINDS } from '../contract/schemas.js';
import { saveCells } from '../store/notebooks.js';
import { buildReportHtml } from './build.js';
import { exportNotebook } from '../portable/export.js';
import { importNotebook } from '../portable/import.js';
import { makeFixture, type Fixture } from './test-fixture.js';

/** Cell outputs and configs of any JSON shape never break the report or the .rxnb round trip. */
describe('unexpected cell shapes', () => {
  let f: Fixture;
  beforeAll(() => {
    f = makeFixture();
  });
  afterAll(() => f.cleanup());

  const json = fc.jsonValue({ maxDepth: 4 });
  // realistic keys, so the builders take their interesting branches with wrong types behind them
  const keyed = fc.dictionary(
    fc.constantFrom('runIds', 'fileIds', 'fileId', 'runId', 'series', 'points', 'vary', 'tables', 'rows', 'measured', 'x', 'y', 'err', 'source', 'sources', 'inputs', 'values', 'metrics', 'profile', 'files', 'groups', 'system', 'title', 'arithmetic', 'xLabel', 'yLabel'),
    json,
  );

  test('report HTML', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ kind: fc.constantFrom(...CELL_KINDS), config: keyed, output: fc.oneof(json, keyed) }), { minLength: 1, maxLength: 6 }), async (cells) => {
        saveCells(f.service.db, f.notebookId, cells.map((c) => ({ id: randomUUID(), kind: c.kind, config: c.config as Record<string, unknown>, output: c.output, stale: false })));
        const html = await buildReportHtml(f.service, f.notebookId);
        expect(html).not.toMatch(/<script/i);
        const r = importNotebook(f.service.db, exportNotebook(f.service.db, f.notebookId));
        expect(r.notebook.cells.length).toBe(cells.length);
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});
