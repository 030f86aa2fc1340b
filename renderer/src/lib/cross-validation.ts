/**
 * The Compare cell's "How well does it predict…" (sim.crossValidate): each cell's error in sample
 * (the calibration fitted on every cell) beside its error held out (the fit that never saw it), as
 * a Plotly chart and summary counts. Pure, so it is tested without a browser.
 */
import type { CrossValidationOutcome } from '../../../core/contract/index.js';

type Figure = { data: Record<string, unknown>[]; layout: Record<string, unknown> };

/** |error| ÷ tolerance below this is drawn at this (a log axis has no 0). */
const FLOOR = 0.01;

/**
 * Horizontal bars of |error| ÷ tolerance on a log axis, so a cell 1 % off and one 150 % off are both
 * readable; the line at 1 is the tolerance. The signed error is in the hover and the Data CSV.
 */
export function crossValidationChart(r: CrossValidationOutcome): Figure {
  const cells = r.cells.filter((c) => c.fold !== null);
  const y = cells.map((c) => c.label);
  const bar = (name: string, err: (c: (typeof cells)[number]) => number | null, color: string): Record<string, unknown> => ({
    type: 'bar',
    orientation: 'h',
    name,
    y,
    x: cells.map((c) => {
      const e = err(c);
      return e === null ? null : Math.max(FLOOR, Math.abs(e) / c.tolerance_pct);
    }),
    customdata: cells.map((c) => err(c)),
    meta: { csvColumns: ['error_pct'] },
    hovertemplate: `%{y}<br>${name}: %{customdata:+.1f} % (%{x:.2f} × tolerance)<extra></extra>`,
    marker: { color },
  });
  return {
    data: [bar('in sample', (c) => c.error_pct, '#8c8c8c'), bar('held out', (c) => c.held_out_error_pct, '#d62728')],
    layout: {
      title: { text: `Error of each cell ÷ its tolerance: fitted on it (in sample) and predicted without it (held out by ${r.folds_by === 'tables' ? 'table' : 'system'})` },
      barmode: 'group',
      xaxis: { type: 'log', title: { text: '|error| ÷ tolerance (log; 1 = the tolerance)' } },
      yaxis: { autorange: 'reversed', automargin: true },
      shapes: [{ type: 'line', xref: 'x', yref: 'paper', x0: 1, x1: 1, y0: 0, y1: 1, line: { color: '#2ca02c', dash: 'dash' } }],
      height: 160 + 26 * cells.length,
      legend: { orientation: 'h' },
    },
  };
}
