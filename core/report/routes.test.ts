import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync } from 'node:fs';
import { serve, type BrowserServer } from '../server.js';
import { reportRoutes } from './routes.js';
import { makeFixture, type Fixture } from './test-fixture.js';

const hasChromium = existsSync(process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium');

describe('browser-mode report routes', () => {
  let f: Fixture;
  let srv: BrowserServer;
  let base: string;
  const get = (path: string): Promise<Response> => fetch(`${base}${path}`, { headers: { 'x-rxlab-token': srv.token } });
  beforeAll(async () => {
    f = makeFixture();
    srv = await serve(f.service, { routes: reportRoutes(f.service) });
    base = `http://127.0.0.1:${srv.port}`;
  });
  afterAll(async () => {
    await srv.close();
    f.cleanup();
  });

  test.runIf(hasChromium)('GET /api/report.pdf downloads a PDF named after the notebook', async () => {
    const res = await get(`/api/report.pdf?notebook=${f.notebookId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain('attachment; filename="Xen receive path_ report test.pdf"');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
  }, 60_000);

  test('the token is still required', async () => {
    const res = await fetch(`${base}/api/report.pdf?notebook=${f.notebookId}`);
    expect(res.status).toBe(401);
  });

  test('bad and unknown ids are 400 and 404 with an error envelope', async () => {
    expect((await get('/api/report.html?notebook=abc')).status).toBe(400);
    const nf = await get('/api/report.html?notebook=999');
    expect(nf.status).toBe(404);
    expect(((await nf.json()) as { ok: boolean }).ok).toBe(false);
    expect((await get('/api/run.csv?ids=1,99999')).status).toBe(404);
    expect((await get('/api/chart.svg?notebook=1&figure=77')).status).toBe(404);
  });

  test('many runs (from 500) are read and printed in a worker: the same files, 404 for a missing id', async () => {
    const { insertRun } = await import('../store/runs.js');
    const { runsToCsv, runsToJson } = await import('./csv.js');
    const { getRuns } = await import('../store/runs.js');
    const db = f.service.db;
    const ids = db.transaction(() => Array.from({ length: 600 }, (_, i) => insertRun(db, { kind: 'simulated', system: 'DA', workload: 'stream', seed: i + 1, parameters: { mtu: 1500 }, metrics: { throughput_mbps: 700 + i / 8 } })))();
    const csv = await get(`/api/run.csv?ids=${ids.join(',')}`);
    expect(csv.status).toBe(200);
    expect(await csv.text()).toBe(runsToCsv(getRuns(db, ids)));
    const json = await get(`/api/run.json?ids=${ids.join(',')}`);
    expect(await json.text()).toBe(runsToJson(getRuns(db, ids)));
    const missing = await get(`/api/run.json?ids=${[...ids, 9_999_999].join(',')}`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toBe('run 9999999 does not exist');
    // 10,000 ids fit in the URL (past Node's default 16 KB of headers)
    const longUrl = await get(`/api/run.csv?ids=${Array.from({ length: 10_000 }, (_, i) => ids[i % ids.length]! + 1_000_000).join(',')}`);
    expect(longUrl.status).toBe(404);
    const viaApi = await f.service.invoke('runs.get', { ids });
    expect(viaApi).toEqual(getRuns(db, ids));
  });

  test('run CSV and JSON, table CSV, chart SVG', async () => {
    const csv = await get(`/api/run.csv?ids=${f.simRunIds.slice(0, 3).join(',')}`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect((await csv.text()).split('\r\n')[0]).toMatch(/^run_id,kind,system/);
    const json = (await (await get(`/api/run.json?ids=${f.measuredRunIds.join(',')}`)).json()) as { kind: string }[];
    expect(json[0]?.kind).toBe('measured');
    const table = await get(`/api/table.csv?notebook=${f.notebookId}&table=${encodeURIComponent(`${(await firstCompareCell())}-table-iv`)}`);
    expect(table.status).toBe(200);
    expect(await table.text()).toContain('Xen,535.9');
    const svg = await get(`/api/chart.svg?notebook=${f.notebookId}&figure=1`);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(await svg.text()).toMatch(/^<svg xmlns/);
  });

  test.runIf(hasChromium)('chart PNG', async () => {
    const png = Buffer.from(await (await get(`/api/chart.png?notebook=${f.notebookId}&figure=1`)).arrayBuffer());
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1280); // 640 px at 2×
  }, 60_000);

  test('report index lists tables and figures by id', async () => {
    const idx = (await (await get(`/api/report.index?notebook=${f.notebookId}`)).json()) as { value: { tables: { id: string }[]; figures: { number: number }[] } };
    expect(idx.value.tables.some((t) => t.id.endsWith('-table-iv'))).toBe(true);
    expect(idx.value.figures[0]?.number).toBe(1);
  });

  test('.rxnb download and upload', async () => {
    const res = await get(`/api/notebook.rxnb?notebook=${f.notebookId}`);
    expect(res.headers.get('content-disposition')).toMatch(/\.rxnb"/);
    const text = await res.text();
    const up = await fetch(`${base}/api/notebook.rxnb`, { method: 'POST', body: text, headers: { 'x-rxlab-token': srv.token, 'content-type': 'application/json' } });
    expect(up.status).toBe(200);
    const env = (await up.json()) as { ok: boolean; value: { id: number; cells: unknown[] } };
    expect(env.ok).toBe(true);
    expect(env.value.id).not.toBe(f.notebookId);
    // decoded in the store worker: a UTF-8 BOM (as some editors save) and multibyte text arrive intact
    const doc = JSON.parse(text) as { notebook: { title: string } };
    doc.notebook.title = 'Flush latency µs — Δ ≤ 3 % 🙂';
    const bom = await fetch(`${base}/api/notebook.rxnb`, { method: 'POST', body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(doc))]), headers: { 'x-rxlab-token': srv.token } });
    const bomEnv = (await bom.json()) as { ok: boolean; value: { title: string } };
    expect([bom.status, bomEnv.value.title]).toEqual([200, 'Flush latency µs — Δ ≤ 3 % 🙂']);
    const bad = await fetch(`${base}/api/notebook.rxnb`, { method: 'POST', body: '{"format":"x"}', headers: { 'x-rxlab-token': srv.token } });
    expect([bad.status, await bad.text()]).toEqual([400, expect.stringContaining('not an .rxnb file')]);
  });

  async function firstCompareCell(): Promise<string> {
    const nb = await f.service.invoke('notebook.get', { id: f.notebookId });
    return nb.cells.find((c) => c.kind === 'compare')?.id ?? '';
  }
});
