/** Sweep engine on the real simulator: run only missing points, resume after kill -9, intervals. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import quantile from '@stdlib/stats-base-dists-t-quantile';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Service } from '../service.js';
import { destroyPool } from '../sim/pool.js';
import { PARAM_SPEC_BY_NAME } from '../sim/params.js';
import { sweepAxisLabel } from '../contract/metric-labels.js';
import { openStore } from '../store/db.js';
import { realBackend } from './backend.js';
import { keyFor, runSweep } from './engine.js';
import { allRequests, seedList } from './grid.js';
import { repoRoot } from './slurm.js';
import { cliHas, writeSweepChild } from './testing.js';
import type { SweepSpec } from './types.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rxlab-sweep-it-'));
});
afterAll(async () => {
  await destroyPool();
  rmSync(dir, { recursive: true, force: true });
});

const short = { duration_s: 0.05, warmup_s: 0.01 };

describe('sweep on the real simulator', () => {
  it('a second run of the same sweep simulates 0 points and gives the same intervals', async () => {
    const db = openStore(join(dir, 'missing.db'));
    const spec: SweepSpec = { system: 'LRO', workload: 'stream', set: { ...short, flush_policy: 'every-k' }, vary: [{ key: 'flush_every_polls', values: [1, 2, 3] }], seeds: 3 };
    const r1 = await runSweep(db, realBackend(), spec);
    expect(r1.simulated).toBe(9);
    const r2 = await runSweep(db, realBackend(), spec);
    expect(r2.simulated).toBe(0);
    expect(r2.cachedRuns).toBe(9);
    expect(r2.points).toEqual(r1.points);
    // Intervals: mean ± t(0.975, n−1)·s/√n with @stdlib's quantile.
    const p = r1.points[1];
    const xs = (p?.runIds ?? []).map((id) => db.prepare("SELECT value FROM result WHERE run_id = ? AND metric = 'throughput_mbps'").pluck().get(id) as number);
    expect(xs).toHaveLength(3);
    const mean = (xs[0]! + xs[1]! + xs[2]!) / 3;
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / 2);
    const iv = p?.metrics['throughput_mbps'];
    expect(iv?.mean).toBeCloseTo(mean, 9);
    expect(iv?.halfWidth).toBeCloseTo((quantile(0.975, 2) * sd) / Math.sqrt(3), 9);
    expect(quantile(0.975, 2)).toBeCloseTo(4.302652730, 8);
    // Overlapping sweep (k=2..4): only k=4 is new.
    const r3 = await runSweep(db, realBackend(), { ...spec, vary: [{ key: 'flush_every_polls', values: [2, 3, 4] }] });
    expect(r3.simulated).toBe(3);
    // DA is LRO with k=2: the same simulation, so the same numbers, but stored as DA's own runs (a
    // run carries the system it was asked as; served LRO's, DA's row vanished from a Simulation cell)
    const r4 = await runSweep(db, realBackend(), { ...spec, system: 'DA', set: short, vary: [{ key: 'flush_policy', values: ['every-k'] }] });
    expect(r4.simulated).toBe(3);
    expect(r4.points[0]?.metrics['throughput_mbps']).toEqual(r1.points[1]?.metrics['throughput_mbps']);
    db.close();
  }, 120_000);

  it('sweep.run through the service and `rxlab sweep --json` through the CLI serve repeated points from the store', async () => {
    const dbPath = join(dir, 'service.db');
    const service = new Service({ dbPath, host: 'cli' });
    const input = { system: 'LRO' as const, set: { ...short, flush_policy: 'every-k' }, vary: [{ key: 'flush_every_polls', values: [1, 2] }], seeds: 2 };
    const a = await service.invoke('sweep.run', input);
    expect(a.points).toHaveLength(2);
    // the varied knob's unit and meaning from its spec, for the chart's axis title in the notebook and the report
    expect(a.varySpecs).toEqual({ flush_every_polls: { unit: 'polls', doc: PARAM_SPEC_BY_NAME.get('flush_every_polls')?.doc, short: 'flush at the k-th poll end' } });
    expect(sweepAxisLabel(a, 'flush_every_polls')).toBe('flush_every_polls — flush at the k-th poll end (polls)');
    expect(a.cachedRuns).toBe(0);
    expect(a.points[0]?.metrics['throughput_mbps']?.n).toBe(2);
    const b = await service.invoke('sweep.run', input);
    expect(b.cachedRuns).toBe(4);
    expect(b.points).toEqual(a.points);
    const bad = await service.call('sweep.run', { ...input, vary: [{ key: 'no_such_knob', values: [1] }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/no_such_knob/);
    service.close();
    if (!cliHas('sweep')) return;
    const cli = (): { simulated: number; cachedRuns: number } => {
      const r = spawnSync(
        process.execPath,
        [join(repoRoot(), 'bin', 'rxlab.js'), '--db', dbPath, 'sweep', '--system', 'LRO', '--vary', 'flush_every_polls=1..3', '--seeds', '2', '--json', '--set', 'duration_s=0.05', '--set', 'warmup_s=0.01', '--set', 'flush_policy=every-k'],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { simulated: number; cachedRuns: number };
    };
    // what the sweep held fixed is in its output beside what it varied
    expect(cli()).toMatchObject({ simulated: 2, cachedRuns: 4, set: { duration_s: 0.05, warmup_s: 0.01, flush_policy: 'every-k' }, seedBase: 1 });
    expect(cli()).toMatchObject({ simulated: 0, cachedRuns: 6 });
  }, 120_000);

  it('resumes after kill -9 in the middle of a sweep: no point lost or duplicated, integrity ok', async () => {
    const dbPath = join(dir, 'kill.db');
    openStore(dbPath).close();
    const spec: SweepSpec = { system: 'LRO', workload: 'stream', set: { duration_s: 0.1, warmup_s: 0.01, flush_policy: 'every-k' }, vary: [{ key: 'flush_every_polls', values: [1, 2, 3, 4, 5, 6] }], seeds: 2 };
    const total = 12;
    const useCli = cliHas('sweep');
    const argv = useCli
      ? [join(repoRoot(), 'bin', 'rxlab.js'), '--db', dbPath, 'sweep', '--system', 'LRO', '--vary', 'flush_every_polls=1..6', '--seeds', '2', '--batch', '1', ...Object.entries(spec.set).flatMap(([k, v]) => ['--set', `${k}=${String(v)}`])]
      : [writeSweepChild(dir), dbPath, JSON.stringify(spec), '1'];
    const count = (): number => {
      const ro = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        return ro.prepare('SELECT COUNT(*) FROM run').pluck().get() as number;
      } finally {
        ro.close();
      }
    };
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
    const t0 = Date.now();
    let before = 0;
    while (Date.now() - t0 < 60_000) {
      before = count();
      if (before >= 3) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(before, stderr).toBeGreaterThanOrEqual(3);
    child.kill('SIGKILL');
    const ex = await exited;
    expect(ex.signal).toBe('SIGKILL');
    const afterKill = count();
    expect(afterKill).toBeLessThan(total);

    const db = openStore(dbPath);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const r = await runSweep(db, realBackend(), spec);
    expect(r.cachedRuns).toBe(afterKill);
    expect(r.simulated).toBe(total - afterKill);
    expect(db.prepare('SELECT COUNT(*) FROM run').pluck().get()).toBe(total);
    expect(db.prepare('SELECT COUNT(DISTINCT cache_key) FROM run').pluck().get()).toBe(total);
    // Every expected point is there, each with its metrics.
    const backend = realBackend();
    for (const { req } of allRequests(spec)) {
      const id = db.prepare('SELECT id FROM run WHERE cache_key = ?').pluck().get(keyFor(backend, req)) as number | undefined;
      expect(id).toBeDefined();
      expect(db.prepare("SELECT value FROM result WHERE run_id = ? AND metric = 'throughput_mbps'").pluck().get(id)).toBeGreaterThan(0);
    }
    expect(seedList(spec)).toEqual([1, 2]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    // The run is repeatable: a fresh process finds everything stored.
    if (!useCli) {
      const again = spawnSync(process.execPath, argv, { encoding: 'utf8', timeout: 60_000 });
      expect(JSON.parse(again.stdout)).toEqual({ simulated: 0, cachedRuns: total });
    }
  }, 120_000);
});
