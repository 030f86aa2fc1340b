import { randomUUID } from 'node:crypto';
import type { CellInput } from './contract/index.js';
import type { TemplateName } from './contract/templates.js';

/**
 * Ready-made notebooks: the first-start "Reproduce the paper", the flush-policy trade-off and the
 * LRO-placement studies, "My testbed beside the paper" (one Import cell per configuration), and
 * "How good is the model?" (the reproduction with its sensitivity, cross-validation and profile panels).
 */
export function templateCells(template: 'blank' | TemplateName): CellInput[] {
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
  if (template === 'placement') {
    const systems = ['Xen', 'LRO', 'DA'];
    return [
      cell('markdown', {
        source:
          '# Where should LRO run?\n\nThe paper aggregates in dom0’s physical NIC driver. Linux can also aggregate in the guest’s netfront ' +
          '(knob `netfront_lro`): guest TCP then sees fewer, larger segments and ACKs less often, and every ACK it does not send saves dom0 ' +
          'its netback TX, bridge and NIC transmit work. The first cell runs Xen (no LRO), LRO and DA as calibrated; the second the same three ' +
          'with LRO in netfront too (for Xen: in netfront only). Compare throughput, driver-domain cycles/byte and, under *All metrics*, ACKs per ' +
          'data segment and the netfront LRO rate. The paper’s tables side with the first cell: recalibrated with LRO in netfront, ' +
          'the model fits 9 of the 25 cells instead of 20.',
      }),
      cell('simulation', { systems, workload: 'stream', seeds: 3, set: {} }),
      cell('simulation', { systems, workload: 'stream', seeds: 3, set: { netfront_lro: 'on' } }),
    ];
  }
  if (template === 'testbed') {
    const systems = ['Linux', 'Xen', 'LRO', 'BO', 'DA'] as const;
    return [
      cell('markdown', {
        source:
          '# My testbed beside the paper\n\nOne Import cell per configuration below, each marked *Measured on* its system. ' +
          'Drop into each the logs of that configuration: netperf TCP_STREAM output (Table IV), TCP_RR output (Table VII) and an ' +
          'opreport/xenoprof profile taken during the stream run (Table V: cycles per byte per domain). Leave a cell empty if you did not ' +
          'measure that configuration. Then press **Run all**: the Compare cell sets paper, simulation and your measurements side by side, ' +
          'row by row, with the arithmetic behind every measured number.',
      }),
      cell('simulation', { systems: [...systems], workload: 'both', seeds: 3, set: {} }),
      ...systems.map((system) => cell('import', { system })),
      cell('compare', { sources: 'all', measuredSystem: 'Xen', chart: 'IV' }),
    ];
  }
  if (template === 'diagnostics') {
    return [
      cell('markdown', {
        source:
          '# How good is the model?\n\nThe Compare cell below sets the five simulated systems beside the paper’s Tables IV–VII. Every one of those ' +
          'cells was also a target of the calibration, so its error says how well one shared parameter set can *fit* the tables, not what the ' +
          'model predicts. Press **Run all**, then open the Compare cell’s three panels:\n\n' +
          '- **Which knob moves which cell…** — the elasticity of every cell to every fitted multiplier, and for each cell outside tolerance the ' +
          'single multiplier and the joint move that would close it, simulated to show what it costs the other cells (about 30 s). ' +
          'Its global method (Morris screening) asks the same over ×/÷2.\n' +
          '- **How well does it predict what it was not fitted on…** — the calibration re-run without one system (or one table) at a time, and ' +
          'each cell predicted by the fit that never saw it. With the full budget each fit takes as long as `rxlab calibrate` (minutes); ' +
          'try 110 evaluations per fit first for a rough answer.\n' +
          '- **How firmly do the tables hold each cost…** — one multiplier at a time held at ×0.5 … ×2 of the fit while the calibration refits the ' +
          'others: a curve that rises on both sides says the tables pin that cost, a flat side says other costs can stand in for it ' +
          '(about 16 s per refit; try one or two multipliers first).\n\n' +
          'The same analyses from a terminal: `rxlab calibrate --sensitivity`, `--morris 8`, `--cross-validate` and `--profile`; `rxlab calibrate --implied` ' +
          'shows the per-function costs Table V would need.',
      }),
      cell('simulation', { systems: ['Linux', 'Xen', 'LRO', 'BO', 'DA'], workload: 'both', seeds: 3, set: {} }),
      cell('compare', { sources: 'all', chart: 'V' }),
    ];
  }
  return [];
}
