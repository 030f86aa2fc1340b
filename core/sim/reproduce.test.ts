/**
 * The reproduction as an integration test. Cells the calibrated model fits are asserted within
 * tolerance; cells it cannot reach are asserted to be REPORTED as misfits (so an honest misfit is
 * documented, and an accidental change in either direction fails here). The published findings'
 * directions are asserted directly from the numbers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRoot } from '../paths.js';
import { reproduce, type ReproduceResult } from './reproduce.js';
import { reproduceMarkdown } from './reproduce-markdown.js';
import { runSimulation } from './run.js';
import type { RunRequest, RunResult } from './types.js';

const inProcess = async (reqs: RunRequest[]): Promise<RunResult[]> => reqs.map((r) => runSimulation(r));

/** "table system metric" of cells the calibrated model reaches (±3 %, LRO rate ±5 %). */
const EXPECTED_FIT: readonly string[] = [
  'IV Linux throughput_mbps',
  'IV Xen throughput_mbps',
  'IV LRO throughput_mbps',
  'IV BO throughput_mbps',
  'IV DA throughput_mbps',
  'V Xen driver',
  'V LRO driver',
  'V BO driver',
  'V Xen guest',
  'V LRO guest',
  'V BO guest',
  'V DA guest',
  'V Linux total',
  'V Xen total',
  'V LRO total',
  'V BO total',
  'VI DA lro_rate',
  'VII Xen rr_transactions_per_s',
  'VII LRO rr_transactions_per_s',
  'VII BO rr_transactions_per_s',
  'VII DA rr_transactions_per_s',
];
/**
 * Cells outside tolerance (calibration round 7, after the window-edge accounting fixes: stage B implied
 * domain costs + stage C CMA-ES over the groups; DA throughput is inside at −2.7 %, though DA stays
 * CPU-bound because its driver domain cannot shed the work the testbed's did), DA driver 2.3× too high
 * (model-notes §1.3: no per-flush saving reaches 3.3) and with it the DA total, the LRO rate of LRO
 * low (dom0 finds about two frames per poll), Linux RR ~10 % low (the Xen path adds too little
 * latency relative to Linux in dom0).
 */
const EXPECTED_MISFIT: readonly string[] = [
  'V DA driver',
  'V DA total',
  'VI LRO lro_rate',
  'VII Linux rr_transactions_per_s',
];

let cached: ReproduceResult | undefined;
async function result(): Promise<ReproduceResult> {
  // Same seeds as the CLI default, so this is exactly what `rxlab reproduce` prints.
  cached ??= await reproduce(3, inProcess);
  return cached;
}

describe('rxlab reproduce (3 seeds, in-process)', () => {
  it('reports every cell of Tables IV–VII with its error', async () => {
    const r = await result();
    expect(r.cells).toHaveLength(25);
    for (const c of r.cells) expect(c.error_pct).not.toBeNull();
  }, 60_000);

  it('fits the cells it fits and lists the others as misfits', async () => {
    const r = await result();
    const key = (c: { table: string; system: string; metric: string }): string => `${c.table} ${c.system} ${c.metric}`;
    const byKey = new Map(r.cells.map((c) => [key(c), c]));
    for (const k of EXPECTED_FIT) expect(byKey.get(k)?.within_tolerance, k).toBe(true);
    for (const k of EXPECTED_MISFIT) {
      expect(byKey.get(k)?.within_tolerance, k).toBe(false);
      const [table, system, metric] = k.split(' ');
      expect(r.misfits.some((m) => m.startsWith(`Table ${table} ${system} ${metric}:`)), k).toBe(true);
    }
    expect(EXPECTED_FIT.length + EXPECTED_MISFIT.length).toBe(r.cells.length);
  }, 60_000);

  it('published findings: the directions the model reproduces', async () => {
    const { systems: s } = await result();
    expect(s.Xen.throughput_mbps).toBeLessThan(s.Linux.throughput_mbps);
    const lroGain = s.LRO.throughput_mbps / s.Xen.throughput_mbps - 1;
    expect(lroGain).toBeGreaterThan(0.03);
    expect(lroGain).toBeLessThan(0.13);
    expect(Math.abs(s.BO.throughput_mbps / s.LRO.throughput_mbps - 1)).toBeLessThan(0.05);
    expect(s.BO.cycles_per_byte.guest ?? 0).toBeGreaterThan(s.LRO.cycles_per_byte.guest ?? Infinity);
    expect(s.BO.cycles_per_byte.driver ?? Infinity).toBeLessThan(s.LRO.cycles_per_byte.driver ?? 0);
    expect(s.DA.lro_rate ?? 0).toBeGreaterThan(1.6 * (s.LRO.lro_rate ?? Infinity));
    expect(s.DA.cycles_per_byte.driver ?? Infinity).toBeLessThan(0.8 * (s.Xen.cycles_per_byte.driver ?? 0));
    expect(s.DA.cycles_per_byte.guest ?? Infinity).toBeLessThan(0.75 * (s.Xen.cycles_per_byte.guest ?? 0));
    expect(s.DA.throughput_mbps).toBeGreaterThan(s.LRO.throughput_mbps);
    // DA slightly above Linux (by about 1 %, the paper 3.7 %), although the model's DA keeps about
    // twice the testbed's driver-domain work (the DA driver misfit) and is CPU-bound.
    expect(s.DA.throughput_mbps).toBeGreaterThan(s.Linux.throughput_mbps);
    expect(s.DA.throughput_mbps).toBeLessThan(1.1 * s.Linux.throughput_mbps);
    expect(s.DA.flush_latency_us?.mean ?? 0).toBeGreaterThan(s.LRO.flush_latency_us?.mean ?? Infinity);
    const rr = [s.Xen, s.LRO, s.BO, s.DA].map((x) => x.rr_transactions_per_s / s.Linux.rr_transactions_per_s);
    for (const ratio of rr) {
      expect(ratio).toBeGreaterThan(0.78);
      expect(ratio).toBeLessThan(0.95);
    }
    expect(Math.max(...rr) / Math.min(...rr) - 1).toBeLessThan(0.03);
  }, 60_000);

  it('reports which published findings hold (two fail on a clause today: the DA driver ratio, the RR gap of 6 % instead of 17 %)', async () => {
    const r = await result();
    expect(r.findings.map((f) => f.holds)).toEqual([true, true, false, false, true]);
  }, 60_000);

  it('the README quotes exactly this reproduction (regenerate with `rxlab reproduce --markdown`)', async () => {
    const block = reproduceMarkdown(await result());
    const readme = readFileSync(join(appRoot(), 'README.md'), 'utf8');
    const start = readme.indexOf('Model `rxsim');
    expect(start, 'README has a reproduction block').toBeGreaterThan(0);
    expect(readme.slice(start, start + block.length)).toBe(block);
  }, 60_000);
});
