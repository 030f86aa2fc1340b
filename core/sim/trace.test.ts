import { describe, expect, it } from 'vitest';
import { ParamError, applyOverrides, DEFAULT_PARAMS } from './params.js';
import { runSimulation } from './run.js';
import type { RunResult } from './types.js';

const SHORT = { duration_s: 0.05, warmup_s: 0.02 };
/** A traced result without what the trace adds, for comparison with an untraced run. */
const untraced = (r: RunResult): string => {
  const { over_time: _omit, ...rest } = r;
  return JSON.stringify({ ...rest, parameters: { ...rest.parameters, trace_ms: 0 } });
};
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

describe('trace_ms: the run over time', () => {
  it('only looks: every figure of a traced run equals the untraced run, event count included', () => {
    for (const [system, workload] of [['DA', 'stream'], ['Xen', 'rr'], ['Linux', 'stream']] as const) {
      const plain = runSimulation({ system, workload, seed: 5, set: SHORT });
      const traced = runSimulation({ system, workload, seed: 5, set: { ...SHORT, trace_ms: 1 } });
      expect(plain.over_time).toBeUndefined();
      expect(traced.over_time).toBeDefined();
      expect(untraced(traced)).toBe(JSON.stringify(plain));
    }
  });

  it('covers the whole run in whole intervals, warm-up included, and its bytes add up to the reported throughput', () => {
    const r = runSimulation({ system: 'DA', seed: 2, set: { ...SHORT, trace_ms: 1 } });
    const ot = r.over_time!;
    expect(ot.t_s).toHaveLength(70);
    expect(ot.t_s[0]).toBeCloseTo(0.001, 12);
    expect(ot.t_s.at(-1)).toBeCloseTo(0.07, 12);
    expect(ot.warmup_s).toBe(0.02);
    expect(ot.rr_transactions_per_s).toBeNull();
    // bytes in the measured window (intervals 21..70) = throughput × duration
    const measured = sum(ot.throughput_mbps.slice(20)) * 1e-3;
    expect(measured).toBeCloseTo(r.throughput_mbps * SHORT.duration_s, 6);
    // warm-up is drawn too: data flows from the first millisecond
    expect(ot.throughput_mbps[0]).toBeGreaterThan(0);
  });

  it('CPU shares add up to the measured window\'s busy shares, and the LRO rate to the reported one', () => {
    const r = runSimulation({ system: 'LRO', seed: 3, set: { ...SHORT, trace_ms: 5 } });
    const ot = r.over_time!;
    const window = (xs: readonly number[]): number => sum(xs.slice(4)) / (xs.length - 4); // 20 ms of warm-up = 4 intervals
    expect(window(ot.cpu_busy_share.dom0)).toBeCloseTo(r.cpu_busy_share.dom0, 9);
    expect(window(ot.cpu_busy_share.guest)).toBeCloseTo(r.cpu_busy_share.guest, 9);
    expect(window(ot.cpu_busy_share.xen)).toBeCloseTo(r.cpu_busy_share.xen, 9);
    const rates = ot.lro_rate!.slice(4).filter((x): x is number => x !== null);
    expect(rates).toHaveLength(10);
    expect(Math.min(...rates)).toBeLessThanOrEqual(r.lro_rate!);
    expect(Math.max(...rates)).toBeGreaterThanOrEqual(r.lro_rate!);
  });

  it('TCP_RR gives the transaction rate per interval; an interval that does not divide the run ends with a short one', () => {
    const r = runSimulation({ system: 'Xen', workload: 'rr', seed: 1, set: { ...SHORT, trace_ms: 30 } });
    const ot = r.over_time!;
    expect(ot.t_s.map((t) => Number(t.toFixed(9)))).toEqual([0.03, 0.06, 0.07]);
    const tx = ot.rr_transactions_per_s!;
    const total = tx[0]! * 0.03 + tx[1]! * 0.03 + tx[2]! * 0.01;
    expect(Number.isInteger(Math.round(total * 1e6) / 1e6)).toBe(true);
    expect(ot.lro_rate).toBeNull();
  });

  it('refuses a trace finer than 20,000 intervals, naming the smallest interval allowed', () => {
    expect(() => applyOverrides(DEFAULT_PARAMS, { trace_ms: '0.001' })).toThrow(ParamError);
    expect(() => applyOverrides(DEFAULT_PARAMS, { trace_ms: '0.001' })).toThrow(/180000 intervals.*trace_ms ≥ 0\.009/);
    // the rule sees the other knobs whatever their order
    expect(applyOverrides(DEFAULT_PARAMS, { trace_ms: 0.01, duration_s: 0.1, warmup_s: 0 }).trace_ms).toBe(0.01);
    expect(() => applyOverrides(DEFAULT_PARAMS, { trace_ms: '-1' })).toThrow(/trace_ms/);
  });
});
