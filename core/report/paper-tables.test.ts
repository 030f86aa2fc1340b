import { describe, expect, it } from 'vitest';
import type { StoredRun } from '../contract/index.js';
import { studentT95 } from '../stats/interval.js';
import { comparisonTables, measuredValue, runsBehind } from './paper-tables.js';
import { fmtNum } from './escape.js';
import { summarize } from './stats.js';

const run = (id: number, kind: 'simulated' | 'measured', system: string, workload: string, tput: number): StoredRun =>
  ({ id, kind, system, workload, label: null, provenance: {} as StoredRun['provenance'], metrics: { throughput_mbps: tput }, detail: null, importedFileId: null }) as StoredRun;

describe('report: the paper tables with simulated against measured', () => {
  it('adds the difference in % of measured and its Welch interval, marked when it excludes 0', () => {
    const sim = [712.9, 713.4, 712.7].map((v, i) => run(i + 1, 'simulated', 'Linux', 'stream', v));
    const meas = [690.1, 702.5, 695.3, 688.0, 699.9].map((v, i) => ({ run: run(i + 10, 'measured', 'Linux', 'TCP_STREAM', v), system: 'Linux' }));
    const iv = comparisonTables({ simulated: sim, measured: meas }, 'x')[0]!;
    expect(iv.columns.slice(-4)).toEqual(['Measured', 'Δ measured vs paper (%)', 'Sim vs meas. (%)', 'Welch 95 % CI']);
    expect(iv.deltaColumns).toEqual([4, 6, 7]);
    const linux = iv.rows.find((r) => r[0] === 'Linux')!;
    const s = studentT95([712.9, 713.4, 712.7]);
    const m = studentT95([690.1, 702.5, 695.3, 688.0, 699.9]);
    expect(linux[7]).toBeCloseTo(((s.mean - m.mean) / m.mean) * 100, 9);
    expect(linux[8]).toMatch(/^\+\d\.\d … \+\d\.\d \(differs\)$/);
  });

  it('summarises with the Student-t quantile at every n (a table of 30 once stood in for it)', () => {
    const xs = Array.from({ length: 40 }, (_, i) => 100 + (i % 7));
    const s = summarize(xs)!;
    expect(s.halfWidth).toBeCloseTo(studentT95(xs).halfWidth, 12);
    expect(s.halfWidth).toBeGreaterThan((1.96 * studentT95(xs).sd) / Math.sqrt(40)); // t(0.975, 39) = 2.023 > 1.96
    expect(summarize([5])).toEqual({ mean: 5, lo: 5, hi: 5, halfWidth: 0, n: 1 });
  });

  it('reads netperf MBytes/sec as the rest of the app does, and averages only TCP_STREAM runs into Table IV', () => {
    const mbytes = { ...run(30, 'measured', 'Xen', 'TCP_STREAM', 0), metrics: { throughput: 9.61 }, detail: { throughput_units: 'MBytes/sec' } } as StoredRun;
    expect(measuredValue(mbytes, 'throughput_mbps')).toBeCloseTo(80.6145, 4);
    const sctp = run(31, 'measured', 'Xen', 'SCTP_STREAM_MANY', 5000);
    const rrSim = { ...run(3, 'simulated', 'Xen', 'rr', 0), metrics: { rr_transactions_per_s: 5100 } } as StoredRun;
    const input = { simulated: [run(1, 'simulated', 'Xen', 'stream', 530), rrSim], measured: [mbytes, sctp].map((r) => ({ run: r, system: 'Xen' })) };
    const xen = comparisonTables(input, 'x')[0]!.rows.find((r) => r[0] === 'Xen')!;
    expect(xen[5]).toBe('80.61 (n = 1)'); // the SCTP run's 5000 is not averaged in
    const full = comparisonTables(input, 'x')[0]!.full!;
    expect(full.rows.find((r) => r[0] === 'Xen')![full.columns.indexOf('Measured')]).toBeCloseTo(80.6145, 4);
    // and a figure's provenance names exactly those runs
    expect(runsBehind(input, 'throughput_mbps')).toEqual([1, 30]);
    expect(runsBehind(input, 'rr_transactions_per_s')).toEqual([3]);
  });

  it('prints small values with their significant digits, not as 0', () => {
    expect([0.0004, 0.0012, 0.0051, 0.000202, 1.5, 7.7312, 12.345, 0].map((v) => fmtNum(v))).toEqual(['0.0004', '0.0012', '0.0051', '0.000202', '1.5', '7.731', '12.35', '0']);
  });

  it('prints every value with the same number of significant digits, without float noise, whole numbers exactly', () => {
    // a column read 564.3 beside 570.68, and a flent mean 2.1950000000000003
    expect([564.3, 570.68, 727.52, 5457.78, 710.43, 2.1950000000000003, 0.3994, 941503384.5, 6090, 13].map((v) => fmtNum(v))).toEqual(['564.3', '570.7', '727.5', '5458', '710.4', '2.195', '0.3994', '941503385', '6090', '13']);
  });

  it('prints simulated and measured values as the app does: mean ± half-width to the interval\'s precision, the numbers kept for the export', () => {
    const sim = [710.1, 710.6, 710.6].map((v, i) => run(i + 1, 'simulated', 'Linux', 'stream', v));
    const iv = comparisonTables({ simulated: sim, measured: [] }, 'x')[0]!;
    expect(iv.columns).toEqual(['System', 'Paper (Mbit/s)', 'Simulated (± 95 % CI)', 'n', 'Δ sim vs paper (%)']);
    const s = summarize([710.1, 710.6, 710.6])!;
    expect(iv.rows.find((r) => r[0] === 'Linux')!.slice(0, 4)).toEqual(['Linux', 721.1, '710.4 ± 0.7', 3]);
    expect(iv.full?.columns.slice(2, 5)).toEqual(['Simulated', '± 95 % CI', 'n']);
    expect(iv.full?.rows.find((r) => r[0] === 'Linux')!.slice(2, 5)).toEqual([s.mean, s.halfWidth, 3]);
  });

  it('judges each table\'s errors against its tolerance as the app does: ±3 %, the LRO rate ±5 %', () => {
    const tables = comparisonTables({ simulated: [], measured: [], alwaysMeasured: true }, 'x');
    expect(tables.map((t) => t.tolerance)).toEqual([
      { columns: [4, 6], pct: 3 },
      { columns: [4, 6], pct: 3 },
      { columns: [4, 6], pct: 5 },
      { columns: [4, 6], pct: 3 },
    ]);
    // "Sim vs meas." is signed but no error against the paper
    expect(tables[0]?.deltaColumns).toContain(7);
    expect(tables[0]?.tolerance?.columns).not.toContain(7);
    expect(tables[1]?.title).toBe('Table V: CPU cycles per transferred byte');
  });
});
