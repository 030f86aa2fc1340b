import { describe, expect, it } from 'vitest';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- parity test only: the Compare cell must judge cells as rxlab reproduce does
import { CELL_TOLERANCE_PCT, LRO_RATE_TOLERANCE_PCT } from '../../../core/sim/compare-tables.js';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- test only: the paper's own numbers, from their one module
import { PAPER } from '../../../core/reference/paper.js';
import { paperFlushPoints } from '../../../core/contract/paper-points.js';
import { tolerancePct } from './compare.js';

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
