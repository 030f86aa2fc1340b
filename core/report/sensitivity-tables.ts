/**
 * The Compare cell's last "Which knob moves which cell" in the report: for the local method what
 * closing each misfit would take, then the elasticity of every cell to every fitted multiplier; for
 * Morris screening, μ* per cell and multiplier.
 */
import { fmtMultipliers } from '../contract/multipliers.js';
import { num, rec, str } from './read-output.js';
import type { TableData, TableValue } from './types.js';

/** A move's multipliers as the CLI and the notebook print them. */
function moves(m: Record<string, unknown>): string {
  const mult: Record<string, number> = {};
  for (const [k, v] of Object.entries(rec(m['multipliers']))) {
    const x = num(v);
    if (x !== null) mult[k] = x;
  }
  return fmtMultipliers(mult);
}

export function sensitivityTables(cellId: string, value: unknown): TableData[] {
  const s = rec(value);
  const cells = Array.isArray(s['cells']) ? s['cells'].map(rec) : [];
  const knobs = Array.isArray(s['knobs']) ? s['knobs'].filter((k): k is string => typeof k === 'string') : [];
  if (!cells.length || !knobs.length) return [];
  const ps = str(s['parameterSet']);
  const target = `${str(s['target']) ?? 'the paper'}${ps ? ` with parameter set “${ps}”` : ''}`;
  const seeds = Array.isArray(s['seeds']) ? s['seeds'].join(', ') : '?';
  const n = cells.length;
  if (s['method'] === 'morris') {
    const mu = (e: unknown): TableValue => {
      const r = rec(e);
      const m = num(r['mu_star']);
      const sd = num(r['sigma']);
      return m === null ? null : `${m.toFixed(2)}${sd !== null && sd >= m && m >= 0.02 ? '~' : ''}`;
    };
    return [
      {
        id: `${cellId}-morris`,
        title: `Morris screening against ${target}: μ* per cell and multiplier (${num(s['trajectories']) ?? '?'} trajectories over ×/÷${num(s['range']) ?? '?'}, seeds ${seeds})`,
        columns: ['Cell', 'Error (%)', ...knobs],
        deltaColumns: [1],
        rows: cells.map((c) => [`${str(c['label']) ?? '?'}${c['within_tolerance'] === true ? '' : ' ✗'}`, num(c['error_pct']), ...knobs.map((k) => mu(rec(c['effects'])[k]))]),
        note: 'μ*: mean |% change of the cell per +1 % of the multiplier| over the range; ~ where σ ≥ μ* (the effect depends on the other multipliers).',
      },
    ];
  }
  const out: TableData[] = [];
  const closures = Array.isArray(s['closures']) ? s['closures'].map(rec) : [];
  if (closures.length) {
    const side = (m: Record<string, unknown>): TableValue[] => {
      const sim = rec(m['simulated']);
      return [moves(m), num(sim['target_error_pct']), `${num(sim['within_tolerance']) ?? '?'} / ${n}`];
    };
    out.push({
      id: `${cellId}-closures`,
      title: `What closing each misfit would take against ${target} (simulated, seeds ${seeds})`,
      columns: ['Misfit', 'Now (%)', 'Single lever (×/÷3 at most)', 'Then (%)', 'Inside', 'Joint move (others held, each ×/÷3 at most)', 'Then (%)', 'Inside'],
      deltaColumns: [1, 3, 6],
      rows: closures.map((c) => {
        const single = c['single'] === null ? null : rec(c['single']);
        const joint = c['joint'] === null ? null : rec(c['joint']);
        return [
          str(c['cell']) ?? '?',
          num(c['error_pct']),
          ...(single ? side(single) : ['no multiplier moves it', null, null]),
          ...(joint ? side(joint) : ['no joint move within ×/÷3', null, null]),
        ];
      }),
      note: 'Each move is predicted from the elasticities below, then simulated; "Inside" counts the cells within tolerance after it.',
    });
  }
  out.push({
    id: `${cellId}-elasticity`,
    title: `Elasticity: % change of each cell per +1 % of a fitted multiplier (central differences at ×${(1 + (num(s['step']) ?? 0.1)).toFixed(2)}, seeds ${seeds})`,
    columns: ['Cell', 'Error (%)', ...knobs],
    deltaColumns: [1],
    rows: cells.map((c) => {
      const e = rec(c['elasticity']);
      return [`${str(c['label']) ?? '?'}${c['within_tolerance'] === true ? '' : ' ✗'}`, num(c['error_pct']), ...knobs.map((k) => {
        const v = num(e[k]);
        return v === null ? null : Math.round(v * 100) / 100;
      })];
    }),
  });
  return out;
}
