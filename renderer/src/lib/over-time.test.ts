import { describe, expect, it } from 'vitest';
import { byUnits, MAX_POINTS, MAX_SERIES, normaliseUnits, overTime } from '../../../core/contract/over-time.js';
import { trimDocument } from './runners.js';

// Records shaped as the importers give them (core/logs: netperf's interim results, iperf3's
// intervals, flent's samples); the real logs go through the same path in e2e/over-time.spec.ts.
const netperfDemo = {
  line: 1,
  test: 'TCP_STREAM',
  interim: { throughput_units: '10^6bits/s', throughput: [36.46, 59.19, 73.39], seconds: [2.01, 2, 2.01], ending_at: [1327963880.565, 1327963882.569, 1327963884.576], line: 2 },
};
const netperfMBytes = { line: 1, test: 'TCP_STREAM', interim: { throughput_units: 'MBytes/s', throughput: [9.66, 9.64, 9.58], seconds: [1.67, 1.35, 1.36], line: 2 } };
const flentPing = { line: 1, test: 'flent rrul: Ping (ms) ICMP', extra: { series: 'Ping (ms) ICMP' }, interim: { throughput_units: 'ms', throughput: [10.5, 11, 12], seconds: [0, 0.2, 0.4], ending_at: [0, 0.2, 0.6], line: 1 } };
const flentFlow = { line: 1, test: 'flent rrul: TCP download BE', extra: { series: 'TCP download BE' }, interim: { throughput_units: 'Mbits/s', throughput: [3, 4], seconds: [0.2, 0.2], ending_at: [0.2, 0.4], line: 1 } };

describe('rates in one unit', () => {
  it('converts netperf, iperf3 and flent rates to Mbit/s and keeps other units as printed', () => {
    expect(normaliseUnits('10^6bits/s')).toEqual({ units: 'Mbit/s', factor: 1 });
    expect(normaliseUnits('10^9bits/sec')).toEqual({ units: 'Mbit/s', factor: 1000 });
    expect(normaliseUnits('10^3bits/s').factor).toBeCloseTo(0.001, 12);
    expect(normaliseUnits('bits/s').factor).toBe(1e-6);
    expect(normaliseUnits('Mbits/s')).toEqual({ units: 'Mbit/s', factor: 1 });
    // netperf's -f M is 2^20 bytes
    expect(normaliseUnits('MBytes/s').factor).toBeCloseTo(8.388608, 9);
    expect(normaliseUnits('Trans/s')).toEqual({ units: 'transactions/s', factor: 1 });
    expect(normaliseUnits('ms')).toEqual({ units: 'ms', factor: 1 });
  });
});

describe('the Import cell keeps each run\'s time series, small', () => {
  it('netperf demo mode with end times: seconds since the start, in Mbit/s; the records lose their raw series', () => {
    const d = trimDocument({ records: [netperfDemo, { line: 9, test: 'TCP_RR' }], profiles: [] }) as { records: unknown[]; over_time?: ReturnType<typeof overTime> };
    const s = d.over_time?.series[0];
    expect(d.over_time?.total).toBe(1);
    expect(s).toMatchObject({ name: 'TCP_STREAM (line 1)', units: 'Mbit/s', v: [36.46, 59.19, 73.39], points: 3 });
    // the first interval ended 2.01 s after the start; the next 2.004 s later (from the end times)
    expect(s?.t).toEqual([2.01, 4.014, 6.021]);
    // the notebook autosaves the cell: the raw series are not kept twice
    expect(JSON.stringify(d.records)).not.toContain('interim');
  });

  it('netperf demo mode without end times: the intervals summed; MBytes/s as Mbit/s', () => {
    const s = overTime([netperfMBytes])?.series[0];
    expect(s?.t).toEqual([1.67, 3.02, 4.38]);
    expect(s?.v[0]).toBeCloseTo(9.66 * 8.388608, 4);
  });

  it('flent: series named as flent names them, grouped into a rate chart and a latency chart, rates first', () => {
    const o = overTime([flentPing, flentFlow]);
    expect(o?.series.map((s) => s.name)).toEqual(['Ping (ms) ICMP', 'TCP download BE']);
    expect(o?.series[0]?.t).toEqual([0, 0.2, 0.6]);
    expect(byUnits(o as NonNullable<typeof o>).map((g) => g.units)).toEqual(['Mbit/s', 'ms']);
  });

  it('caps the series per file and averages long ones into buckets', () => {
    const long = { test: 'TCP_STREAM', line: 1, interim: { throughput_units: '10^6bits/s', throughput: Array.from({ length: 6000 }, (_, i) => (i % 2 ? 900 : 100)), seconds: new Array(6000).fill(0.01) } };
    const o = overTime(new Array(MAX_SERIES + 5).fill(long));
    expect(o?.total).toBe(MAX_SERIES + 5);
    expect(o?.series).toHaveLength(MAX_SERIES);
    const s = o?.series[0];
    expect(s?.points).toBe(6000);
    expect(s?.t).toHaveLength(MAX_POINTS);
    expect(new Set(s?.v)).toEqual(new Set([500])); // pairs of 100 and 900 average out
    expect(s?.t.at(-1)).toBeCloseTo(59.955, 3);
  });

  it('records without a usable series get none', () => {
    expect(overTime([{ test: 'TCP_RR', line: 1 }, { test: 'x', interim: { throughput: [1, 2], seconds: [1] } }])).toBeNull();
    expect((trimDocument({ records: [{ test: 'TCP_RR' }], profiles: [] }) as { over_time?: unknown }).over_time).toBeUndefined();
  });
});
