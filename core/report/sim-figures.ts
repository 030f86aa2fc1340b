/**
 * The report's figures for a Simulation cell whose runs were traced (knob trace_ms): each measure
 * over time with a line per system and workload, the seeds averaged as the cell averages them
 * (core/contract/sim-over-time.ts).
 */
import type { StoredRun } from '../contract/index.js';
import { overTime, type OverTimeSeries } from '../contract/over-time.js';
import { SIM_TRACE_METRICS, simOverTime, spanMismatch, type SimGroupOverTime, type SimTraceMetric } from '../contract/sim-over-time.js';
import type { BuildContext } from './sections.js';
import type { Block } from './types.js';

/** The measures always drawn in the report: the rates and the LRO rate; a CPU share when the cell shows one. */
const DRAWN: readonly SimTraceMetric[] = ['throughput_mbps', 'rr_transactions_per_s', 'lro_rate'];

/** A measured run over time, named by its file, to draw beside the model (the cell's "beside measured runs"). */
export interface MeasuredSeries extends OverTimeSeries {
  file: string;
}

/** Every imported run over time among `runs` (an Import cell's), file by file, as the Import cell draws them. */
export function measuredSeriesOf(runs: StoredRun[], fileName: (id: number) => string): MeasuredSeries[] {
  const ids = [...new Set(runs.map((r) => r.importedFileId).filter((x): x is number => x !== null))];
  return ids.flatMap((id) => (overTime(runs.filter((r) => r.importedFileId === id).map((r) => r.detail))?.series ?? []).map((s) => ({ ...s, file: fileName(id) })));
}

/** The cell's hint about lengths, for the caption (leading space), or ''. */
function spanText(beside: MeasuredSeries[], drawn: { ot: SimGroupOverTime }[]): string {
  const hint = spanMismatch(beside.map((s) => s.endS), Math.max(0, ...drawn.map((g) => g.ot.t.at(-1) ?? 0)));
  return hint === null ? '' : ` ${hint}`;
}

export function simOverTimeBlocks(cellId: string, sim: StoredRun[], ctx: BuildContext, measured: MeasuredSeries[] = [], shown?: string): Block[] {
  const groups: { name: string; runs: StoredRun[]; ot: SimGroupOverTime }[] = [];
  const key = (r: StoredRun): string => `${r.system ?? '?'} ${r.workload === 'rr' ? 'TCP_RR' : 'TCP_STREAM'}`;
  for (const name of [...new Set(sim.map(key))]) {
    const runs = sim.filter((r) => key(r) === name);
    const ot = simOverTime(runs.map((r) => r.detail));
    if (ot) groups.push({ name, runs, ot });
  }
  const blocks: Block[] = [];
  const extra = SIM_TRACE_METRICS.find((m) => m.key === shown && !DRAWN.includes(m.key))?.key;
  for (const metric of extra ? [...DRAWN, extra] : DRAWN) {
    const m = SIM_TRACE_METRICS.find((x) => x.key === metric)!;
    // an RR run's throughput and LRO rate (one request per aggregate) say nothing: left out
    const drawn = groups.filter((g) => g.ot.series[metric] !== undefined && (metric === 'rr_transactions_per_s' || !g.name.endsWith('TCP_RR')));
    if (!drawn.length) continue;
    const first = drawn[0]!.ot;
    const units = m.units as string;
    const beside = metric === 'lro_rate' ? [] : measured.filter((s) => s.units === units);
    const title = `Simulated ${m.label === 'Throughput' ? 'throughput' : m.label} over time`;
    const bucketed = drawn.find((g) => g.ot.points > g.ot.t.length)?.ot;
    const fig = ctx.addFigure({
      id: `${cellId}-sim-over-time-${metric}`,
      title,
      caption: `Every ${first.interval_ms} ms of simulated time, the mean of each system's seeds per interval; warm-up (up to ${first.warmup_s} s) included, the tables' figures start after it.${bucketed ? ` ${bucketed.points} intervals are drawn as ${bucketed.t.length} bucket means.` : ''}${metric === 'lro_rate' ? ' Gaps: intervals in which no aggregate was flushed.' : ''}${beside.length ? ` Beside them, as the cell shows them: ${beside.length} measured run(s) from the Import cells above, against seconds since each started.${spanText(beside, drawn)}` : ''}`,
      spec: {
        type: 'line',
        title,
        xLabel: 'simulated seconds since the run started',
        yLabel: m.units,
        // from zero, as the cell's chart (rangemode 'tozero')
        yToZero: true,
        series: [
          ...drawn.map((g) => ({ name: g.name, markers: false, points: g.ot.t.map((t, i) => ({ x: t, y: g.ot.series[metric]?.[i] ?? NaN })) })),
          ...beside.map((s) => ({ name: `measured: ${s.file} · ${s.name}`, points: s.t.map((t, i) => ({ x: t, y: s.v[i] ?? NaN })) })),
        ],
      },
      data: {
        id: `${cellId}-sim-over-time-${metric}-data`,
        title,
        columns: ['System', 'Seconds', m.units],
        rows: [
          ...drawn.flatMap((g) => g.ot.t.map((t, i) => [g.name, t, g.ot.series[metric]?.[i] ?? null])),
          ...beside.flatMap((s) => s.t.map((t, i) => [`measured: ${s.file} · ${s.name}`, t, s.v[i] ?? null])),
        ],
      },
      runIds: drawn.flatMap((g) => g.runs.map((r) => r.id)),
    });
    blocks.push({ type: 'figure', figure: fig });
  }
  return blocks;
}
