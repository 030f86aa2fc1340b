import { describe, expect, it } from 'vitest';
import type { StoredRun } from '../contract/index.js';
import { LEAD_KEEP_LINES, renderReportHtml, tableHtml, wrappable } from './html.js';
import { simulatedSummary } from './sections.js';
import type { ReportModel, Section, TableData } from './types.js';

/** How the report prints tables: as the app shows the same numbers. */
describe('report tables', () => {
  it('colours an error against the paper by the tolerance, as the app does, not by its sign', () => {
    const t: TableData = {
      id: 't',
      title: 'Table IV',
      columns: ['System', 'Δ sim vs paper (%)', 'Δ measured vs paper (%)', 'Sim vs meas. (%)'],
      rows: [
        ['Xen', 2.0, -85, 578.1],
        ['Linux', -1.5, -5.2, -3],
        ['DA', -2.7, 10.4, null],
      ],
      deltaColumns: [1, 2, 3],
      tolerance: { columns: [1, 2], pct: 3 },
    };
    const html = tableHtml(t);
    // +2.0 % is inside ±3 %: the app's green, not red for "up"; every negative one was blue
    expect(html).toContain('<td class="n ok">+2.0</td>');
    expect(html).toContain('<td class="n ok">−1.5</td>');
    expect(html).toContain('<td class="n meh">−5.2</td>');
    expect(html).toContain('<td class="n bad">−85.0</td>');
    expect(html).toContain('<td class="n bad">+10.4</td>');
    // simulated vs measured is no error against the paper: signed, uncoloured
    expect(html).toContain('<td class="n">+578.1</td>');
    expect(html).not.toMatch(/class="n (up|down)"/);
    // the LRO rate's ±5 %: −4 % is inside
    expect(tableHtml({ ...t, rows: [['LRO', -4, null, null]], tolerance: { columns: [1], pct: 5 } })).toContain('<td class="n ok">−4.0</td>');
  });

  it('breaks no short label or unit mid-token: "TCP_ STREAM", "cycles/ B" and "Transactions/ s" were printed', () => {
    for (const text of ['TCP_STREAM', 'TCP_RR', 'Total (cycles/B)', 'Transactions/s', 'rrul_be: Ping']) expect(wrappable(text)).not.toContain('<wbr>');
    // long names still wrap at their separators
    expect(wrappable('cycles_per_byte.total')).toBe('cycles_<wbr>per_<wbr>byte.<wbr>total');
    expect(wrappable('netperf-2.4.4-manual-tcp_stream-demo.txt')).toContain('tcp_<wbr>stream');
    // a row's short label is kept on one line; a long first cell (a file name) may wrap
    const html = tableHtml({ id: 'x', title: 'x', columns: ['System', 'v'], rows: [['LRO TCP_STREAM', 1], ['netperf-2.4.4-manual-tcp_stream-demo-interim-MBytes.txt', 2]] });
    expect(html).toContain('<td class="label">LRO TCP_STREAM</td>');
    expect(html).toContain('<td>netperf-2.4.4-manual-tcp_<wbr>stream-demo-interim-MBytes.<wbr>txt</td>');
  });

  it('prints a Simulation cell as the app does: a row per system, TCP_RR from the RR runs, the stream figures from the stream runs only', () => {
    const run = (id: number, workload: 'stream' | 'rr', metrics: Record<string, number>): StoredRun =>
      ({ id, kind: 'simulated', system: 'LRO', workload, label: null, importedFileId: null, detail: null, metrics, provenance: { appVersion: 'x', modelVersion: 'm', parameters: {}, seed: id, inputSha256: null, createdAt: '' } }) as StoredRun;
    const sim = [
      ...[1, 2, 3].map((i) => run(i, 'stream', { throughput_mbps: 570 + i, lro_rate: 2.1 + i / 100, 'flush_latency_us.mean': 0.8 })),
      // an RR run aggregates one request at a time: its LRO rate of 1 and its 0.383 µs mean nothing
      ...[4, 5, 6].map((i) => run(i, 'rr', { throughput_mbps: 0.04, lro_rate: 1, 'flush_latency_us.mean': 0.383, rr_transactions_per_s: 5140 + i })),
    ];
    const b = simulatedSummary('c', sim);
    if (b.type !== 'table') throw new Error('a table');
    const t = b.table;
    expect(t.columns).toEqual(['System', 'n', 'Throughput (Mbit/s)', 'LRO rate (pkts/aggr.)', 'Flush latency (µs, mean)', 'TCP_RR (trans./s)']);
    expect(t.rows).toEqual([['LRO', 3, '572.0 ± 2.5', '2.120 ± 0.025', '0.8 ± 0', '5145.0 ± 2.5']]);
  });

  it('lets a long section break between blocks, its heading kept with what follows; a short one stays together', () => {
    const row = (i: number): (string | number)[] => [`r${i}`, i];
    const section = (rows: number, configKeys: number): Section => ({
      cellId: 'c',
      kind: 'simulation',
      heading: 'Simulation',
      stale: false,
      config: Object.fromEntries(Array.from({ length: configKeys }, (_, i) => [`k${i}`, 'v'])),
      runIds: [],
      blocks: [
        { type: 'note', text: 'A note.' },
        { type: 'table', table: { id: 't', title: 'Summary', columns: ['a', 'b'], rows: Array.from({ length: rows }, (_, i) => row(i)) } },
        { type: 'note', text: 'After.' },
      ],
    });
    const model = (s: Section): ReportModel => ({
      notebookId: 1,
      title: 't',
      createdAt: '',
      updatedAt: '',
      env: { appVersion: 'x', modelVersions: [], host: 'h', os: 'o', node: 'n', generatedAt: '2026-01-01T00:00:00Z' },
      sections: [s],
      figures: [],
      runs: new Map(),
      files: [],
      measuredSystems: new Map(),
    });
    const body = (s: Section): string => /<section class="cell[^>]*>(.*?)<\/section>/s.exec(renderReportHtml(model(s)))?.[1] ?? '';
    // short: heading, configuration, note and table in one block that is never split
    expect(body(section(5, 3))).toMatch(/^<div class="keep"><h2>1\. Simulation<\/h2><div class="config">.*<table class="keep" id="t">.*<\/table><\/div>/s);
    // long (a 20-row table under 12 settings passes LEAD_KEEP_LINES): the table is no longer inside the heading's block
    expect(3 + 13 + 2 + 3 + 20 * 1.6).toBeGreaterThan(LEAD_KEEP_LINES);
    expect(body(section(20, 12))).toMatch(/^<div class="keep"><h2>1\. Simulation<\/h2><div class="config">.*?<p class="note">A note\.<\/p><\/div><table class="keep" id="t">/s);
  });
});
