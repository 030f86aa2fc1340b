import { describe, expect, it } from 'vitest';
import type { MorrisOutcome, SensitivityOutcome } from '../../../core/contract/index.js';
import { fmtMultipliers, morrisHeatmap, sensitivityHeatmap } from './sensitivity.js';

const cell = (label: string, inside: boolean, elasticity: Record<string, number | null>): SensitivityOutcome['cells'][number] => ({
  table: 'V',
  system: 'DA',
  metric: 'driver',
  label,
  paper: 3.3,
  simulated: 7.7,
  error_pct: inside ? 1 : 134,
  tolerance_pct: 3,
  within_tolerance: inside,
  elasticity,
});

const outcome: SensitivityOutcome = {
  method: 'local',
  model_version: 'm',
  seeds: [1, 2, 3],
  step: 0.1,
  knobs: ['stack', 'pirq'],
  within_tolerance: 1,
  cells: [cell('V Xen driver', true, { stack: 0.75, pirq: -0.01 }), cell('V DA driver', false, { stack: 0.53, pirq: null })],
  closures: [],
  target: 'the paper',
  notes: [],
};

describe('sensitivity heatmap', () => {
  it('has a row per cell (misfits marked), a column per knob, blanks for tiny values and a range symmetric around 0', () => {
    const { data, layout } = sensitivityHeatmap(outcome);
    const h = data[0] as { x: string[]; y: string[]; z: (number | null)[][]; text: string[][]; zmin: number; zmax: number };
    expect(h.x).toEqual(['stack', 'pirq']);
    expect(h.y).toEqual(['V Xen driver', 'V DA driver ✗']);
    expect(h.z).toEqual([
      [0.75, -0.01],
      [0.53, null],
    ]);
    expect(h.text).toEqual([
      ['0.75', ''],
      ['0.53', '·'],
    ]);
    expect(h.zmin).toBe(-0.75);
    expect(h.zmax).toBe(0.75);
    expect((layout.title as { text: string }).text).toContain('against the paper');
  });

  it('names the largest multiplier changes first and counts the rest', () => {
    expect(fmtMultipliers({ a: 1.1, b: 0.2, c: 1.001, d: 3, e: 0.9 })).toBe('b ×0.20, d ×3.00, e ×0.90 +1 more');
    expect(fmtMultipliers({ a: 1.001 })).toBe('(none)');
    expect(fmtMultipliers({ a: 1900 }, 1)).toBe('a ×1.9e+3');
  });
});

describe('Morris heatmap', () => {
  it('colours by the signed mean effect, prints μ* and marks effects that vary as much as they are large', () => {
    const base = outcome.cells[0]!;
    const m: MorrisOutcome = {
      method: 'morris',
      model_version: 'm',
      seeds: [1],
      trajectories: 8,
      range: 2,
      knobs: ['stack', 'sender'],
      cells: [
        { ...base, effects: { stack: { mu_star: 0.6, mu: 0.6, sigma: 0.1, n: 8 }, sender: { mu_star: 0.2, mu: -0.05, sigma: 0.3, n: 8 } } },
        { ...base, label: 'V DA driver', within_tolerance: false, effects: { stack: { mu_star: 0.01, mu: 0, sigma: 0, n: 8 }, sender: null } },
      ],
      target: 'the paper',
      notes: [],
    };
    const h = morrisHeatmap(m).data[0] as { z: (number | null)[][]; text: string[][]; y: string[]; zmax: number };
    expect(h.z).toEqual([
      [0.6, -0.05],
      [0, null],
    ]);
    expect(h.text).toEqual([
      ['0.60', '0.20~'],
      ['', '·'],
    ]);
    expect(h.y).toEqual(['V Xen driver', 'V DA driver ✗']);
    expect(h.zmax).toBe(0.6);
    const t = morrisHeatmap(m).data[0] as { customdata: (number[] | null)[][]; meta: { csvColumns: string[] } };
    expect(t.meta.csvColumns).toEqual(['mu_star', 'mu', 'sigma', 'n']);
    expect(t.customdata[0]?.[1]).toEqual([0.2, -0.05, 0.3, 8]);
    expect(t.customdata[1]?.[1]).toBeNull();
  });
});
