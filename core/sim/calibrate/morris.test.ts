import { afterAll, describe, expect, it } from 'vitest';
import { PAPER } from '../../reference/paper.js';
import { Rng } from '../engine/rng.js';
import { destroyPool, runMany } from '../pool.js';
import { calibratedParams } from '../systems.js';
import type { RunRequest, RunResult } from '../types.js';
import { formatMorris, morris, summarize, trajectory } from './morris.js';

afterAll(async () => {
  await destroyPool();
});

describe('Morris design', () => {
  it('starts on the 4-level grid, visits every multiplier once and never leaves the grid', () => {
    const rng = new Rng(7);
    for (let t = 0; t < 50; t++) {
      const { start, order, up } = trajectory(6, rng);
      expect([...order].sort()).toEqual([0, 1, 2, 3, 4, 5]);
      start.forEach((u, i) => {
        expect([0, 1 / 3, 2 / 3, 1].some((g) => Math.abs(g - u) < 1e-12)).toBe(true);
        const next = u + (up[i] ? 2 / 3 : -2 / 3);
        expect(next).toBeGreaterThanOrEqual(-1e-12);
        expect(next).toBeLessThanOrEqual(1 + 1e-12);
      });
    }
  });

  it('summarizes effects as μ* = mean |e|, μ = mean e and the sample σ', () => {
    const s = summarize([0.5, -0.5, 1])!;
    expect(s.mu_star).toBeCloseTo(2 / 3, 12);
    expect(s.mu).toBeCloseTo(1 / 3, 12);
    expect(s.sigma).toBeCloseTo(Math.sqrt(((0.5 - 1 / 3) ** 2 + (-0.5 - 1 / 3) ** 2 + (1 - 1 / 3) ** 2) / 2), 12);
    expect(summarize([])).toBeNull();
  });
});

describe('Morris screening of the real model', () => {
  it('sees the TCP_RR client only in TCP_RR cells and m_align only in BO, over ×/÷2', async () => {
    const base = { ...calibratedParams(), duration_s: 0.06, warmup_s: 0.02 };
    const runner = (reqs: RunRequest[]): Promise<RunResult[]> => runMany<RunRequest, RunResult>('sim', reqs);
    const rep = await morris(PAPER, runner, { seeds: [1], trajectories: 3, knobs: ['l_ext_us', 'm_align'], base });
    expect(rep.cells).toHaveLength(25);
    for (const c of rep.cells) {
      // three trajectories: three effects each, all from simulated values
      expect(c.effects.l_ext_us?.n, c.label).toBe(3);
      if (c.metric !== 'rr_transactions_per_s') expect(c.effects.l_ext_us?.mu_star, c.label).toBe(0);
      if (c.system !== 'BO') expect(c.effects.m_align?.mu_star, c.label).toBe(0);
    }
    for (const c of rep.cells.filter((x) => x.metric === 'rr_transactions_per_s')) {
      const e = c.effects.l_ext_us!;
      expect(e.mu, c.label).toBeLessThan(-0.5);
      expect(e.mu_star, c.label).toBeCloseTo(-e.mu, 12); // always the same sign
    }
    expect(rep.cells.find((c) => c.label === 'V BO guest')!.effects.m_align!.mu_star).toBeGreaterThan(0.2);
    expect(formatMorris(rep)).toMatch(/^VII Linux TCP_RR .*0\.\d\d\s*$/m);
  });
});
