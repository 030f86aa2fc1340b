import { describe, expect, it } from 'vitest';
import type { CrossValidationOutcome } from '../../../core/contract/index.js';
import { crossValidationChart } from './cross-validation.js';

type C = CrossValidationOutcome['cells'][number];
const cell = (label: string, err: number, held: number | null, tol = 3): C => ({
  table: 'V',
  system: 'DA',
  metric: 'driver',
  label,
  paper: 1,
  simulated: 1 + err / 100,
  error_pct: err,
  tolerance_pct: tol,
  within_tolerance: Math.abs(err) <= tol,
  fold: held === null ? null : 'DA',
  held_out_simulated: held === null ? null : 1 + held / 100,
  held_out_error_pct: held,
  held_out_within: held === null ? null : Math.abs(held) <= tol,
});

const outcome: CrossValidationOutcome = {
  model_version: 'm',
  folds_by: 'systems',
  seeds: [1],
  rounds: 11,
  in_sample_groups: {},
  folds: [],
  cells: [cell('V Xen driver', 1, null), cell('V DA driver', 150, -6), cell('VI DA LRO rate', 0, 10, 5)],
  summary: { cells: 2, in_sample_within: 1, held_out_within: 0, in_sample_median_abs_pct: 75, held_out_median_abs_pct: 8 },
};

describe('cross-validation chart', () => {
  it('draws |error| ÷ tolerance of the held-out cells, in sample beside held out, on a log axis with the tolerance at 1', () => {
    const { data, layout } = crossValidationChart(outcome);
    const [ins, out] = data as { name: string; y: string[]; x: (number | null)[]; customdata: (number | null)[] }[];
    expect(ins?.name).toBe('in sample');
    expect(out?.name).toBe('held out');
    // cells no fold held out are not drawn
    expect(ins?.y).toEqual(['V DA driver', 'VI DA LRO rate']);
    expect(ins?.x).toEqual([50, 0.01]); // 150 % ÷ 3; 0 drawn at the floor of the log axis
    expect(out?.x).toEqual([2, 2]); // 6 % ÷ 3, 10 % ÷ 5 (the LRO rate's tolerance)
    expect(out?.customdata).toEqual([-6, 10]); // the signed error, for the hover and the Data CSV
    expect((layout.xaxis as { type: string }).type).toBe('log');
    expect((layout.shapes as { x0: number }[])[0]?.x0).toBe(1);
    expect(String((layout.title as { text: string }).text)).toMatch(/held out by system/);
  });
});
