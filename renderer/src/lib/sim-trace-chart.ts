/**
 * The Simulation cell's "over time" chart: one line per system (and workload) for the chosen
 * measure, the seeds averaged per interval, warm-up shaded (the tables' figures start after it).
 */
import { documentOverTime, overTime, type OverTimeSeries } from '../../../core/contract/over-time.js';
import { SIM_TRACE_METRICS, simOverTime, type SimTraceMetric } from '../../../core/contract/sim-over-time.js';
import type { SimGroup, UiCell } from './notebook.js';
import { seriesLine } from './plotly.js';

/** The measures any of the groups has, in SIM_TRACE_METRICS order; "other guests" only when one was busy. */
export function traceMetrics(groups: readonly SimGroup[]): (typeof SIM_TRACE_METRICS)[number][] {
  return SIM_TRACE_METRICS.filter((m) =>
    groups.some((g) => {
      const s = g.overTime?.series[m.key];
      return s !== undefined && (m.key !== 'cpu.other_guests' || s.some((v) => v !== null && v > 0));
    }),
  );
}

/** What the chart opens on: the rate of the first traced group's workload. */
export function defaultTraceMetric(groups: readonly SimGroup[]): SimTraceMetric | null {
  const keys = traceMetrics(groups).map((m) => m.key);
  const first = groups.find((g) => g.overTime);
  if (first?.workload === 'rr' && keys.includes('rr_transactions_per_s')) return 'rr_transactions_per_s';
  return keys[0] ?? null;
}

/** A measured series (an Import cell's run over time, named "file · run"), drawn beside the model. */
export interface MeasuredOverTime extends OverTimeSeries {
  file: string;
}

/** The measured series that can share the chart of `metric`: the same units (Mbit/s, transactions/s). */
export function measuredFor(metric: SimTraceMetric, measured: readonly MeasuredOverTime[]): MeasuredOverTime[] {
  const units = SIM_TRACE_METRICS.find((m) => m.key === metric)?.units;
  return metric === 'throughput_mbps' || metric === 'rr_transactions_per_s' ? measured.filter((s) => s.units === units) : [];
}

export function simTraceChart(
  groups: readonly SimGroup[],
  metric: SimTraceMetric,
  measured: readonly MeasuredOverTime[] = [],
): { data: unknown[]; layout: Record<string, unknown> } | null {
  const m = SIM_TRACE_METRICS.find((x) => x.key === metric);
  // an RR run's throughput (a byte per transaction) and LRO rate say nothing beside a stream's: left out when a stream is there
  const withSeries = groups.filter((g) => g.overTime?.series[metric] !== undefined);
  const streamOnly = (metric === 'throughput_mbps' || metric === 'lro_rate') && withSeries.some((g) => g.workload !== 'rr');
  const traced = streamOnly ? withSeries.filter((g) => g.workload !== 'rr') : withSeries;
  const first = traced[0]?.overTime;
  if (m === undefined || first === undefined) return null;
  const bothWorkloads = new Set(traced.map((g) => g.workload)).size > 1;
  const data: Record<string, unknown>[] = traced.map((g, i) => {
    const ot = g.overTime!;
    return {
      type: 'scatter',
      mode: ot.t.length > 80 ? 'lines' : 'lines+markers',
      name: bothWorkloads ? `${g.system} ${g.workload}` : g.system,
      x: ot.t,
      y: ot.series[metric],
      line: seriesLine(i),
      connectgaps: false,
    };
  });
  // measured runs dotted, in the units the model's measure has, on the same seconds-since-start axis
  for (const s of measuredFor(metric, measured)) {
    const { color } = seriesLine(data.length);
    data.push({ type: 'scatter', mode: s.t.length > 80 ? 'lines' : 'lines+markers', name: `measured: ${s.file} · ${s.name}`, x: s.t, y: s.v, line: { color, dash: 'dot', width: 1.5 }, connectgaps: false });
  }
  const seeds = Math.min(...traced.map((g) => g.overTime!.seeds));
  const bucketed = traced.map((g) => g.overTime!).find((o) => o.points > o.t.length);
  const every = `every ${first.interval_ms} ms${bucketed ? ` (drawn as ${bucketed.t.length} bucket means of ${bucketed.points} intervals)` : ''}`;
  const warm = first.warmup_s;
  return {
    data,
    layout: {
      title: { text: `${m.label} over time — mean of ${seeds} seed${seeds === 1 ? '' : 's'}, ${every}` },
      xaxis: { title: { text: 'simulated seconds since the run started' }, rangemode: 'tozero' },
      yaxis: { title: { text: m.units }, rangemode: 'tozero', ...(m.units === 'share of the core' ? { tickformat: '.0%' } : {}) },
      showlegend: data.length > 1,
      legend: { orientation: 'h', y: -0.25 },
      margin: { t: 44, r: 10, b: 70, l: 64 },
      ...(warm > 0
        ? {
            shapes: [{ type: 'rect', xref: 'x', yref: 'paper', x0: 0, x1: warm, y0: 0, y1: 1, fillcolor: 'rgba(128,128,128,0.15)', line: { width: 0 }, layer: 'below' }],
            annotations: [{ xref: 'x', yref: 'paper', x: warm / 2, y: 1, yanchor: 'bottom', text: 'warm-up', showarrow: false, font: { size: 10 } }],
          }
        : {}),
    },
  };
}

/**
 * Every run over time in the Import cells among `cells` (those above a Simulation cell), named by file.
 * Every Simulation cell reads this, so an Import cell whose saved result is damaged (a hand-edited
 * .rxnb) contributes nothing rather than breaking them all; it shows its own error in its place.
 */
export function measuredOverTime(cells: readonly UiCell[]): MeasuredOverTime[] {
  const out: MeasuredOverTime[] = [];
  for (const c of cells) {
    if (c.kind !== 'import') continue;
    const files: unknown = (c.output as { files?: unknown } | null)?.files;
    if (!Array.isArray(files)) continue;
    for (const f of files as unknown[]) {
      if (f === null || typeof f !== 'object') continue;
      const file = f as { fileName?: unknown; document?: unknown };
      const series: unknown = documentOverTime(file.document)?.series;
      if (!Array.isArray(series)) continue;
      for (const x of series as unknown[]) {
        const s = x as Partial<OverTimeSeries> | null;
        if (s === null || typeof s !== 'object' || !Array.isArray(s.t) || !Array.isArray(s.v) || typeof s.units !== 'string') continue;
        out.push({ ...(s as OverTimeSeries), file: String(file.fileName ?? '') });
      }
    }
  }
  return out;
}

/**
 * One stored run over time, for the Stored runs view: a traced simulated run's rate (TCP_RR runs:
 * transactions/s) or an imported record's series, as one small chart; null when the run has none.
 */
export function runOverTimeChart(run: { kind: string; workload: string | null; detail: unknown }): { data: unknown[]; layout: Record<string, unknown> } | null {
  let series: { name: string; t: number[]; v: (number | null)[] }[] = [];
  let units = '';
  if (run.kind === 'simulated') {
    const ot = simOverTime([run.detail]);
    const key = run.workload === 'rr' ? 'rr_transactions_per_s' : 'throughput_mbps';
    const v = ot?.series[key];
    if (!ot || !v) return null;
    units = key === 'rr_transactions_per_s' ? 'transactions/s' : 'Mbit/s';
    series = [{ name: 'simulated', t: ot.t, v }];
  } else {
    const ot = overTime([run.detail]);
    const first = ot?.series[0];
    if (!first) return null;
    units = first.units;
    series = ot.series.filter((s) => s.units === units).map((s) => ({ name: s.name, t: s.t, v: s.v }));
  }
  return {
    data: series.map((s, i) => ({ type: 'scatter', mode: s.t.length > 60 ? 'lines' : 'lines+markers', name: s.name, x: s.t, y: s.v, line: seriesLine(i) })),
    layout: {
      height: 220,
      margin: { t: 10, r: 10, b: 40, l: 60 },
      showlegend: series.length > 1,
      xaxis: { title: { text: 'seconds since the run started' }, rangemode: 'tozero' },
      yaxis: { title: { text: units }, rangemode: 'tozero' },
    },
  };
}
