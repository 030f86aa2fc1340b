import { afterAll, describe, expect, it } from 'vitest';
import { PAPER } from '../../reference/paper.js';
import type { Cell } from '../compare-tables.js';
import { destroyPool, runMany } from '../pool.js';
import { calibratedParams } from '../systems.js';
import type { RunRequest, RunResult } from '../types.js';
import { elasticity, jointMove, MAX_MULTIPLIER, predictErrors, sensitivity, singleLever, type SensitivityCell } from './sensitivity.js';

afterAll(async () => {
  await destroyPool();
});

/** A cell `err_pct` off the paper with the given elasticities. */
function cell(metric: Cell['metric'], errPct: number, e: Record<string, number>): SensitivityCell {
  const paper = 100;
  const simulated = paper * (1 + errPct / 100);
  return {
    table: 'IV',
    system: 'Xen',
    metric,
    paper,
    simulated,
    error_pct: errPct,
    tolerance_pct: 3,
    within_tolerance: Math.abs(errPct) <= 3,
    label: metric,
    elasticity: e,
  };
}

describe('sensitivity arithmetic', () => {
  it('recovers the exponent of a power law from a log-symmetric central difference', () => {
    const y = (m: number): number => 7 * m ** -0.8;
    expect(elasticity(y(1.1), y(1 / 1.1), 0.1)).toBeCloseTo(-0.8, 12);
    expect(elasticity(5, 5, 0.1)).toBe(0);
    expect(elasticity(null, 5, 0.1)).toBeNull();
    expect(elasticity(0, 5, 0.1)).toBeNull();
  });

  it('the single lever closes the cell with the smallest change when several can', () => {
    const cells = [cell('throughput_mbps', -10, { a: 0.2, b: 1.0 }), cell('total', 0, { a: 1, b: 0 })];
    const lever = singleLever(cells, ['a', 'b'], 0)!;
    expect(lever.knob).toBe('b');
    expect(Math.exp(lever.dx[1]!)).toBeCloseTo(1 / 0.9, 9);
    expect(predictErrors(cells, ['a', 'b'], lever.dx)[0]).toBeCloseTo(0, 9);
    // A cell no knob moves has no lever.
    expect(singleLever([cell('total', 10, { a: 0.001 })], ['a'], 0)).toBeNull();
  });

  it('the single lever stays within ×/÷3 and then picks the knob that gets closest', () => {
    // −50 %: `a` (0.2) would need ×32, `b` (0.5) ×4; within ×3, `b` gets closer.
    const cells = [cell('throughput_mbps', -50, { a: 0.2, b: 0.5 })];
    const lever = singleLever(cells, ['a', 'b'], 0)!;
    expect(lever.knob).toBe('b');
    expect(Math.exp(lever.dx[1]!)).toBeCloseTo(MAX_MULTIPLIER, 9);
    expect(predictErrors(cells, ['a', 'b'], lever.dx)[0]).toBeCloseTo((0.5 * 3 ** 0.5 - 1) * 100, 6);
  });

  it('the joint move closes the cell along the knob the other cells do not see', () => {
    // Cell 0 is moved by both knobs, cell 1 only by `a`: holding cell 1 means moving `b` alone.
    const cells = [cell('throughput_mbps', -10, { a: 1, b: 0.5 }), cell('total', 0, { a: 1, b: 0 })];
    const dx = jointMove(cells, ['a', 'b'], 0)!;
    const pred = predictErrors(cells, ['a', 'b'], dx);
    expect(pred[0]).toBeCloseTo(0, 2);
    expect(Math.abs(pred[1]!)).toBeLessThan(0.1);
    expect(Math.abs(dx[1]!)).toBeGreaterThan(10 * Math.abs(dx[0]!));
  });

  it('keeps every multiplier within ×/÷3 even when the cell then stays short of the paper', () => {
    // Closing −60 % with elasticity 0.5 needs ×6.25: beyond the bound.
    const cells = [cell('throughput_mbps', -60, { a: 0.5 }), cell('total', 0, { b: 1 })];
    const dx = jointMove(cells, ['a', 'b'], 0)!;
    for (const v of dx) expect(Math.abs(v)).toBeLessThanOrEqual(Math.log(MAX_MULTIPLIER) + 1e-12);
    const pred = predictErrors(cells, ['a', 'b'], dx)[0]!;
    expect(pred).toBeGreaterThan(-60);
    expect(pred).toBeLessThan(-25);
  });
});

describe('sensitivity of the real model', () => {
  it('finds that streaming ignores the TCP_RR client and only BO reads m_align, and checks a closure by simulation', async () => {
    const base = { ...calibratedParams(), duration_s: 0.06, warmup_s: 0.02 };
    const runner = (reqs: RunRequest[]): Promise<RunResult[]> => runMany<RunRequest, RunResult>('sim', reqs);
    const rep = await sensitivity(PAPER, runner, { seeds: [1], knobs: ['l_ext_us', 'm_align'], base });
    expect(rep.cells).toHaveLength(25);
    for (const c of rep.cells) {
      // Runs that never read a knob are byte-identical, so the elasticity is exactly 0.
      if (c.metric !== 'rr_transactions_per_s') expect(c.elasticity.l_ext_us, c.label).toBe(0);
      if (c.system !== 'BO') expect(c.elasticity.m_align, c.label).toBe(0);
    }
    for (const c of rep.cells.filter((x) => x.metric === 'rr_transactions_per_s')) {
      // transactions/s = 1 / (l_ext + path): the client is most, not all, of the round trip.
      expect(c.elasticity.l_ext_us, c.label).toBeLessThan(-0.6);
      expect(c.elasticity.l_ext_us, c.label).toBeGreaterThan(-0.97);
    }
    expect(rep.cells.find((c) => c.label === 'V BO guest')!.elasticity.m_align).toBeGreaterThan(0.3);
    // Linux TCP_RR is a misfit; its lever is a faster client, and the simulated move closes it.
    const rr = rep.closures.find((c) => c.cell === 'VII Linux TCP_RR')!;
    expect(rr.single!.knob).toBe('l_ext_us');
    expect(rr.single!.multipliers.l_ext_us).toBeLessThan(1);
    expect(Math.abs(rr.single!.simulated.target_error_pct!)).toBeLessThan(3);
    // … at the price of the Xen-based systems' TCP_RR, which share the client.
    expect(rr.single!.simulated.newly_outside).toContain('VII Xen TCP_RR');
  });
});
