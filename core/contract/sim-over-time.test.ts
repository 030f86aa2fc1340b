import { describe, expect, it } from 'vitest';
import { runSimulation } from '../sim/run.js';
import { MAX_POINTS } from './over-time.js';
import { matchMeasured, simOverTime, spanMismatch } from './sim-over-time.js';

const SHORT = { duration_s: 0.04, warmup_s: 0.01 };

describe('simOverTime: a cell\'s traced seeds as one set of series', () => {
  it('averages the seeds interval by interval and offers only what the runs have', () => {
    const a = runSimulation({ system: 'LRO', seed: 1, set: { ...SHORT, trace_ms: 1 } });
    const b = runSimulation({ system: 'LRO', seed: 2, set: { ...SHORT, trace_ms: 1 } });
    const ot = simOverTime([a, b])!;
    expect(ot).toMatchObject({ interval_ms: 1, warmup_s: 0.01, seeds: 2, points: 50 });
    expect(ot.t).toHaveLength(50);
    const i = 30;
    const mean = (a.over_time!.throughput_mbps[i]! + b.over_time!.throughput_mbps[i]!) / 2;
    expect(ot.series.throughput_mbps![i]).toBeCloseTo(mean, 2);
    expect(ot.series.rr_transactions_per_s).toBeUndefined(); // a stream run has no transaction rate
    expect(ot.series['cpu.dom0']![i]).toBeGreaterThan(0);
    expect(Object.keys(ot.series)).toContain('lro_rate');
  });

  it('keeps nulls where no seed flushed an aggregate, and averages only the seeds that did', () => {
    const trace = (lro: (number | null)[]) => ({ over_time: { interval_ms: 1, warmup_s: 0, t_s: [0.001, 0.002], throughput_mbps: [1, 2], rr_transactions_per_s: null, lro_rate: lro, cpu_busy_share: { dom0: [0, 0], guest: [0, 0], xen: [0, 0], other_guests: [0, 0] } } });
    const ot = simOverTime([trace([null, 3]), trace([null, 5]), trace([2, null])])!;
    expect(ot.series.lro_rate).toEqual([2, 4]);
  });

  it('draws a long run as bucket means and leaves out runs traced at another interval', () => {
    const long = runSimulation({ system: 'Xen', seed: 1, set: { duration_s: 0.2, warmup_s: 0, trace_ms: 0.1 } });
    const other = runSimulation({ system: 'Xen', seed: 2, set: { duration_s: 0.2, warmup_s: 0, trace_ms: 1 } });
    const ot = simOverTime([long, other])!;
    expect(ot.points).toBe(2000);
    expect(ot.seeds).toBe(1);
    expect(ot.t).toHaveLength(MAX_POINTS);
    // bucket means keep the run's total: Σ bucket mean × bucket size = Σ over all intervals
    const all = long.over_time!.throughput_mbps.reduce((s, x) => s + x, 0);
    const edge = (b: number): number => Math.floor((b * 2000) / MAX_POINTS);
    const kept = ot.series.throughput_mbps!.reduce<number>((s, x, b) => s + (x ?? 0) * (edge(b + 1) - edge(b)), 0);
    expect(kept).toBeCloseTo(all, -1);
  });

  it('is null for runs without a trace', () => {
    expect(simOverTime([runSimulation({ system: 'DA', seed: 1, set: SHORT }), null, 'junk'])).toBeNull();
  });
});

describe('spanMismatch', () => {
  it('speaks only when one side lasts more than three times the other', () => {
    expect(spanMismatch([18.1], 0.18)).toBe('The measured runs last up to 18.1 s, the simulation 0.180 s: set the knob duration_s (and a coarser Over time) to set them side by side.');
    expect(spanMismatch([10, 12], 5)).toBeNull();
    expect(spanMismatch([1], 3)).toBeNull();
    expect(spanMismatch([1], 3.5)).not.toBeNull();
    expect(spanMismatch([], 1)).toBeNull();
    expect(spanMismatch([5], 0)).toBeNull();
  });
});

describe('matchMeasured', () => {
  it('takes the longest run and the median sampling interval', () => {
    // a netperf demo run: nine results about 2 s apart, ending at 18.1 s
    const demo = { t: [2.01, 4.01, 6.02, 8.02, 10.03, 12.03, 14.04, 16.05, 18.06], endS: 18.06 };
    expect(matchMeasured([demo], 0.03)).toEqual({ duration_s: 18.1, trace_ms: 2010 });
    // flent at 0.2 s beside it: the median of all gaps, the longest run's end
    const flent = { t: [0.2, 0.4, 0.6, 0.8, 1, 1.2, 1.4, 1.6, 1.8, 2, 2.2, 2.4], endS: 60 };
    expect(matchMeasured([demo, flent], 0)).toEqual({ duration_s: 60, trace_ms: 200 });
  });

  it('keeps within the trace limits and says nothing without intervals', () => {
    const dense = { t: Array.from({ length: 1000 }, (_, i) => i * 0.0001), endS: 100 };
    expect(matchMeasured([dense], 0)).toEqual({ duration_s: 100, trace_ms: 5 }); // 100 s in ≤ 20,000 intervals
    expect(matchMeasured([{ t: [1], endS: 1 }], 0)).toBeNull();
    expect(matchMeasured([], 0)).toBeNull();
  });
});
