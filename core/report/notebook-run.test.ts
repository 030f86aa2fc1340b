import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CliIO } from '../cli-types.js';
import { compiledPath } from '../paths.js';
import { Service } from '../service.js';
import { destroyPool } from '../sim/pool.js';
import { createNotebook, getNotebook } from '../store/notebooks.js';
import { reportCommands } from './commands.js';

const hasChromium = existsSync(process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium');
const hasRenderer = existsSync(join(compiledPath('renderer'), 'index.html'));
const notebook = reportCommands.find((c) => c.name === 'notebook')!;

function io(dbPath: string): CliIO & { stdout: string; stderr: string } {
  const o = { stdout: '', stderr: '', dbPath, signal: new AbortController().signal, out: (t: string) => void (o.stdout += t), err: (t: string) => void (o.stderr += t) };
  return o;
}

const short = { duration_s: 0.05, warmup_s: 0.01 };
let dir = '';
let dbPath = '';
let headlessId = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rxlab-nbrun-'));
  dbPath = join(dir, 'x.db');
  const s = new Service({ dbPath, host: 'cli' });
  try {
    headlessId = createNotebook(s.db, 'headless', [
      { id: '00000000-0000-4000-8000-000000000001', kind: 'markdown', config: { source: '# Re-run from the command line' }, stale: false },
      { id: '00000000-0000-4000-8000-000000000002', kind: 'simulation', config: { systems: ['Xen', 'DA'], workload: 'stream', seeds: 2, set: short }, stale: false },
      { id: '00000000-0000-4000-8000-000000000003', kind: 'compare', config: {}, stale: false },
    ]).id;
    createNotebook(s.db, 'broken', [
      { id: '00000000-0000-4000-8000-000000000004', kind: 'simulation', config: { systems: ['Xen'], workload: 'stream', seeds: 1, set: { ...short, mtu: 'jumbo' } }, stale: false },
      { id: '00000000-0000-4000-8000-000000000005', kind: 'compare', config: {}, stale: false },
    ]);
    createNotebook(s.db, 'long', [{ id: '00000000-0000-4000-8000-000000000006', kind: 'simulation', config: { systems: ['Xen'], workload: 'stream', seeds: 1, set: { duration_s: 600 } }, stale: false }]);
  } finally {
    s.close();
  }
});
afterAll(async () => {
  await destroyPool();
  rmSync(dir, { recursive: true, force: true });
});

describe('rxlab notebook run: Run all, headless, in the system Chromium', () => {
  test.runIf(hasChromium && hasRenderer)('runs every cell as the app does, saves the results with the notebook, and prints the report', async () => {
    const c = io(dbPath);
    const pdf = join(dir, 'headless.pdf');
    expect(await notebook.run(['run', '--notebook', 'headless', '--report', pdf], c)).toBe(0);
    expect(c.stdout).toMatch(/^notebook \d+ "headless": 3 of 3 cells ran in [\d.]+ s; results saved\n {2}\[1\] markdown {3}ran\n {2}\[2\] simulation ran\n {2}\[3\] compare {4}ran\n$/);
    expect(c.stderr).toMatch(/wrote .*headless\.pdf \(PDF/);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    // the results are the notebook's, as if Run all had been pressed in the app
    const s = new Service({ dbPath, host: 'cli' });
    try {
      const [, sim, cmp] = getNotebook(s.db, headlessId).cells;
      expect((sim?.output as { groups: { system: string }[] }).groups.map((g) => g.system)).toEqual(['Xen', 'DA']);
      expect((cmp?.output as { tables: { id: string }[] }).tables.map((t) => t.id)).toEqual(['IV', 'V', 'VI', 'VII']);
    } finally {
      s.close();
    }
  }, 120_000);

  test.runIf(hasChromium && hasRenderer)('stops at the first cell that fails and names it; the cells after it do not run', async () => {
    const c = io(dbPath);
    expect(await notebook.run(['run', '--notebook', 'broken', '--json'], c)).toBe(1);
    const r = JSON.parse(c.stdout) as { title: string; cells: { index: number; kind: string; state: string; message: string | null }[] };
    expect(r.title).toBe('broken');
    expect(r.cells.map((x) => [x.index, x.kind, x.state])).toEqual([
      [1, 'simulation', 'failed'],
      [2, 'compare', 'not run'],
    ]);
    expect(r.cells[0]?.message).toBe('MTU needs a number in bytes');
    expect(c.stderr).toMatch(/^rxlab notebook run: cell 1 \(simulation\) failed: MTU needs a number in bytes$/m);
  }, 120_000);

  test.runIf(hasChromium && hasRenderer)('Ctrl+C stops the cell in flight and says so', async () => {
    const ctl = new AbortController();
    const c = { ...io(dbPath), signal: ctl.signal };
    const seen: string[] = [];
    c.err = (t: string): void => {
      seen.push(t);
      if (/running…/.test(t)) ctl.abort(); // as soon as the cell is under way
    };
    const t0 = performance.now();
    expect(await notebook.run(['run', '--notebook', 'long'], c)).toBe(130);
    expect(performance.now() - t0).toBeLessThan(30_000); // 600 s simulated would take minutes
    expect(seen.join('')).toMatch(/cell 1 of 1 \(simulation\): running…/);
    expect(seen.at(-1)).toBe('rxlab notebook run: long: cancelled: the cell in flight was stopped; the results of the cells before it are saved\n');
  }, 60_000);

  test.runIf(hasChromium && hasRenderer)('Ctrl+C before Run all starts (while Chromium starts) is a cancel too: nothing runs, the notebook is unchanged', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const c = io(dbPath);
    c.signal = ctl.signal;
    const s = new Service({ dbPath, host: 'cli' });
    const before = JSON.stringify(getNotebook(s.db, headlessId));
    s.close();
    expect(await notebook.run(['run', '--notebook', 'headless'], c)).toBe(130);
    expect(c.stderr).toBe('rxlab notebook run: headless: cancelled before Run all started: nothing ran, nothing changed\n');
    const s2 = new Service({ dbPath, host: 'cli' });
    try {
      expect(JSON.stringify(getNotebook(s2.db, headlessId))).toBe(before);
    } finally {
      s2.close();
    }
  }, 60_000);

  test.runIf(hasChromium && hasRenderer)('--timeout stops the cell in flight, says so and exits 1', async () => {
    const c = io(dbPath);
    expect(await notebook.run(['run', '--notebook', 'long', '--timeout', '0.03'], c)).toBe(1);
    expect(c.stderr).toMatch(/rxlab notebook run: long: still running after 2 s \(--timeout\): the cell in flight was stopped; the results of the cells before it are saved\n$/);
  }, 60_000);

  test('notebook new: empty, or from a template under the title the app gives it', async () => {
    const c = io(dbPath);
    expect(await notebook.run(['new', '--template', 'reproduce'], c)).toBe(0);
    expect(c.stdout).toMatch(/^created notebook \d+ "Reproduce the paper" \(3 cells\)\n$/);
    const d = io(dbPath);
    expect(await notebook.run(['new', '--title', ' My study '], d)).toBe(0);
    expect(d.stdout).toMatch(/^created notebook \d+ "My study" \(0 cells\)\n$/);
    await expect(notebook.run(['new', '--template', 'nope'], io(dbPath))).rejects.toThrow(/--template: expected one of blank, reproduce, tradeoff, placement, testbed, diagnostics, got "nope"/);
    await expect(notebook.run(['new', '--title', ' '], io(dbPath))).rejects.toThrow(/--title/);
  });

  test('bad flags and unknown notebooks are usage errors', async () => {
    await expect(notebook.run(['run'], io(dbPath))).rejects.toThrow(/--notebook/);
    await expect(notebook.run(['run', '--notebook', 'headless', '--timeout', '0'], io(dbPath))).rejects.toThrow(/--timeout: must be between/);
    await expect(notebook.run(['run', '--notebook', 'nope'], io(dbPath))).rejects.toThrow(/no such notebook/);
    await expect(notebook.run(['run', '--notebook', 'headless', '--report', join(dir, 'nowhere', 'r.pdf')], io(dbPath))).rejects.toThrow(/--report: the folder .*nowhere does not exist/);
  });
});
