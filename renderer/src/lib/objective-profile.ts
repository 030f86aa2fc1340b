/**
 * The Compare cell's "How firmly do the tables hold each cost…" (sim.profile): the calibration
 * objective along each profiled multiplier, the others refitted at every point, as a Plotly line
 * chart. Pure, so it is tested without a browser.
 */
import type { ProfileOutcome } from '../../../core/contract/index.js';
import { knobWords } from '../../../core/contract/multipliers.js';
import { seriesLine } from './plotly.js';

type Figure = { data: Record<string, unknown>[]; layout: Record<string, unknown> };

/** The committed fit's objective: every profile's centre (they agree up to the refit's noise, which is none at ×1). */
export function centreObjective(r: ProfileOutcome): number | null {
  const c = r.profiles.flatMap((p) => p.points.filter((q) => q.factor === 1).map((q) => q.objective));
  return c.length ? Math.min(...c) : null;
}

/**
 * One line per knob: objective against × the committed multiplier (log axis, so ×0.5 and ×2 sit
 * symmetric about the fit), each marker labelled with the cells inside tolerance there. The band
 * above the committed objective is "flat": less than one misfit's penalty.
 */
export function profileChart(r: ProfileOutcome): Figure {
  const centre = centreObjective(r);
  const factors = [...new Set(r.profiles.flatMap((p) => p.points.map((q) => q.factor)))].sort((a, b) => a - b);
  const data = r.profiles.map((p, i) => ({
    type: 'scatter',
    mode: 'lines+markers+text',
    name: p.knob,
    line: seriesLine(i),
    x: p.points.map((q) => q.factor),
    y: p.points.map((q) => q.objective),
    text: p.points.map((q) => String(q.within_tolerance)),
    textposition: 'top center',
    customdata: p.points.map((q) => [q.within_tolerance, q.cells, q.misfits.length ? q.misfits.join(', ') : 'none']),
    meta: { csvColumns: ['cells_inside', 'cells', 'outside_tolerance'] },
    hovertemplate: `${knobWords(p.knob)} ×%{x:.2f}<br>objective %{y:.1f}, %{customdata[0]} of %{customdata[1]} cells inside<br>outside: %{customdata[2]}<extra></extra>`,
  }));
  const shapes =
    centre === null
      ? []
      : [
          { type: 'rect', xref: 'paper', yref: 'y', x0: 0, x1: 1, y0: centre, y1: centre + r.flat_within, fillcolor: '#2ca02c', opacity: 0.12, line: { width: 0 } },
          { type: 'line', xref: 'paper', yref: 'y', x0: 0, x1: 1, y0: centre, y1: centre, line: { color: '#2ca02c', dash: 'dash' } },
        ];
  return {
    data,
    layout: {
      title: { text: 'Calibration objective along each multiplier, the others refitted (labels: cells within tolerance)' },
      xaxis: { type: 'log', title: { text: '× the committed fit (log)' }, tickvals: factors, ticktext: factors.map((f) => `×${f.toFixed(2)}`) },
      yaxis: { title: { text: 'objective (lower is better)' }, rangemode: 'tozero' },
      shapes,
      legend: { orientation: 'h' },
      height: 460,
    },
  };
}
