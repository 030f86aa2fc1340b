/**
 * The report's figures for a Simulation cell whose runs were traced (knob trace_ms): each measure
 * over time with a line per system and workload, the seeds averaged as the cell averages them
 * (core/contract/sim-over-time.ts).
 */
import type { StoredRun } from '../contract/index.js';
import { SIM_TRACE_METRICS, simOverTime, type SimGroupOverTime } from '../contract/sim-over-time.js';
import type { BuildContext } from './sections.js';
import type { Block } from './types.js';

/** The measures drawn in the report: the rates and the LRO rate (the CPU shares stay in the notebook). */
const DRAWN = ['throughput_mbps', 'rr_transactions_per_s', 'lro_rate'] as const;

export function simOverTimeBlocks(cellId: string, sim: StoredRun[], ctx: BuildContext): Block[] {
  const groups: { name: string; runs: StoredRun[]; ot: SimGroupOverTime }[] = [];
  const key = (r: StoredRun): string => `${r.system ?? '?'} ${r.workload === 'rr' ? 'TCP_RR' : 'TCP_STREAM'}`;
  for (const name of [...new Set(sim.map(key))]) {
    const runs = sim.filter((r) => key(r) === name);
    const ot = simOverTime(runs.map((r) => r.detail));
    if (ot) groups.push({ name, runs, ot });
  }
  const blocks: Block[] = [];
  for (const metric of DRAWN) {
    const m = SIM_TRACE_METRICS.find((x) => x.key === metric)!;
    // an RR run's throughput and LRO rate (one request per aggregate) say nothing: left out
    const drawn = groups.filter((g) => g.ot.series[metric] !== undefined && (metric === 'rr_transactions_per_s' || !g.name.endsWith('TCP_RR')));
    if (!drawn.length) continue;
    const first = drawn[0]!.ot;
    const title = `Simulated ${m.label === 'Throughput' ? 'throughput' : m.label} over time`;
    const bucketed = drawn.find((g) => g.ot.points > g.ot.t.length)?.ot;
    const fig = ctx.addFigure({
      id: `${cellId}-sim-over-time-${metric}`,
      title,
      caption: `Every ${first.interval_ms} ms of simulated time, the mean of each system's seeds per interval; warm-up (up to ${first.warmup_s} s) included, the tables' figures start after it.${bucketed ? ` ${bucketed.points} intervals are drawn as ${bucketed.t.length} bucket means.` : ''}${metric === 'lro_rate' ? ' Gaps: intervals in which no aggregate was flushed.' : ''}`,
      spec: {
        type: 'line',
        title,
        xLabel: 'simulated seconds since the run started',
        yLabel: m.units,
        series: drawn.map((g) => ({ name: g.name, markers: false, points: g.ot.t.map((t, i) => ({ x: t, y: g.ot.series[metric]?.[i] ?? NaN })) })),
      },
      data: {
        id: `${cellId}-sim-over-time-${metric}-data`,
        title,
        columns: ['System', 'Seconds', m.units],
        rows: drawn.flatMap((g) => g.ot.t.map((t, i) => [g.name, t, g.ot.series[metric]?.[i] ?? null])),
      },
      runIds: drawn.flatMap((g) => g.runs.map((r) => r.id)),
    });
    blocks.push({ type: 'figure', figure: fig });
  }
  return blocks;
}
