import { describe, expect, it } from 'vitest';
import { runSimulation } from '../sim/run.js';
import { MAX_POINTS } from './over-time.js';
import { simOverTime, spanMismatch } from './sim-over-time.js';

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
