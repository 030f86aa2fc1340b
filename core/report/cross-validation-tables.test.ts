import { describe, expect, it } from 'vitest';
import { crossValidationTables } from './cross-validation-tables.js';

const cell = (label: string, err: number, inside: boolean, held: number | null, fold: string | null): Record<string, unknown> => ({
  label,
  paper: 3.3,
  simulated: 7.73,
  error_pct: err,
  within_tolerance: inside,
  held_out_simulated: held === null ? null : 3.3 * (1 + held / 100),
  held_out_error_pct: held,
  held_out_within: held === null ? null : Math.abs(held) <= 3,
  fold,
});

describe('cross-validation tables in the report', () => {
  it('gives each cell in sample beside held out, then the cost groups of every fit', () => {
    const [cells, groups, ...rest] = crossValidationTables('c1', {
      model_version: 'm1',
      folds_by: 'systems',
      seeds: [1, 2, 3],
      rounds: 1452,
      in_sample_groups: { stack: 1.0234, pirq: 13.94 },
      folds: [{ fold: 'DA', fitted_within: 15, fitted_cells: 19, fitted_misfits: ['IV Linux Mbit/s', 'VII Linux TCP_RR'], groups: { stack: 0.9, pirq: 9.7 } }],
      cells: [cell('V Xen driver', 1.9, true, null, null), cell('V DA driver', 134.2, false, 161.8, 'DA'), cell('IV DA Mbit/s', -3.6, false, 2.6, 'DA')],
      summary: { cells: 2, in_sample_within: 0, held_out_within: 1, in_sample_median_abs_pct: 68.9, held_out_median_abs_pct: 82.2 },
    });
    expect(rest).toEqual([]);
    expect(cells?.title).toMatch(/predicted by a fit without its system \(held out\); 1 fits of 1452 evaluations, seeds 1, 2, 3$/);
    expect(cells?.columns).toEqual(['Cell', 'Paper', 'In sample', 'Error (%)', 'Held out', 'Error (%)', 'Fit without']);
    expect(cells?.deltaColumns).toEqual([3, 5]);
    expect(cells?.rows[0]).toEqual(['V Xen driver', 3.3, 7.73, 1.9, null, null, '—']);
    expect(cells?.rows[1]?.[0]).toBe('V DA driver ✗');
    expect(cells?.rows[2]?.[0]).toBe('IV DA Mbit/s');
    expect(cells?.note).toMatch(/^Held out: 1 of 2 cells within tolerance \(in sample 0\); median \|error\| 82\.2 % held out, 68\.9 % in sample\./);
    expect(groups?.columns).toEqual(['Fit', 'Fitted cells inside', 'stack', 'pirq', 'Fitted cells outside tolerance']);
    expect(groups?.rows).toEqual([
      ['all cells (committed)', '1 / 3', 1.02, 13.9, 'V DA driver, IV DA Mbit/s'],
      ['without DA', '15 / 19', 0.9, 9.7, 'IV Linux Mbit/s, VII Linux TCP_RR'],
    ]);
  });

  it('says which Slurm job fitted the folds, when one did', () => {
    const base = { folds_by: 'tables', cells: [cell('V DA driver', 134.2, false, 161.8, 'Table V')], folds: [{ fold: 'Table V' }], summary: {} };
    expect(crossValidationTables('c1', { ...base, slurm: { job: '42', folder: '/data/slurm/crossval-1', sbatch: [] } })[0]?.note).toMatch(/\. The fits ran as Slurm job 42 \(job folder \/data\/slurm\/crossval-1\)\.$/);
    expect(crossValidationTables('c1', base)[0]?.note).not.toMatch(/Slurm/);
    expect(crossValidationTables('c1', { ...base, slurm: { job: 42 } })[0]?.note).not.toMatch(/Slurm/);
  });

  it('gives nothing for a missing or damaged result', () => {
    expect(crossValidationTables('c1', undefined)).toEqual([]);
    expect(crossValidationTables('c1', { cells: 'x', folds: [] })).toEqual([]);
    expect(crossValidationTables('c1', { cells: [{}], folds: [{}] })[0]?.rows).toEqual([['?', null, null, null, null, null, '—']]);
  });
});
