import { describe, expect, it } from 'vitest';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- parity test only: the Compare cell must judge cells as rxlab reproduce does
import { CELL_TOLERANCE_PCT, LRO_RATE_TOLERANCE_PCT } from '../../../core/sim/compare-tables.js';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- test only: the paper's own numbers, from their one module
import { PAPER } from '../../../core/reference/paper.js';
import { paperFlushPoints } from '../../../core/contract/paper-points.js';
import { buildTables, compareChart, errorBar, tolerancePct } from './compare.js';
import { chartDataRows } from './exports.js';
import { interval } from './stats.js';
import type { SimGroup } from './notebook.js';

describe('Compare cell tolerances', () => {
  it('are the ones `rxlab reproduce` judges cells by', () => {
    for (const id of ['IV', 'V', 'VII'] as const) expect(tolerancePct(id)).toBe(CELL_TOLERANCE_PCT);
    expect(tolerancePct('VI')).toBe(LRO_RATE_TOLERANCE_PCT);
  });
});

describe('paper points on a flush-every-k sweep', () => {
  it('puts the paper\'s LRO at k = 1 and DA at k = 2, for the metrics the paper published', () => {
    expect(paperFlushPoints(PAPER, 'LRO', 'stream', 'flush_every_polls', 'throughput_mbps')).toEqual({ x: [1, 2], y: [577.2, 747.5], text: ['paper LRO (k = 1)', 'paper DA (k = 2)'] });
    expect(paperFlushPoints(PAPER, 'DA', 'stream', 'flush_every_polls', 'cycles_per_byte.driver')?.y).toEqual([13.4, 3.3]);
    expect(paperFlushPoints(PAPER, 'LRO', 'stream', 'flush_every_polls', 'lro_rate')?.y).toEqual([2.55, 4.71]);
    expect(paperFlushPoints(PAPER, 'LRO', 'rr', 'flush_every_polls', 'rr_transactions_per_s')?.y).toEqual([5010, 5015]);
    expect(paperFlushPoints(PAPER, 'LRO', 'stream', 'flush_every_polls', 'flush_latency_us.mean')).toBeNull();
    expect(paperFlushPoints(PAPER, 'LRO', 'rr', 'flush_every_polls', 'throughput_mbps')).toBeNull();
    expect(paperFlushPoints(PAPER, 'Xen', 'stream', 'flush_every_polls', 'throughput_mbps')).toBeNull();
    expect(paperFlushPoints(PAPER, 'LRO', 'stream', 'mtu', 'throughput_mbps')).toBeNull();
  });
});

/** A simulated stream group and a measured row with these throughputs (the tables' two inputs). */
const group = (system: string, tput: number[]): SimGroup => ({
  system,
  workload: 'stream',
  runIds: [],
  metrics: { throughput_mbps: interval(tput)! },
  functions: [],
  provenance: { appVersion: null, modelVersion: null, parameters: null, seeds: [], inputSha256: null, createdAt: null },
});
const measured = (tput: number[]) => ({ throughputMbps: interval(tput), rrPerS: null, cyclesPerByte: { driver: null, guest: null, total: null }, arithmetic: [] });

describe('simulated against measured', () => {

  it('gives each row with both the difference in % of measured and its Welch interval, and says whether it excludes 0', () => {
    const tables = buildTables(PAPER, [group('Xen', [533.8, 534.0, 533.9]), group('DA', [720, 722, 721])], { Xen: measured([530, 545, 528, 541]), DA: measured([690]) });
    const iv = tables.find((t) => t.id === 'IV')!;
    const xen = iv.rows.find((r) => r.system === 'Xen')!.simVsMeasured!;
    expect(xen.pct).toBeCloseTo(((533.9 - 536) / 536) * 100, 9);
    expect(xen.differs).toBe(false); // the measured runs spread ±13 Mbit/s
    expect(xen.lo!).toBeLessThan(0);
    const da = iv.rows.find((r) => r.system === 'DA')!.simVsMeasured!;
    expect(da).toMatchObject({ lo: null, hi: null, differs: null }); // one measured run: no interval
    expect(da.pct).toBeCloseTo(((721 - 690) / 690) * 100, 9);
    expect(iv.rows.find((r) => r.system === 'LRO')!.simVsMeasured).toBeNull(); // nothing measured
  });
});

describe('the Compare chart', () => {
  const iv = buildTables(PAPER, [group('Xen', [533.8, 534.0, 533.9]), group('DA', [721])], { Xen: measured([1000, 1098.2]), DA: measured([690]) }).find((t) => t.id === 'IV')!;
  const rows = chartDataRows(compareChart(iv).data as Parameters<typeof chartDataRows>[0]);
  const cell = (series: string, x: string) => rows.find((r) => r[0] === series && r[1] === x);

  it('draws no error bar, and exports none, where there is no interval (one seed, one run, no value)', () => {
    expect(errorBar(null)).toBeNull();
    expect(errorBar(interval([721]))).toBeNull();
    expect(cell('Simulated', 'DA')?.[3]).toBe('');
    expect(cell('Simulated', 'LRO')).toEqual(['Simulated', 'LRO', '', '']);
    expect(cell('Simulated', 'Xen')?.[3]).toBeCloseTo(interval([533.8, 534.0, 533.9])!.halfWidth!, 12);
  });

  it('draws the measured interval as its error bar, and exports it, as the table shows it', () => {
    const hw = interval([1000, 1098.2])!.halfWidth!;
    expect(cell('Measured', 'Xen')).toEqual(['Measured', 'Xen', 1049.1, hw]);
    expect(cell('Measured', 'DA')).toEqual(['Measured', 'DA', 690, '']);
    const trace = compareChart(iv).data.find((d) => d['name'] === 'Measured') as { error_y: { array: unknown[]; visible: boolean } };
    expect(trace.error_y.visible).toBe(true);
    expect(trace.error_y.array).toContain(hw);
  });
});
