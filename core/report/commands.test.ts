import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CliIO } from '../cli-types.js';
import { openStore } from '../store/db.js';
import { getNotebook, listNotebooks } from '../store/notebooks.js';
import { reportCommands } from './commands.js';
import { IMPORTED_THROUGHPUT, MEASURED_XEN_DRIVER_CPB, makeFixture, type Fixture } from './test-fixture.js';

const hasPoppler = existsSync('/usr/bin/pdftotext') && existsSync('/usr/bin/pdftoppm');
const hasChromium = existsSync(process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium');

function io(dbPath: string): CliIO & { stdout: string; stderr: string } {
  const o = { stdout: '', stderr: '', dbPath, signal: new AbortController().signal, out: (t: string) => void (o.stdout += t), err: (t: string) => void (o.stderr += t) };
  return o;
}

const [report, notebook] = reportCommands;

describe('rxlab report (headless)', () => {
  let f: Fixture;
  beforeAll(() => {
    f = makeFixture({ bigPlotPoints: 20_000 });
  });
  afterAll(() => f.cleanup());

  test.runIf(hasChromium && hasPoppler)('writes a PDF whose text holds Tables IV–VII, the simulated and the imported values', async () => {
    const out = join(f.dir, 'report.pdf');
    const t0 = performance.now();
    const c = io(f.dbPath);
    expect(await report?.run(['--notebook', 'Xen receive path: report test', '--out', out], c)).toBe(0);
    const ms = performance.now() - t0;
    expect(c.stderr).toMatch(/wrote .*report\.pdf \(PDF, [\d.]+ KiB, \d+ ms, Chromium/);
    const pdf = readFileSync(out);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
    // paper Tables IV, V, VI, VII
    for (const v of ['721.1', '535.9', '577.2', '576.5', '747.5', '14.5', '13.4', '3.3', '8.7', '7.1', '5.9', '17.5', '23.2', '20.6', '9.2', '2.55', '4.71', '6090', '5036', '5010', '4999', '5015'])
      expect(text).toContain(v);
    for (const t of ['Table IV', 'Table V', 'Table VI', 'Table VII', 'Appendix A', 'TCP_STREAM throughput by system', 'Environment']) expect(text).toContain(t);
    expect(text).toContain(String(IMPORTED_THROUGHPUT));
    expect(text).toContain(String(MEASURED_XEN_DRIVER_CPB)); // measured Table V value from the Compare cell's arithmetic
    expect(text).toContain('sim-test-1'); // model version in the provenance
    expect(text).toMatch(/[0-9a-f]{20}/); // input SHA-256
    expect(text).toContain('20,000 points drawn as');
    // the script payload in the markdown cell is gone, as the app's DOMPurify removes it; the note's text stays
    expect(text).not.toContain('alert("xss")');
    expect(text).toContain('Receive path study');
    // charts stay vectors: no raster image anywhere in the PDF
    const images = execFileSync('pdfimages', ['-list', out], { encoding: 'utf8' }).trim().split('\n');
    expect(images.length).toBe(2); // just the two header lines
    // pages render; keep them where a person can look (RXLAB_REPORT_PAGES=dir)
    const pagesDir = process.env['RXLAB_REPORT_PAGES'] ?? join(f.dir, 'pages');
    mkdirSync(pagesDir, { recursive: true });
    execFileSync('pdftoppm', ['-r', '60', '-png', out, join(pagesDir, 'page')]);
    const pngs = readdirSync(pagesDir).filter((p) => p.endsWith('.png'));
    expect(pngs.length).toBeGreaterThan(3);
    console.log(`report: ${pngs.length} pages, ${(statSync(out).size / 1024).toFixed(0)} KiB, ${ms.toFixed(0)} ms`);
  }, 60_000);

  test('--html writes the self-contained HTML without Chromium', async () => {
    const out = join(f.dir, 'report.html');
    expect(await report?.run(['--notebook', String(f.notebookId), '--out', out, '--html', '--omit-config'], io(f.dbPath))).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('class="config"');
  });

  test('a missing Chromium gives an install hint', async () => {
    const prev = process.env['CHROMIUM_PATH'];
    process.env['CHROMIUM_PATH'] = join(f.dir, 'no-chromium');
    try {
      await expect(report?.run(['--notebook', String(f.notebookId), '--out', join(f.dir, 'x.pdf')], io(f.dbPath))).rejects.toThrow(/apt-get install -y chromium/);
    } finally {
      if (prev === undefined) delete process.env['CHROMIUM_PATH'];
      else process.env['CHROMIUM_PATH'] = prev;
    }
  });

  test('unknown notebook and missing flags are usage errors', async () => {
    await expect(report?.run(['--notebook', 'nope', '--out', 'x.pdf'], io(f.dbPath))).rejects.toThrow(/no such notebook/);
    await expect(report?.run(['--out', 'x.pdf'], io(f.dbPath))).rejects.toThrow(/--notebook/);
  });

  test('notebook export | import round trip through files', async () => {
    const file = join(f.dir, 'nb.rxnb');
    expect(await notebook?.run(['export', '--notebook', String(f.notebookId), '--out', file], io(f.dbPath))).toBe(0);
    const other = join(f.dir, 'other.db');
    const c = io(other);
    expect(await notebook?.run(['import', file], c)).toBe(0);
    expect(c.stdout).toMatch(/imported notebook \d+ "Xen receive path: report test": \d+ cells, \d+ runs \(0 already here\), 1 files \(0 already here\)/);
    const db = openStore(other);
    try {
      const [nb] = listNotebooks(db);
      expect(nb && getNotebook(db, nb.id).cells.map((x) => x.kind)).toEqual(getNotebook(f.service.db, f.notebookId).cells.map((x) => x.kind));
    } finally {
      db.close();
    }
    const stdout = io(f.dbPath);
    expect(await notebook?.run(['export', '--notebook', String(f.notebookId), '--out', '-'], stdout)).toBe(0);
    expect(stdout.stdout).toBe(readFileSync(file, 'utf8'));
    await expect(notebook?.run(['frobnicate'], io(f.dbPath))).rejects.toThrow(/"list", "new", "run", "export" or "import"/);
    // list: the notebooks of the other store, newest first, as text and as JSON
    const text = io(other);
    expect(await notebook?.run(['list'], text)).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^\s*\d+\s+\d+ cells {2}\d{4}-\d\d-\d\d \d\d:\d\d {2}Xen receive path: report test$/);
    const json = io(other);
    expect(await notebook?.run(['list', '--json'], json)).toBe(0);
    const listed = JSON.parse(json.stdout) as { id: number; title: string; cellCount: number }[];
    expect(listed.map((n) => n.title)).toContain('Xen receive path: report test');
    expect(lines).toHaveLength(listed.length);
    await expect(notebook?.run(['list', '--csv'], io(other))).rejects.toThrow(/csv/);
  });
});
