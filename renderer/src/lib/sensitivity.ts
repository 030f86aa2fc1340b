/**
 * The Compare cell's "Which knob moves which cell" (sim.sensitivity): the elasticity matrix as a
 * Plotly heatmap and the closure moves in words. Pure, so it is tested without a browser.
 */
import type { MorrisOutcome, SensitivityOutcome } from '../../../core/contract/index.js';
import { fmtMultipliers as fmtShared } from '../../../core/contract/multipliers.js';

/** Below this an elasticity is left blank in the heatmap's numbers (the CLI table does the same). */
const BLANK_BELOW = 0.02;

type Figure = { data: Record<string, unknown>[]; layout: Record<string, unknown> };

/** A cells × knobs heatmap, colour symmetric around 0 (Plotly RdBu: red where the cell rises with the knob, blue where it falls). */
function heatmap(r: SensitivityOutcome | MorrisOutcome, z: (number | null)[][], text: string[][], trace: Record<string, unknown>, title: string): Figure {
  const lim = Math.max(0.1, ...z.flat().map((v) => (v === null ? 0 : Math.abs(v))));
  return {
    data: [
      {
        type: 'heatmap',
        x: r.knobs,
        y: r.cells.map((c) => `${c.label}${c.within_tolerance ? '' : ' ✗'}`),
        z,
        text,
        texttemplate: '%{text}',
        zmin: -lim,
        zmax: lim,
        zmid: 0,
        colorscale: 'RdBu',
        ...trace,
      },
    ],
    layout: {
      title: { text: title },
      yaxis: { autorange: 'reversed', automargin: true },
      xaxis: { side: 'top', automargin: true },
      height: 160 + 22 * r.cells.length,
      margin: { t: 110 },
    },
  };
}

export function sensitivityHeatmap(r: SensitivityOutcome): Figure {
  const z = r.cells.map((c) => r.knobs.map((k) => c.elasticity[k] ?? null));
  const text = z.map((row) => row.map((v) => (v === null ? '·' : Math.abs(v) < BLANK_BELOW ? '' : v.toFixed(2))));
  return heatmap(
    r,
    z,
    text,
    { hovertemplate: '%{y}<br>%{x}: %{z:.3f}<extra></extra>', colorbar: { title: { text: 'elasticity' } } },
    `Elasticity: % change of each cell per +1 % of a fitted multiplier (against ${r.target})`,
  );
}

/** "stack ×0.20, copy ×1.17 +3 more": the largest changes first (one formatter with the CLI and the report). */
export function fmtMultipliers(m: Record<string, number>, max = 3): string {
  return fmtShared(m, max);
}

/**
 * Morris screening as a heatmap: colour = μ (the mean effect, signed, as the local elasticities),
 * number = μ* (mean |effect|, the importance), "~" where σ ≥ μ* (the effect changes with the other
 * multipliers: nonlinear or interacting).
 */
export function morrisHeatmap(r: MorrisOutcome): Figure {
  const eff = r.cells.map((c) => r.knobs.map((k) => c.effects[k] ?? null));
  const z = eff.map((row) => row.map((e) => (e === null ? null : e.mu)));
  const text = eff.map((row) => row.map((e) => (e === null ? '·' : e.mu_star < BLANK_BELOW ? '' : `${e.mu_star.toFixed(2)}${e.sigma >= e.mu_star ? '~' : ''}`)));
  // μ*, μ, σ and n per cell: the hover text, and the chart's "Data CSV" columns (meta.csvColumns)
  const custom = eff.map((row) => row.map((e) => (e === null ? null : [e.mu_star, e.mu, e.sigma, e.n])));
  return heatmap(
    r,
    z,
    text,
    {
      customdata: custom,
      meta: { csvColumns: ['mu_star', 'mu', 'sigma', 'n'] },
      hovertemplate: '%{y}<br>%{x}: μ* %{customdata[0]:.3f}, μ %{customdata[1]:.3f}, σ %{customdata[2]:.3f} (%{customdata[3]} effects)<extra></extra>',
      colorbar: { title: { text: 'μ' } },
    },
    `Morris screening over ×/÷${r.range} (${r.trajectories} trajectories, against ${r.target}): colour μ, number μ*, ~ where σ ≥ μ*`,
  );
}
