import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, type Params } from '../params.js';
import { runSimulation } from '../run.js';
import type { RunRequest } from '../types.js';
import type { TargetTables } from '../compare-tables.js';
import { applyImplied, costValue, impliedCosts, measureUses, solveImplied, type UsesPerByte } from './implied.js';
import type { CostName } from '../model/accounting.js';

const SHORT: Params = { ...DEFAULT_PARAMS, duration_s: 0.05, warmup_s: 0.01 };
const runner = async (reqs: RunRequest[]) => reqs.map((r) => runSimulation(r));

/** Table V of `uses` priced at the costs `p` (what a model with those costs would print, open loop). */
function tableAt(uses: Partial<Record<'Linux' | 'Xen' | 'LRO' | 'BO' | 'DA', UsesPerByte>>, p: Params): Partial<TargetTables> {
  const sum = (u: Partial<Record<CostName, number>>): number => Object.entries(u).reduce((a, [k, n]) => a + (n as number) * costValue(p, k as CostName), 0);
  const t: Partial<TargetTables> = { cyclesPerByte: { driver: {}, guest: {}, total: {} } };
  for (const [s, u] of Object.entries(uses) as ['Xen' | 'LRO' | 'BO' | 'DA' | 'Linux', UsesPerByte][]) {
    if (s === 'Linux') t.cyclesPerByte!.total[s] = sum(u.dom0);
    else {
      t.cyclesPerByte!.driver[s] = sum(u.dom0);
      t.cyclesPerByte!.guest[s] = sum(u.guest);
      t.cyclesPerByte!.total[s] = sum(u.dom0) + sum(u.guest);
    }
  }
  return t;
}

describe('implied costs', () => {
  it('recovers a Table V made from known costs, and leaves costs no cell sees at their priors', async () => {
    const full: Partial<TargetTables> = { cyclesPerByte: { driver: { Xen: 1, LRO: 1, BO: 1 }, guest: { Xen: 1, LRO: 1, BO: 1 }, total: { Linux: 1 } } };
    const uses = await measureUses(SHORT, full, [1], runner);
    const truth: Params = { ...SHORT, k_user: 4, c_tcprx: 2800, c_br: 4500, m_align: 1.3, c_acktx: 1500 };
    const target = tableAt(uses, truth);
    const { cells, costs } = solveImplied(target, uses, SHORT);
    for (const c of cells) expect(Math.abs(c.error_implied_pct), `${c.system} ${c.metric}`).toBeLessThan(0.5);
    // At the priors the same cells are far off, so the fit did the work.
    expect(Math.max(...cells.map((c) => Math.abs(c.error_current_pct)))).toBeGreaterThan(10);
    for (const name of ['c_pirq', 'k_gcopy', 'c_dsw', 'c_evs'] as const) {
      const c = costs.find((x) => x.name === name)!;
      expect(c.constrained).toBe(false);
      expect(c.implied).toBeCloseTo(DEFAULT_PARAMS[name], 9);
    }
    // BO's extra copy cost is only explained by m_align: it must move towards the truth.
    const m = costs.find((x) => x.name === 'm_align')!;
    expect(m.implied).toBeGreaterThan(1.15);
  });

  it('a contradictory cell does not drag the others (robust loss)', async () => {
    const t: Partial<TargetTables> = { cyclesPerByte: { driver: { Xen: 1, LRO: 1 }, guest: { Xen: 1, LRO: 1 }, total: { Xen: 1 } } };
    const uses = await measureUses(SHORT, t, [1], runner);
    const target = tableAt(uses, { ...SHORT, k_user: 3.5, c_br: 4000 });
    // driver + guest = total, so no costs at all can give a total 40 % below the sum of the parts.
    target.cyclesPerByte!.total.Xen = (target.cyclesPerByte!.total.Xen as number) * 0.6;
    const { cells } = solveImplied(target, uses, SHORT);
    const xen = cells.filter((c) => c.system === 'Xen');
    expect(Math.max(...xen.map((c) => Math.abs(c.error_implied_pct)))).toBeGreaterThan(10);
    for (const c of cells.filter((x) => x.system === 'LRO')) expect(Math.abs(c.error_implied_pct), `${c.system} ${c.metric}`).toBeLessThan(3);
  });

  it('stage B moves only the costs the target sees, towards the target', async () => {
    const t: Partial<TargetTables> = { cyclesPerByte: { driver: { LRO: 1 }, guest: { LRO: 1 }, total: {} } };
    const uses = await measureUses(SHORT, t, [1], runner);
    const target = tableAt(uses, { ...SHORT, k_user: 3, c_br: 3500 });
    const { params, implied } = await applyImplied(SHORT, target, runner, [1]);
    for (const c of implied) {
      const v = params[c.name] as number;
      if (c.constrained) expect(v).toBe(c.implied);
      else expect(v).toBe(SHORT[c.name]);
    }
    expect(params.c_pirq).toBe(SHORT.c_pirq);
    expect(params.k_user).toBeGreaterThan(SHORT.k_user);
  });

  it('reports against the paper and refuses the attribution it cannot handle', async () => {
    const paper = { cyclesPerByte: { driver: { Xen: 14.5 }, guest: { Xen: 8.7 }, total: { Xen: 23.2 } } };
    const rep = await impliedCosts(paper, runner, [1], SHORT);
    expect(rep.cells.map((c) => c.metric)).toEqual(['driver', 'guest', 'total']);
    expect(rep.note).toMatch(/Open loop/);
    await expect(impliedCosts(paper, runner, [1], { ...SHORT, xen_cycles_in_domains: true })).rejects.toThrow(/xen_cycles_in_domains/);
  });
});
