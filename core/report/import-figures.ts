/**
 * The report's figures for an Import cell's logs, drawn as the cell draws them: each file's runs
 * over time (core/contract/over-time.ts) and netperf -v 2 histograms as latency distributions with
 * their percentiles (core/contract/latency-cdf.ts).
 */
import type { ImportedFileSummary, StoredRun } from '../contract/index.js';
import { cdfSteps, commonWhat, latencyCdf, MAX_DISTRIBUTIONS, percentileText, type LatencyCdf } from '../contract/latency-cdf.js';
import { byUnits, MAX_POINTS, overTime } from '../contract/over-time.js';
import type { BuildContext } from './sections.js';
import type { Block, TableValue } from './types.js';

/** One line figure per file and unit. */
export function overTimeBlocks(cellId: string, files: ImportedFileSummary[], runs: StoredRun[], ctx: BuildContext): Block[] {
  const blocks: Block[] = [];
  // Each file's runs over time, as the cell draws them (netperf demo mode, iperf3 intervals, flent samples).
  for (const f of files) {
    const fileRuns = runs.filter((r) => r.importedFileId === f.id);
    const ot = overTime(fileRuns.map((r) => r.detail));
    if (ot === null) continue;
    // overTime's series are its first runs with a time series, in order: the run behind each one
    // (core/contract/over-time.ts is part of the model's hash, so it is asked per run, not changed)
    const withSeries: StoredRun[] = [];
    for (const r of fileRuns) {
      if (withSeries.length === ot.series.length) break; // the rest are past the cap: not drawn
      if (overTime([r.detail]) !== null) withSeries.push(r);
    }
    const runOf = new Map(ot.series.map((x, i) => [x, withSeries[i]?.id]));
    for (const g of byUnits(ot)) {
      const title = `${f.fileName} over time (${g.units})`;
      const averaged = g.series.some((x) => x.points > x.t.length);
      const fig = ctx.addFigure({
        id: `${cellId}-${f.id}-over-time-${g.units}`,
        title,
        // what this figure draws: the file's series are split by units, and capped (the caption counted the whole file's)
        caption: `Each run's values against seconds since it started, as the log printed them (${g.units === 'Mbit/s' ? 'rates converted to Mbit/s' : `in ${g.units}`}).${ot.total > g.series.length ? ` ${g.series.length} of the file's ${ot.total} runs with a time series are drawn here${ot.total > ot.series.length ? ` (the first ${ot.series.length} in all the file's figures)` : ''}.` : ''}${averaged ? ` Series longer than ${MAX_POINTS} points are drawn as ${MAX_POINTS} bucket means.` : ''}`,
        spec: { type: 'line', title, xLabel: 'seconds since the run started', yLabel: g.units, yToZero: true, series: g.series.map((x) => ({ name: x.name, points: x.t.map((t, i) => ({ x: t, y: x.v[i] ?? NaN })) })) },
        data: { id: `${cellId}-${f.id}-over-time-${g.units}-data`, title, columns: ['Series', 'Seconds', g.units], rows: g.series.flatMap((x) => x.t.map((t, i) => [x.name, t, x.v[i] ?? null])) },
        runIds: g.series.map((x) => runOf.get(x)).filter((id): id is number => id !== undefined),
      });
      blocks.push({ type: 'figure', figure: fig });
    }
  }
  return blocks;
}

/** A distribution figure of every run with a histogram (at most MAX_DISTRIBUTIONS), and their percentiles as a table. */
export function latencyBlocks(cellId: string, runs: StoredRun[], ctx: BuildContext): Block[] {
  // netperf -v 2 histograms: where each run's latencies lie (the cell draws them as distributions)
  const cdfs: { run: StoredRun; cdf: LatencyCdf }[] = [];
  for (const r of runs) {
    const c = latencyCdf(r.detail, r.label ?? undefined);
    if (c !== null) cdfs.push({ run: r, cdf: c });
  }
  if (!cdfs.length) return [];
  const shown = cdfs.slice(0, MAX_DISTRIBUTIONS);
  const what = commonWhat(shown.map((c) => c.cdf));
  const series = shown.map(({ cdf }) => {
    const s = cdfSteps(cdf);
    return { name: cdf.name, step: true, markers: false, points: s.x.map((x, i) => ({ x, y: s.y[i] ?? 0 })) };
  });
  const title = `Distribution of the ${what} (netperf histograms)`;
  const fig = ctx.addFigure({
    id: `${cellId}-latency-cdf`,
    title,
    caption: `Share of the ${what}s at or below each bucket's upper edge (log scale).${cdfs.length > shown.length ? ` The first ${shown.length} of ${cdfs.length} runs with a histogram.` : ''}`,
    spec: { type: 'line', title, xLabel: `${what}, µs (log scale)`, yLabel: '% at or below', series, xLog: true },
    data: { id: `${cellId}-latency-cdf-data`, title, columns: ['Run', 'Upper edge (µs)', '% at or below'], rows: series.flatMap((x) => x.points.map((pt) => [x.name, pt.x, pt.y])) },
    runIds: shown.map((c) => c.run.id),
  });
  const rows: TableValue[][] = cdfs.map(({ run, cdf: c }) => [run.id, c.name, c.what, c.total, percentileText(c.p50Us), percentileText(c.p90Us), percentileText(c.p99Us)]);
  return [
    { type: 'figure', figure: fig },
    {
      type: 'table',
      table: {
        id: `${cellId}-latency`,
        title: 'Latency percentiles from netperf histograms',
        columns: ['Run', 'Record', 'Timed', 'Count', 'p50', 'p90', 'p99'],
        rows,
        note: "netperf counts each time in a decade bucket (1 µs, 10 µs, 100 µs, … wide): a percentile is known only up to its bucket's upper edge.",
      },
    },
  ];
}
