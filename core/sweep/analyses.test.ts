/** Trade-off verdicts, consolidation fallback and the Slurm writer/collector, on a fake simulator. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../store/db.js';
import { runSweep } from './engine.js';
import { formatConsolidation, runConsolidation } from './consolidation.js';
import { hasParameterSetTable, listParameterSets, saveParameterSet } from './paramsets.js';
import { collect, findRunResult, runArgs, writeSlurmSweep } from './slurm.js';
import { defaultPolicies, runTradeoff, type TradeoffSpec } from './tradeoff.js';
import type { SimBackend, SimRequest, SimResultLike, SweepSpec } from './types.js';
import { useTempDb } from '../store/temp-db.js';

/** Fake model: every-k trades latency for throughput; adaptive gets k=8's throughput at low load with little latency. */
class Fake implements SimBackend {
  runs = 0;
  modelVersion(): string {
    return 'fake-2';
  }
  resolve(r: SimRequest): Record<string, unknown> {
    return { system: r.system, flush_policy: 'every-k', flush_every_polls: 1, flush_timeout_us: 50, link_mbps: 1000, guests: 0, ...r.set };
  }
  concurrency(): number {
    return 2;
  }
  async run(reqs: SimRequest[]): Promise<SimResultLike[]> {
    this.runs += reqs.length;
    return reqs.map((r) => {
      const p = this.resolve(r);
      const k = Number(p['flush_every_polls']);
      const load = Number(p['link_mbps']) / 1000;
      const noise = (r.seed % 3) * 0.01;
      let thr = 500 + 30 * Math.min(k, 8);
      let lat = 1 + 20 * (k - 1);
      if (p['flush_policy'] === 'timeout') {
        thr = 500 + Number(p['flush_timeout_us']);
        lat = Number(p['flush_timeout_us']);
      }
      if (p['flush_policy'] === 'adaptive') {
        thr = 500 + 30 * 8;
        lat = load < 0.6 ? 0.5 : Number(p['flush_timeout_us']);
      }
      const guests = Number(p['guests']);
      return {
        model_version: 'fake-2',
        parameters: p,
        throughput_mbps: thr * load + noise,
        flush_latency_us: { mean: lat + noise, p50: lat, p99: lat },
        cpu_busy_share: { dom0: 0.3, guest: 0.7 / (1 + guests), xen: 0, other_guests: (0.7 * guests) / (1 + guests), idle: 0 },
      };
    });
  }
}

let dir: string;
let db: Db;
useTempDb('rxlab-sweep-an-', (d, x) => {
  dir = d;
  db = x;
});

describe('flush-policy trade-off', () => {
  it('finds the load where adaptive dominates every fixed k, and explains the others', async () => {
    const spec: TradeoffSpec = {
      system: 'LRO',
      workload: 'stream',
      set: {},
      loads: [
        { label: 'low', set: { link_mbps: 500 } },
        { label: 'high', set: { link_mbps: 1000 } },
      ],
      seeds: 3,
      policies: defaultPolicies(),
      throughputMetric: 'throughput_mbps',
      latencyMetric: 'flush_latency_us.mean',
    };
    const b = new Fake();
    const r = await runTradeoff(db, b, spec);
    expect(r.points).toHaveLength(2 * 16);
    expect(r.simulated).toBe(2 * 16 * 3);
    expect(r.adaptiveWinsAt).toEqual(['low']);
    expect(r.note).toMatch(/^Yes/);
    const high = r.verdicts.filter((v) => v.load === 'high');
    expect(high.every((v) => !v.beatsEveryK)).toBe(true);
    const again = await runTradeoff(db, new Fake(), spec);
    expect(again.simulated).toBe(0);
    expect(again.adaptiveWinsAt).toEqual(['low']);
  });
});

describe('consolidation', () => {
  it('falls back to CPU-share fairness and says what the model lacks', async () => {
    const r = await runConsolidation(db, new Fake(), { system: 'LRO', set: {}, guests: [0, 1, 3], seeds: 2 });
    expect(r.levels.map((l) => l.guests)).toEqual([0, 1, 3]);
    expect(r.levels[0]?.fairness.mean).toBeCloseTo(1, 12);
    expect(r.levels[2]?.perGuest).toHaveLength(4);
    expect(r.levels[2]?.fairnessOver).toBe('cpu-share');
    expect(r.levels[2]?.fairness.mean).toBeCloseTo(1, 9); // equal split in the fake
    expect(r.missing.join(' ')).toMatch(/per_guest/);
  });
  it('one seed prints no interval, not a ± 0.0 that reads as no spread', async () => {
    const r = await runConsolidation(db, new Fake(), { system: 'LRO', set: {}, guests: [0, 1], seeds: 1 });
    const text = formatConsolidation(r);
    expect(text).toMatch(/\d\.\d \(n=1\)/);
    expect(text).not.toMatch(/± 0\.0/);
  });
});

describe('Slurm writer and collector (no cluster)', () => {
  const spec: SweepSpec = { system: 'LRO', workload: 'stream', set: { duration_s: 0.05 }, vary: [{ key: 'flush_every_polls', values: [1, 2, 3] }], seeds: 2 };
  it('writes a job array over the manifest and collects finished points once, skipping partial files', async () => {
    const b = new Fake();
    const out = join(dir, 'slurm');
    const { script, manifest } = writeSlurmSweep(b, spec, out, { node: '/usr/bin/node' });
    const text = readFileSync(script, 'utf8');
    expect(text).toContain('#SBATCH --array=0-5');
    expect(text).toContain('bin/rxlab.js');
    expect(text).toMatch(/points\/\$I\.json\.part/);
    const tasks = readFileSync(join(out, 'tasks.tsv'), 'utf8').trim().split('\n');
    expect(tasks).toHaveLength(6);
    expect(tasks[1]?.split('\t')).toEqual(runArgs({ system: 'LRO', set: { duration_s: 0.05, flush_every_polls: 1 }, seed: 2, workload: 'stream' }));
    expect(manifest.points[5]).toMatchObject({ index: 5, seed: 2, values: { flush_every_polls: 3 } });

    // Finished tasks write what `rxlab run --json` prints; simulate 4 of 6, one of them half-written.
    const results = await b.run(manifest.points.map((p) => p));
    mkdirSync(join(out, 'points'), { recursive: true });
    for (const i of [0, 1, 2]) writeFileSync(join(out, 'points', `${i}.json`), JSON.stringify(results[i]));
    writeFileSync(join(out, 'points', '3.json'), JSON.stringify(results[3]).slice(0, 40));
    writeFileSync(join(out, 'points', '4.json.part'), '{');
    const warnings: string[] = [];
    const c1 = collect(db, out, (m) => warnings.push(m));
    expect(c1).toMatchObject({ total: 6, imported: 3, alreadyStored: 0, missing: [4, 5] });
    expect(c1.invalid.map((x) => x.index)).toEqual([3]);
    expect(warnings.some((w) => w.includes('3.json: ignored'))).toBe(true);

    // The rest arrive (wrapped, as a stored-run list would be); a second collect imports only them.
    writeFileSync(join(out, 'points', '3.json'), JSON.stringify(results[3]));
    writeFileSync(join(out, 'points', '4.json'), JSON.stringify({ runs: [{ id: 9, detail: results[4] }] }));
    writeFileSync(join(out, 'points', '5.json'), JSON.stringify([results[5]]));
    const c2 = collect(db, out);
    expect(c2).toMatchObject({ imported: 3, alreadyStored: 3, missing: [], invalid: [] });
    expect(collect(db, out).imported).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM run').pluck().get()).toBe(6);
    // Collected points are the sweep's points: a local run of the same sweep simulates nothing.
    const local = await runSweep(db, new Fake(), spec);
    expect(local.simulated).toBe(0);
    expect(c2.points.map((p) => p.metrics['throughput_mbps'])).toEqual(local.points.map((p) => p.metrics['throughput_mbps']));
  });

  it('finds a RunResult inside wrappers and rejects other JSON', () => {
    expect(findRunResult({ model_version: 'x', parameters: {} })).toBeDefined();
    expect(findRunResult({ result: [{ model_version: 'x', parameters: { a: 1 } }] })).toBeDefined();
    expect(findRunResult({ error: 'boom' })).toBeUndefined();
    expect(findRunResult([1, 2])).toBeUndefined();
  });

  it('refuses sequential mode and tabs in knob values', () => {
    expect(() => writeSlurmSweep(new Fake(), { ...spec, sequential: { metric: 'throughput_mbps', halfWidthPct: 5, maxSeeds: 5 } }, join(dir, 's2'))).toThrow(/sequential/);
    expect(() => runArgs({ system: 'LRO', set: { x: 'a\tb' }, seed: 1, workload: 'stream' })).toThrow(/tab/);
  });
});

describe('parameter sets', () => {
  it('live in the parameter_set table (migration 0002); without it reads are empty and saving says why', () => {
    expect(hasParameterSetTable(db)).toBe(true);
    db.exec('DROP TABLE parameter_set');
    expect(hasParameterSetTable(db)).toBe(false);
    expect(listParameterSets(db)).toEqual([]);
    expect(() => saveParameterSet(db, { name: 'mine', params: { c_hirq: 3000 }, modelVersion: 'm' })).toThrow(/parameter_set/);
    db.exec(`CREATE TABLE parameter_set (name TEXT PRIMARY KEY, params TEXT NOT NULL CHECK (json_valid(params)),
      report TEXT CHECK (report IS NULL OR json_valid(report)), model_version TEXT NOT NULL, created_at TEXT NOT NULL)`);
    saveParameterSet(db, { name: 'mine', params: { c_hirq: 3000 }, report: { rms: 0.1 }, modelVersion: 'm' });
    expect(() => saveParameterSet(db, { name: 'mine', params: {}, modelVersion: 'm' })).toThrow(/exists/);
    expect(listParameterSets(db)).toMatchObject([{ name: 'mine', params: { c_hirq: 3000 }, report: { rms: 0.1 } }]);
  });
});
