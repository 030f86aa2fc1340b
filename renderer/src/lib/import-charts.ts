/**
 * The Import cell's charts: each file's runs (or flent series) over time, one chart per units, and
 * the latency distributions of netperf -v 2 histograms. Series past the palette's eight colours are
 * dashed, then dotted (seriesLine), as the PDF report draws the same figures.
 */
import type { OverTimeSeries } from '../../../core/contract/over-time.js';
import { cdfSteps, commonWhat, type LatencyCdf } from '../../../core/contract/latency-cdf.js';
import { seriesLine } from './plotly.js';

export interface ChartSpec {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

/** Height of the plot area; the legend's rows are added below it. */
const PLOT_PX = 220;

/** A chart's layout with its legend below the x-axis title and room for its rows (about five names a row). */
export function belowLegend(n: number, layout: Record<string, unknown>): Record<string, unknown> {
  const bottom = 50 + (n > 1 ? 22 * Math.ceil(n / 5) + 16 : 0);
  return { ...layout, showlegend: n > 1, legend: { orientation: 'h', yanchor: 'top', y: -60 / PLOT_PX, x: 0 }, margin: { t: 40, r: 10, b: bottom, l: 60 }, height: 40 + PLOT_PX + bottom };
}

/** The latency distributions: a step at each bucket's upper edge (the histogram says no more than that). */
export function cdfChart(cdfs: readonly LatencyCdf[]): ChartSpec {
  const what = commonWhat(cdfs);
  return {
    data: cdfs.map((c, i) => ({ type: 'scatter', mode: 'lines', line: { shape: 'hv', ...seriesLine(i) }, name: c.name, ...cdfSteps(c) })),
    layout: belowLegend(cdfs.length, {
      title: { text: `Distribution of the ${what} (netperf histogram)` },
      xaxis: { title: { text: `${what}, µs (log scale; each step at a bucket's upper edge)` }, type: 'log' },
      yaxis: { title: { text: '% of calls at or below' }, range: [0, 101] },
    }),
  };
}

/** One chart per units: each run's (or flent series') values against seconds since its start. */
export function overTimeChart(units: string, series: readonly Pick<OverTimeSeries, 'name' | 't' | 'v'>[]): ChartSpec {
  return {
    data: series.map((s, i) => ({ type: 'scatter', mode: s.t.length > 60 ? 'lines' : 'lines+markers', name: s.name, x: s.t, y: s.v, line: seriesLine(i) })),
    layout: belowLegend(series.length, {
      title: { text: `Over time — ${units}` },
      xaxis: { title: { text: 'seconds since the run started' }, rangemode: 'tozero' },
      yaxis: { title: { text: units }, rangemode: 'tozero' },
    }),
  };
}
