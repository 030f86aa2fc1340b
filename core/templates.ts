import { randomUUID } from 'node:crypto';
import type { CellInput } from './contract/index.js';

/** Ready-made notebooks: the first-start "Reproduce the paper" and the flush-policy trade-off study. */
export function templateCells(template: 'blank' | 'reproduce' | 'tradeoff'): CellInput[] {
  const cell = (kind: CellInput['kind'], config: Record<string, unknown>): CellInput => ({ id: randomUUID(), kind, config, stale: false });
  if (template === 'reproduce') {
    return [
      cell('markdown', {
        source:
          '# Reproduce the paper\n\nThis notebook simulates the five receive paths (Linux, Xen, LRO, BO, DA) and sets them beside the measured Tables IV–VII. ' +
          'Press **Run all** (or Shift+Enter on each cell). Import your own netperf and oprofile logs with an Import cell to add a measured column.',
      }),
      cell('simulation', { systems: ['Linux', 'Xen', 'LRO', 'BO', 'DA'], workload: 'both', seeds: 3, set: {} }),
      cell('compare', { sources: 'all' }),
    ];
  }
  if (template === 'tradeoff') {
    return [
      cell('markdown', {
        source:
          '# Flush-policy trade-off\n\nDelayed aggregation buys throughput and CPU with latency: a packet waits in the aggregate until its flush. ' +
          'The sweeps below draw, for LRO with two flush policies, throughput against the mean aggregation-to-flush latency: ' +
          'flushing every k-th NAPI poll (k = 1 … 8; k = 2 is the paper’s DA) and flushing on a timeout. ' +
          'Press **Run all**. For every policy at several load levels (including adaptive ones and busy guests sharing the CPU), ' +
          'with a Pareto verdict, run `rxlab sweep tradeoff`.',
      }),
      cell('sweep', { system: 'LRO', workload: 'stream', vary: [{ key: 'flush_every_polls', from: 1, to: 8, step: 1 }], seeds: 3, set: { flush_policy: 'every-k' } }),
      cell('plot', { x: 'flush_latency_us.mean', y: 'throughput_mbps', source: 'previous' }),
      cell('sweep', { system: 'LRO', workload: 'stream', vary: [{ key: 'flush_timeout_us', from: 10, to: 160, step: 30 }], seeds: 3, set: { flush_policy: 'timeout' } }),
      cell('plot', { x: 'flush_latency_us.mean', y: 'throughput_mbps', source: 'previous' }),
    ];
  }
  return [];
}
