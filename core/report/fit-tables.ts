/**
 * The Compare cell's last "Fit the model to these measurements" (ParamsCalibration) in the report:
 * each measured cell before and after the fit, then where the fit put each cost group beside the
 * calibration to the paper. Tolerant of any stored shape (read-output.ts).
 */
import { knobWords } from '../contract/multipliers.js';
import { num, rec, str } from './read-output.js';
import type { TableData } from './types.js';

export function fitTables(cellId: string, value: unknown): TableData[] {
  const fit = rec(value);
  const after = Array.isArray(fit['after']) ? fit['after'].map(rec) : [];
  if (!after.length) return [];
  const before = Array.isArray(fit['before']) ? fit['before'].map(rec) : [];
  const saved = str(rec(fit['saved'])['name']);
  const out: TableData[] = [
    {
      id: `${cellId}-fit`,
      title: `Model fitted to these measurements: ${saved ? `parameter set “${saved}”` : 'not saved'} (${num(fit['evaluations']) ?? '?'} evaluations)`,
      columns: ['Table', 'System', 'Metric', 'Measured', 'Before', 'Δ before (%)', 'After', 'Δ after (%)'],
      deltaColumns: [5, 7],
      rows: after.map((a, i) => {
        const b = before[i] ?? {};
        return [str(a['table']) ?? null, str(a['system']) ?? null, str(a['metric']) ?? null, num(a['target']), num(b['simulated']), num(b['errorPct']), num(a['simulated']), num(a['errorPct'])];
      }),
    },
  ];
  // Results saved before the groups were reported have none: the cells above still stand.
  const groups = (Array.isArray(fit['groups']) ? fit['groups'].map(rec) : []).filter((g) => str(g['group']) !== undefined);
  if (groups.length) {
    const fix = (v: number | null): number | null => (v === null ? null : Number(v.toPrecision(3)));
    out.push({
      id: `${cellId}-fit-groups`,
      title: "Where the fit put each cost group, beside the calibration to the paper (× prior; geometric mean over a group's costs)",
      columns: ['Cost group', "Paper's calibration", 'Your fit', 'Yours ÷ paper’s'],
      rows: groups.map((g) => {
        const paper = num(g['paper']);
        const yours = num(g['yours']);
        return [knobWords(str(g['group']) ?? '?'), fix(paper), fix(yours), paper !== null && yours !== null && paper !== 0 ? fix(yours / paper) : null];
      }),
      note: "A group the measurements do not constrain stays near where the fit started: the paper's calibration, with the domain costs the measured Table V implies.",
    });
  }
  return out;
}
