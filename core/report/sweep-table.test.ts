import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableExport } from '../handlers/report-exports.js';
import { getNotebook, saveCells } from '../store/notebooks.js';
import { buildReportModel } from './model.js';
import { makeFixture, type Fixture } from './test-fixture.js';

describe('report: a sweep\'s points table', () => {
  let f: Fixture;
  beforeAll(() => {
    f = makeFixture();
    // as a real sweep stores them: many metrics, the swept ones late in the alphabet
    const nb = getNotebook(f.service.db, f.notebookId);
    const cells = nb.cells.map((c) => {
      if (c.kind !== 'sweep') return c;
      const out = c.output as { points: { metrics: Record<string, unknown> }[] };
      for (const p of out.points) {
        for (const m of ['acks_per_segment', 'cpu_busy_share.dom0', 'cpu_busy_share.guest', 'cpu_busy_share.idle', 'cpu_busy_share.xen', 'cycles_per_byte.driver', 'drops.nic_ring']) p.metrics[m] = { mean: 0.5, lo: 0.4, hi: 0.6, halfWidth: 0.1, n: 3 };
      }
      return { ...c, config: { ...c.config, y: 'flush_latency_us.mean' } };
    });
    saveCells(f.service.db, f.notebookId, cells);
  });
  afterAll(() => f.cleanup());

  it('prints the metrics the sweep is about first, and its CSV export has every metric', () => {
    const model = buildReportModel(f.service.db, f.notebookId);
    const sweep = model.sections.find((s) => s.kind === 'sweep')!;
    const table = sweep.blocks.flatMap((b) => (b.type === 'table' ? [b.table] : [])).find((t) => t.id.endsWith('-points'))!;
    // headed as the app's sweep table heads them (metricLabel, with units), not by internal names
    expect(table.columns.slice(0, 3)).toEqual(['flush_every_polls', 'Flush latency, mean (µs)', 'Throughput (Mbit/s)']);
    expect(table.columns).toContain('CPU busy share, dom0 (fraction)');
    expect(table.columns).toHaveLength(7);
    expect(table.note).toBe('3 more metrics in the CSV export.');
    // each point's 95 % interval, as the other tables print one
    const acks = table.columns.indexOf('ACKs per data segment (ACKs)');
    expect(table.rows.map((r) => r[acks])).toEqual(table.rows.map(() => '0.50 ± 0.10'));
    expect(table.rows.every((r) => /^\d+(\.\d+)? ± \d+(\.\d+)?$/.test(String(r[2])))).toBe(true);
    const csv = tableExport(f.service.db, f.notebookId, table.id, 'csv')!;
    expect(csv.split('\r\n')[0]?.split(',')).toEqual([
      'flush_every_polls', 'acks_per_segment', 'cpu_busy_share.dom0', 'cpu_busy_share.guest', 'cpu_busy_share.idle', 'cpu_busy_share.xen', 'cycles_per_byte.driver', 'drops.nic_ring', 'flush_latency_us.mean', 'throughput_mbps',
    ]);
  });
});
