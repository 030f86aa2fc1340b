import quantile from '@stdlib/stats-base-dists-t-quantile';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore, type Db } from '../store/db.js';
import { simCacheKey, stableStringify } from '../store/runs.js';
import { runSweep } from './engine.js';
import { allRequests, expandGrid, parseSet, parseVary, rangeValues } from './grid.js';
import { interval95, jainIndex } from './stats.js';
import type { SimBackend, SimRequest, SimResultLike, SweepSpec } from './types.js';
import { useTempDb } from '../store/temp-db.js';

/** A tiny fake simulator for the bookkeeping tests only (the integration tests use core/sim). */
class FakeBackend implements SimBackend {
  calls = 0;
  simulated: SimRequest[] = [];
  constructor(private readonly delayMs = 0) {}
  modelVersion(): string {
    return 'fake-1';
  }
  resolve(req: SimRequest): Record<string, unknown> {
    return { system: req.system, flush_every_polls: 1, mtu: 1500, ...req.set };
  }
  concurrency(): number {
    return 2;
  }
  async run(reqs: SimRequest[], opts: { signal?: AbortSignal }): Promise<SimResultLike[]> {
    this.calls++;
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (opts.signal?.aborted) throw new Error('aborted');
    this.simulated.push(...reqs);
    return reqs.map((r) => {
      const k = Number(r.set['flush_every_polls'] ?? 1);
      // deterministic "noise" from the seed
      const noise = ((r.seed * 7919) % 13) - 6;
      return {
        model_version: 'fake-1',
        parameters: this.resolve(r),
        throughput_mbps: 500 + 40 * k + noise,
        flush_latency_us: { mean: 10 * k + noise / 10, p99: 30 * k },
        per_guest: [1, 2],
      };
    });
  }
}

let db: Db;
let dir = '';
useTempDb('rxlab-sweep-', (d, x) => {
  dir = d;
  db = x;
});

const spec: SweepSpec = {
  system: 'LRO',
  workload: 'stream',
  set: { flush_policy: 'every-k' },
  vary: [{ key: 'flush_every_polls', values: [1, 2, 3, 4] }],
  seeds: 3,
};

describe('grid', () => {
  it('parses ranges, lists and sets', () => {
    expect(parseVary('flush_every_polls=1..8').values).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseVary('link_mbps=100..1000:300').values).toEqual([100, 400, 700, 1000]);
    expect(parseVary('x=0.1..0.5:0.1').values).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(() => parseVary('flush_every_polls=1,1,2')).toThrow('--vary flush_every_polls=1,1,2: 1 is given twice');
    expect(parseVary('lro=on,off').values).toHaveLength(2);
    expect(parseVary('flush_policy=every-k,adaptive').values).toEqual(['every-k', 'adaptive']);
    expect(parseSet(['lro=true', 'mtu=9000', 'flush_policy=timeout'])).toEqual({ lro: true, mtu: 9000, flush_policy: 'timeout' });
    expect(() => parseVary('k=5..1')).toThrow(/empty/);
    expect(() => rangeValues(1, 2, 0)).toThrow(/positive/);
    expect(() => parseVary('nokey')).toThrow();
  });
  it('expands the cartesian product, first knob outermost', () => {
    const g = expandGrid([
      { key: 'a', values: [1, 2] },
      { key: 'b', values: ['x', 'y', 'z'] },
    ]);
    expect(g).toHaveLength(6);
    expect(g[0]).toEqual({ a: 1, b: 'x' });
    expect(g[5]).toEqual({ a: 2, b: 'z' });
    const reqs = allRequests({ ...spec, seeds: 2 });
    expect(reqs).toHaveLength(8);
    expect(reqs[1]?.req).toEqual({ system: 'LRO', set: { flush_policy: 'every-k', flush_every_polls: 1 }, seed: 2, workload: 'stream' });
  });
});

describe('intervals', () => {
  it('match t quantiles from @stdlib and textbook values', () => {
    expect(quantile(0.975, 1)).toBeCloseTo(12.7062047, 6);
    expect(quantile(0.975, 4)).toBeCloseTo(2.7764451, 6);
    expect(quantile(0.975, 9)).toBeCloseTo(2.2621572, 6);
    const xs = [10, 12, 11, 13, 9];
    const iv = interval95(xs);
    // mean 11, deviations -1, 1, 0, 2, -2 → s² = 10/4
    expect(iv.mean).toBe(11);
    expect(iv.sd).toBeCloseTo(Math.sqrt(10 / 4), 12);
    expect(iv.halfWidth).toBeCloseTo(2.7764451 * Math.sqrt(10 / 4) / Math.sqrt(5), 6);
    expect(iv.lo).toBeCloseTo(11 - iv.halfWidth, 12);
    expect(interval95([5])).toMatchObject({ mean: 5, halfWidth: 0, n: 1 });
  });
  it('Jain index', () => {
    expect(jainIndex([1, 1, 1, 1])).toBe(1);
    expect(jainIndex([1, 0, 0, 0])).toBe(0.25);
    expect(jainIndex([2, 1])).toBeCloseTo(9 / 10, 12);
  });
});

describe('sweep engine bookkeeping (fake simulator)', () => {
  it('runs only the missing points: a second identical sweep simulates 0', async () => {
    const b = new FakeBackend();
    const r1 = await runSweep(db, b, spec);
    expect(r1.simulated).toBe(12);
    expect(r1.cachedRuns).toBe(0);
    expect(r1.points).toHaveLength(4);
    expect(r1.points[0]?.runIds).toHaveLength(3);
    const b2 = new FakeBackend();
    const r2 = await runSweep(db, b2, spec);
    expect(b2.simulated).toHaveLength(0);
    expect(r2.simulated).toBe(0);
    expect(r2.cachedRuns).toBe(12);
    expect(r2.points).toEqual(r1.points);
    // Extending the grid and the seeds runs only the new ones.
    const b3 = new FakeBackend();
    const r3 = await runSweep(db, b3, { ...spec, seeds: 4, vary: [{ key: 'flush_every_polls', values: [1, 2, 3, 4, 5] }] });
    expect(r3.simulated).toBe(20 - 12);
    expect(db.prepare('SELECT COUNT(*) FROM run').pluck().get()).toBe(20);
    expect(db.prepare('SELECT COUNT(DISTINCT cache_key) FROM run').pluck().get()).toBe(20);
  });

  it('a sweep of few points and many seeds lets the event loop in while it plans and summarises (it counted points, not runs)', async () => {
    const big: SweepSpec = { ...spec, vary: [{ key: 'flush_every_polls', values: [1, 2, 3, 4] }], seeds: 100 };
    await runSweep(db, new FakeBackend(), big); // stored: the second sweep only looks up and summarises
    let turns = 0;
    let stop = false;
    const spin = (): void => {
      turns++;
      if (!stop) setImmediate(spin);
    };
    setImmediate(spin);
    const r = await runSweep(db, new FakeBackend(), big);
    stop = true;
    expect(r.simulated).toBe(0);
    // 400 runs: at least one turn of the loop while planning and one while summarising
    expect(turns).toBeGreaterThanOrEqual(2);
  });

  it('keys points by model version + workload + resolved parameters + seed', async () => {
    const b = new FakeBackend();
    await runSweep(db, b, { ...spec, seeds: 1, vary: [{ key: 'flush_every_polls', values: [2] }] });
    const key = simCacheKey('fake-1', 'LRO', 'stream', b.resolve({ system: 'LRO', set: { flush_policy: 'every-k', flush_every_polls: 2 }, seed: 1, workload: 'stream' }), 1);
    const row = db.prepare('SELECT cache_key, parameters, seed, model_version FROM run').get() as Record<string, unknown>;
    expect(row['cache_key']).toBe(key);
    expect(row['parameters']).toBe(stableStringify({ system: 'LRO', flush_every_polls: 2, mtu: 1500, flush_policy: 'every-k' }));
    // Same point through a different workload is a different point.
    const r = await runSweep(db, new FakeBackend(), { ...spec, workload: 'rr', seeds: 1, vary: [{ key: 'flush_every_polls', values: [2] }] });
    expect(r.simulated).toBe(1);
  });

  it('intervals per point over seeds', async () => {
    const r = await runSweep(db, new FakeBackend(), spec);
    const p = r.points[1];
    const thr = [1, 2, 3].map((s) => 500 + 80 + (((s * 7919) % 13) - 6));
    const iv = interval95(thr);
    expect(p?.metrics['throughput_mbps']).toEqual({ mean: iv.mean, lo: iv.lo, hi: iv.hi, halfWidth: iv.halfWidth, n: 3 });
    expect(p?.metrics['flush_latency_us.mean']?.n).toBe(3);
  });

  it('resumes after a cancel without losing or duplicating points', async () => {
    const ac = new AbortController();
    const b = new FakeBackend(20);
    let seen = 0;
    const p = runSweep(db, b, spec, {
      signal: ac.signal,
      batchSize: 2,
      inflight: 1,
      onProgress: (done) => {
        seen = done;
        if (done >= 4) ac.abort();
      },
    });
    await expect(p).rejects.toThrow(/cancelled/);
    const stored = db.prepare('SELECT COUNT(*) FROM run').pluck().get() as number;
    expect(stored).toBeGreaterThanOrEqual(4);
    expect(stored).toBeLessThan(12);
    expect(seen).toBeGreaterThanOrEqual(4);
    const b2 = new FakeBackend();
    const r = await runSweep(db, b2, spec);
    expect(r.simulated).toBe(12 - stored);
    expect(r.cachedRuns).toBe(stored);
    expect(db.prepare('SELECT COUNT(DISTINCT cache_key) FROM run').pluck().get()).toBe(12);
    expect(db.prepare('SELECT COUNT(*) FROM run').pluck().get()).toBe(12);
  });

  it('sequential mode adds seeds until the half-width is small enough, up to a max', async () => {
    const b = new FakeBackend();
    const r = await runSweep(db, b, { ...spec, seeds: 2, sequential: { metric: 'throughput_mbps', halfWidthPct: 1, maxSeeds: 10 } });
    for (const p of r.points) {
      const iv = p.metrics['throughput_mbps'];
      expect(iv).toBeDefined();
      if (p.converged) expect((iv?.halfWidth ?? Infinity) / (iv?.mean ?? 1)).toBeLessThanOrEqual(0.01);
      else expect(p.seeds).toHaveLength(10);
      expect(p.seeds.length).toBeGreaterThanOrEqual(2);
    }
    // A looser target stops earlier; the store serves everything again.
    const r2 = await runSweep(db, new FakeBackend(), { ...spec, seeds: 2, sequential: { metric: 'throughput_mbps', halfWidthPct: 50, maxSeeds: 10 } });
    expect(r2.simulated).toBe(0);
    expect(r2.points.every((p) => p.converged && p.seeds.length === 2)).toBe(true);
  });

  it('sequential mode gives the same seeds and intervals whatever the number of cores (the rule is applied seed by seed)', async () => {
    class Cores extends FakeBackend {
      constructor(private readonly n: number) {
        super();
      }
      override concurrency(): number {
        return this.n;
      }
    }
    const seqSpec = { ...spec, seeds: 2, sequential: { metric: 'throughput_mbps', halfWidthPct: 0.6, maxSeeds: 20 } };
    const results = [];
    for (const n of [1, 2, 16]) {
      const d = openStore(join(dir, `cores-${n}.db`));
      try {
        const r = await runSweep(d, new Cores(n), seqSpec);
        results.push(r.points.map((p) => ({ seeds: p.seeds, converged: p.converged, tput: p.metrics['throughput_mbps'] })));
      } finally {
        d.close();
      }
    }
    expect(results[0]?.some((p) => p.seeds.length > 2 && p.seeds.length < 20)).toBe(true); // the rule stopped somewhere in between
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });
});
