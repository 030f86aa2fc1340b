import { afterAll, describe, expect, it } from 'vitest';
import { PAPER } from '../../reference/paper.js';
import { compareCells, targetCells } from '../compare-tables.js';
import { DEFAULT_PARAMS } from '../params.js';
import { destroyPool, runMany } from '../pool.js';
import type { RunRequest, RunResult } from '../types.js';
import { crossValidate, foldsFor, formatCrossValidation, groupScales, isHeldOut, parseHoldout, withoutHeldOut } from './holdout.js';
import { cellLabel } from './sensitivity.js';

afterAll(async () => {
  await destroyPool();
});

const ALL = compareCells(PAPER, {});

describe('hold-out folds', () => {
  it('leave-one-system-out and leave-one-table-out folds each split the 25 cells exactly once', () => {
    for (const kind of ['systems', 'tables'] as const) {
      const folds = foldsFor(kind);
      for (const c of ALL) expect(folds.filter((f) => isHeldOut(f, c)).length).toBe(1);
    }
    expect(foldsFor('systems').map((f) => f.name)).toEqual(['Linux', 'Xen', 'LRO', 'BO', 'DA']);
    expect(ALL.filter((c) => isHeldOut(foldsFor('systems')[0]!, c)).map(cellLabel)).toEqual(['IV Linux Mbit/s', 'V Linux total', 'VII Linux TCP_RR']);
  });

  it('a fit target without the fold keeps every other cell and its value', () => {
    const fold = parseHoldout('DA');
    const rest = targetCells(withoutHeldOut(PAPER, fold));
    expect(rest).toHaveLength(19);
    expect(rest.some((c) => c.system === 'DA')).toBe(false);
    expect(rest).toEqual(targetCells(PAPER).filter((c) => c.system !== 'DA'));
    // Table V's null Linux entries stay out (they are not cells).
    expect(targetCells(withoutHeldOut(PAPER, parseHoldout('VI'))).filter((c) => c.table === 'V')).toHaveLength(13);
  });

  it('parses systems, tables and TABLE:SYSTEM cells, in any case, and refuses what the paper lacks', () => {
    const f = parseHoldout('v:da, VII ,lro');
    expect(f.selectors).toEqual([{ table: 'V', system: 'DA' }, { table: 'VII' }, { system: 'LRO' }]);
    expect(ALL.filter((c) => isHeldOut(f, c)).map(cellLabel)).toEqual([
      'IV LRO Mbit/s',
      'V LRO driver',
      'V DA driver',
      'V LRO guest',
      'V DA guest',
      'V LRO total',
      'V DA total',
      'VI LRO LRO rate',
      'VII Linux TCP_RR',
      'VII Xen TCP_RR',
      'VII LRO TCP_RR',
      'VII BO TCP_RR',
      'VII DA TCP_RR',
    ]);
    expect(() => parseHoldout('Solaris')).toThrow(/"Solaris" is not a system/);
    expect(() => parseHoldout('VIII')).toThrow(/is not a system/);
    expect(() => parseHoldout('DA:V')).toThrow(/TABLE:SYSTEM/);
    expect(() => parseHoldout('VI:Xen')).toThrow(/the paper has no such cells/);
    expect(() => parseHoldout(' , ')).toThrow(/name a system/);
  });

  it('cost-group scales are × prior: the priors are all 1, a doubled group is 2', () => {
    for (const v of Object.values(groupScales(DEFAULT_PARAMS))) expect(v).toBeCloseTo(1, 12);
    const g = groupScales({ ...DEFAULT_PARAMS, c_pirq: DEFAULT_PARAMS.c_pirq * 2, l_ext_us: DEFAULT_PARAMS.l_ext_us / 2 });
    expect(g.pirq).toBeCloseTo(2, 12);
    expect(g.l_ext_us).toBeCloseTo(0.5, 12);
    expect(g.stack).toBeCloseTo(1, 12);
  });
});

describe('cross-validation on the real model', () => {
  it('never runs the held-out system while fitting, then predicts its cells beside the in-sample ones', async () => {
    const asked: RunRequest[] = [];
    const runner = (reqs: RunRequest[]): Promise<RunResult[]> => {
      asked.push(...reqs);
      return runMany<RunRequest, RunResult>('sim', reqs);
    };
    const progress: string[] = [];
    const rep = await crossValidate([parseHoldout('DA')], runner, {
      rounds: 11,
      seeds: [1],
      onProgress: (fold, of, name, evals, budget) => progress.push(`${fold}/${of} ${name} ${evals}/${budget}`),
    }, 'DA');
    // The fit (stage B on seeds 11–12, stage C on 11–14) never asks for DA: only the evaluation,
    // on the evaluation seed, does (once for the committed set, once for the fold's fit).
    const da = asked.filter((r) => r.system === 'DA');
    expect(da.length).toBe(4);
    expect(new Set(da.map((r) => r.seed))).toEqual(new Set([1]));
    expect(asked.some((r) => r.system !== 'DA' && r.seed === 11)).toBe(true);
    expect(progress.at(-1)).toBe('1/1 DA 11/11');
    expect(rep.folds).toHaveLength(1);
    expect(rep.folds[0]!.held_out.map((c) => c.label)).toEqual(['IV DA Mbit/s', 'V DA driver', 'V DA guest', 'V DA total', 'VI DA LRO rate', 'VII DA TCP_RR']);
    expect(rep.folds[0]!.fitted_cells).toBe(19);
    expect(rep.folds[0]!.fitted_misfits).toHaveLength(19 - rep.folds[0]!.fitted_within);
    expect(rep.folds[0]!.fitted_misfits.some((l) => l.includes('DA'))).toBe(false);
    expect(rep.cells).toHaveLength(25);
    for (const c of rep.cells) {
      if (c.system === 'DA') {
        expect(c.fold).toBe('DA');
        expect(c.held_out_simulated).not.toBeNull();
      } else expect(c.held_out_simulated).toBeNull();
    }
    // The fold's fit differs from the committed calibration, so its DA prediction does too.
    const daRate = rep.cells.find((c) => c.system === 'DA' && c.metric === 'lro_rate')!;
    expect(daRate.held_out_simulated).not.toBe(daRate.simulated);
    const s = rep.summary;
    expect(s.cells).toBe(6);
    expect(s.in_sample_within).toBe(rep.cells.filter((c) => c.system === 'DA' && c.within_tolerance).length);
    const text = formatCrossValidation(rep);
    expect(text).toMatch(/^rxlab calibrate --holdout DA/);
    expect(text).toMatch(/^V DA driver .* DA$/m);
    expect(text).toMatch(/^without DA +\d+\/19 /m);
    expect(text).toMatch(/Held-out cells within tolerance: \d of 6 \(in sample \d of 6\)/);
    expect(text).toMatch(/^ {2}without DA: (none|[IV]+ \w+ .*)$/m);
  }, 120_000);
});
