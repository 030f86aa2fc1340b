/**
 * The Compare cell's last profile of the calibration objective in the report: the figure the cell
 * draws (objective against × the committed multiplier, log axis, one line per knob) and the table
 * of objectives with the cells inside and each knob's reading. Tolerant of any stored shape
 * (read-output.ts).
 */
import { knobWords } from '../contract/multipliers.js';
import { num, rec, slurmJobNote, str } from './read-output.js';
import type { BuildContext } from './sections.js';
import type { Block } from './types.js';

interface Point {
  factor: number;
  objective: number;
  inside: number | null;
  misfits: string[];
}

export function objectiveProfileBlocks(cellId: string, value: unknown, ctx: BuildContext): Block[] {
  const r = rec(value);
  const profiles = (Array.isArray(r['profiles']) ? r['profiles'].map(rec) : [])
    .map((p) => ({
      knob: str(p['knob']) ?? '?',
      verdict: str(p['verdict']) ?? '',
      points: (Array.isArray(p['points']) ? p['points'].map(rec) : []).flatMap((q): Point[] => {
        const factor = num(q['factor']);
        const objective = num(q['objective']);
        if (factor === null || objective === null) return [];
        const misfits = Array.isArray(q['misfits']) ? q['misfits'].filter((x): x is string => typeof x === 'string') : [];
        return [{ factor, objective, inside: num(q['within_tolerance']), misfits }];
      }),
    }))
    .filter((p) => p.points.length > 0);
  if (!profiles.length) return [];
  const factors = [...new Set(profiles.flatMap((p) => p.points.map((q) => q.factor)))].sort((a, b) => a - b);
  const seeds = Array.isArray(r['seeds']) ? r['seeds'].join(', ') : '?';
  const title = 'Calibration objective along each multiplier, the others refitted';
  const fig = ctx.addFigure({
    id: `${cellId}-objective-profile`,
    title,
    caption: `Each line holds one fitted multiplier at × the committed fit's value while the calibration refits the others (${num(r['rounds']) ?? '?'} evaluations per point); objective on seeds ${seeds}, lower is better. A side that rises by less than ${num(r['flat_within']) ?? '?'} (one cell outside tolerance) reads as flat.`,
    spec: { type: 'line', title, xLabel: '× the committed fit (log scale)', yLabel: 'objective', xLog: true, yToZero: true, series: profiles.map((p) => ({ name: p.knob, points: p.points.map((q) => ({ x: q.factor, y: q.objective })) })) },
    data: {
      id: `${cellId}-objective-profile-data`,
      title,
      columns: ['Multiplier', '× committed', 'Objective', 'Cells inside', 'Outside tolerance'],
      rows: profiles.flatMap((p) => p.points.map((q) => [p.knob, q.factor, q.objective, q.inside, q.misfits.join(', ')])),
    },
    runIds: [],
  });
  return [
    { type: 'figure', figure: fig },
    {
      type: 'table',
      table: {
        id: `${cellId}-objective-profile-table`,
        title: 'Objective (cells within tolerance) with each multiplier held at × the committed fit and the others refitted',
        columns: ['Multiplier', ...factors.map((f) => `×${f.toFixed(2)}`), 'Reading'],
        rows: profiles.map((p) => [
          knobWords(p.knob),
          ...factors.map((f) => {
            const q = p.points.find((x) => x.factor === f);
            return q === undefined ? null : `${q.objective.toFixed(1)} (${q.inside ?? '?'})`;
          }),
          p.verdict,
        ]),
        note: `Model ${str(r['model_version']) ?? '?'}. In the centre column (×1.00) the committed calibration itself.${slurmJobNote(r['slurm'], 'The refits')}`,
      },
    },
  ];
}
