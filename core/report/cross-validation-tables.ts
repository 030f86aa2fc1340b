/**
 * The Compare cell's last cross-validation in the report: each cell in sample beside held out, then
 * where each fit put the cost groups. Tolerant of any stored shape (read-output.ts).
 */
import { num, rec, slurmJobNote, str } from './read-output.js';
import type { TableData } from './types.js';

export function crossValidationTables(cellId: string, value: unknown): TableData[] {
  const r = rec(value);
  const cells = Array.isArray(r['cells']) ? r['cells'].map(rec) : [];
  const folds = Array.isArray(r['folds']) ? r['folds'].map(rec) : [];
  if (!cells.length || !folds.length) return [];
  const by = str(r['folds_by']) === 'tables' ? 'table' : 'system';
  const seeds = Array.isArray(r['seeds']) ? r['seeds'].join(', ') : '?';
  const s = rec(r['summary']);
  const pct = (v: number | null): string => (v === null ? '—' : `${v.toFixed(1)} %`);
  const mark = (inside: unknown): string => (inside === false ? ' ✗' : '');
  const groups = rec(r['in_sample_groups']);
  const keys = Object.keys(groups);
  const fix = (v: unknown): number | null => {
    const x = num(v);
    return x === null ? null : Number(x.toPrecision(3));
  };
  return [
    {
      id: `${cellId}-cross-validation`,
      title: `Cross-validation against the paper: each cell fitted on (in sample) and predicted by a fit without its ${by} (held out); ${folds.length} fits of ${num(r['rounds']) ?? '?'} evaluations, seeds ${seeds}`,
      columns: ['Cell', 'Paper', 'In sample', 'Error (%)', 'Held out', 'Error (%)', 'Fit without'],
      deltaColumns: [3, 5],
      rows: cells.map((c) => [
        `${str(c['label']) ?? '?'}${mark(c['held_out_within'])}`,
        num(c['paper']),
        num(c['simulated']),
        num(c['error_pct']),
        num(c['held_out_simulated']),
        num(c['held_out_error_pct']),
        str(c['fold']) ?? '—',
      ]),
      note: `Held out: ${num(s['held_out_within']) ?? '?'} of ${num(s['cells']) ?? '?'} cells within tolerance (in sample ${num(s['in_sample_within']) ?? '?'}); median |error| ${pct(num(s['held_out_median_abs_pct']))} held out, ${pct(num(s['in_sample_median_abs_pct']))} in sample. ✗: outside tolerance when held out. Model ${str(r['model_version']) ?? '?'}.${slurmJobNote(r['slurm'], 'The fits')}`,
    },
    {
      id: `${cellId}-cross-validation-groups`,
      title: 'Where each fit put the cost groups (× prior; geometric mean over a group\'s costs)',
      columns: ['Fit', 'Fitted cells inside', ...keys, 'Fitted cells outside tolerance'],
      rows: [
        [
          'all cells (committed)',
          `${cells.filter((c) => c['within_tolerance'] === true).length} / ${cells.length}`,
          ...keys.map((k) => fix(groups[k])),
          cells.filter((c) => c['within_tolerance'] === false).map((c) => str(c['label']) ?? '?').join(', '),
        ],
        ...folds.map((f) => {
          const g = rec(f['groups']);
          const out = Array.isArray(f['fitted_misfits']) ? f['fitted_misfits'].filter((x): x is string => typeof x === 'string').join(', ') : '';
          return [`without ${str(f['fold']) ?? '?'}`, `${num(f['fitted_within']) ?? '?'} / ${num(f['fitted_cells']) ?? '?'}`, ...keys.map((k) => fix(g[k])), out];
        }),
      ],
    },
  ];
}
