import { describe, expect, it } from 'vitest';
import type { SimGroup } from './notebook.js';
import { defaultTraceMetric, measuredFor, measuredOverTime, runOverTimeChart, simTraceChart, traceMetrics } from './sim-trace-chart.js';

const group = (system: string, workload: string, series: Record<string, (number | null)[]>, points = 3): SimGroup => ({
  system,
  workload,
  runIds: [1],
  metrics: {},
  functions: [],
  provenance: { appVersion: null, modelVersion: null, parameters: null, seeds: [1], inputSha256: null, createdAt: null },
  overTime: { interval_ms: 10, warmup_s: 0.01, seeds: 2, points, t: [0.01, 0.02, 0.03], series },
});
const cpu = { 'cpu.dom0': [0.2, 0.3, 0.3], 'cpu.guest': [0.1, 0.2, 0.2], 'cpu.xen': [0.5, 0.5, 0.5], 'cpu.other_guests': [0, 0, 0] };

describe('the Simulation cell\'s over-time chart', () => {
  it('offers the measures the runs have, other guests only when one was busy, and opens on the workload\'s rate', () => {
    const stream = group('DA', 'stream', { throughput_mbps: [500, 700, 720], lro_rate: [null, 4.5, 4.9], ...cpu });
    const rr = group('Xen', 'rr', { throughput_mbps: [0.1, 0.1, 0.1], rr_transactions_per_s: [5000, 5100, 5200], ...cpu });
    expect(traceMetrics([stream]).map((m) => m.key)).toEqual(['throughput_mbps', 'lro_rate', 'cpu.dom0', 'cpu.guest', 'cpu.xen']);
    expect(traceMetrics([stream, rr]).map((m) => m.key)).toContain('rr_transactions_per_s');
    expect(defaultTraceMetric([stream, rr])).toBe('throughput_mbps');
    expect(defaultTraceMetric([rr, stream])).toBe('rr_transactions_per_s');
    expect(defaultTraceMetric([group('Xen', 'stream', {})].map((g) => ({ ...g, overTime: undefined })))).toBeNull();
    const busy = group('DA', 'stream', { ...cpu, 'cpu.other_guests': [0, 0.4, 0.5] });
    expect(traceMetrics([busy]).map((m) => m.key)).toContain('cpu.other_guests');
  });

  it('draws one line per system with gaps where a measure has no value, and shades the warm-up', () => {
    const a = group('LRO', 'stream', { throughput_mbps: [500, 560, 570], lro_rate: [null, 2.2, 2.3] });
    const b = group('DA', 'stream', { throughput_mbps: [600, 700, 720], lro_rate: [4, 4.9, null] }, 3000);
    const c = simTraceChart([a, b], 'lro_rate')!;
    expect(c.data).toHaveLength(2);
    expect(c.data[0]).toMatchObject({ name: 'LRO', y: [null, 2.2, 2.3], connectgaps: false });
    const layout = c.layout as { title: { text: string }; shapes: { x1: number }[]; showlegend: boolean };
    expect(layout.title.text).toBe('LRO rate over time — mean of 2 seeds, every 10 ms (drawn as 3 bucket means of 3000 intervals)');
    expect(layout.shapes[0]!.x1).toBe(0.01);
    expect(layout.showlegend).toBe(true);
    // a measure no group has: no chart
    expect(simTraceChart([a], 'rr_transactions_per_s')).toBeNull();
  });

  it('names the workload when both are drawn, and shows shares as percentages', () => {
    const s = group('Xen', 'stream', { ...cpu, throughput_mbps: [500, 530, 535] });
    const r = group('Xen', 'rr', { ...cpu, throughput_mbps: [0.1, 0.1, 0.1], rr_transactions_per_s: [5000, 5100, 5200] });
    const c = simTraceChart([s, r], 'cpu.dom0')!;
    expect(c.data.map((d) => (d as { name: string }).name)).toEqual(['Xen stream', 'Xen rr']);
    // an RR run's throughput is left out beside a stream's; the transaction rate is the RR run's alone
    expect(simTraceChart([s, r], 'throughput_mbps')!.data.map((d) => (d as { name: string }).name)).toEqual(['Xen']);
    expect(simTraceChart([s, r], 'rr_transactions_per_s')!.data.map((d) => (d as { name: string }).name)).toEqual(['Xen']);
    expect(simTraceChart([r], 'throughput_mbps')!.data).toHaveLength(1); // an RR run alone keeps it
    expect((c.layout as { yaxis: { tickformat: string } }).yaxis.tickformat).toBe('.0%');
  });
});

describe('measured runs beside the model', () => {
  const demo = { line: 1, test: 'TCP_STREAM', interim: { throughput_units: '10^6bits/s', throughput: [600, 700], seconds: [1, 1], line: 2 } };
  const cells = [
    { id: 'a', kind: 'import', config: {}, output: { files: [{ fileName: 'demo.txt', document: { records: [demo] } }] } },
    { id: 'b', kind: 'markdown', config: {}, output: null },
    { id: 'c', kind: 'import', config: {}, output: { files: [{ fileName: 'rrul.flent.gz', document: { over_time: { series: [{ name: 'Ping', units: 'ms', t: [0.2, 0.4], v: [10, 11], points: 2, min: 10, max: 11, endS: 0.4 }], total: 1 } } }] } },
  ] as unknown as Parameters<typeof measuredOverTime>[0];

  it('collects every Import cell\'s runs over time, from the kept series or (older cells) the records, named by file', () => {
    const all = measuredOverTime(cells);
    expect(all.map((s) => [s.file, s.name, s.units])).toEqual([
      ['demo.txt', 'TCP_STREAM (line 1)', 'Mbit/s'],
      ['rrul.flent.gz', 'Ping', 'ms'],
    ]);
  });

  it('skips what a damaged Import cell holds instead of failing every Simulation cell below it', () => {
    const damaged = [
      { id: 'd1', kind: 'import', config: {}, output: { files: 'x' } },
      { id: 'd2', kind: 'import', config: {}, output: { files: [null, 3, { fileName: 7, document: 'x' }] } },
      { id: 'd3', kind: 'import', config: {}, output: { files: [{ fileName: 'bad.flent', document: { over_time: { series: [null, { name: 'x', units: 'ms', t: 'no', v: [] }] } } }] } },
      { id: 'd4', kind: 'import', config: {}, output: 'x' },
      { id: 'd5', kind: 'import', config: {}, output: { files: [{ fileName: 'bad2.flent', document: { over_time: { series: 'x' } } }] } },
      ...(cells as unknown as object[]),
    ] as unknown as Parameters<typeof measuredOverTime>[0];
    expect(measuredOverTime(damaged).map((s) => s.file)).toEqual(['demo.txt', 'rrul.flent.gz']);
  });

  it('offers only series in the measure\'s units, and draws them dotted beside the model', () => {
    const all = measuredOverTime(cells);
    expect(measuredFor('throughput_mbps', all).map((s) => s.file)).toEqual(['demo.txt']);
    expect(measuredFor('rr_transactions_per_s', all)).toEqual([]);
    expect(measuredFor('cpu.dom0', all)).toEqual([]);
    const g = group('DA', 'stream', { throughput_mbps: [500, 700, 720] });
    const c = simTraceChart([g], 'throughput_mbps', all)!;
    expect(c.data).toHaveLength(2);
    expect(c.data[1]).toMatchObject({ name: 'measured: demo.txt · TCP_STREAM (line 1)', x: [1, 2], y: [600, 700], line: { dash: 'dot' } });
    expect((c.layout as { showlegend: boolean }).showlegend).toBe(true);
  });
});

describe('a stored run over time (Stored runs view)', () => {
  const trace = { interval_ms: 1, warmup_s: 0, t_s: [0.001, 0.002], throughput_mbps: [700, 710], rr_transactions_per_s: [5000, 5100], lro_rate: null, cpu_busy_share: { dom0: [0, 0], guest: [0, 0], xen: [0, 0], other_guests: [0, 0] } };
  it('draws a traced simulated run\'s rate, an imported record\'s series, and nothing for the rest', () => {
    const stream = runOverTimeChart({ kind: 'simulated', workload: 'stream', detail: { over_time: trace } })!;
    expect(stream.data).toMatchObject([{ name: 'simulated', x: [0.001, 0.002], y: [700, 710] }]);
    const rr = runOverTimeChart({ kind: 'simulated', workload: 'rr', detail: { over_time: trace } })!;
    expect((rr.data[0] as { y: number[] }).y).toEqual([5000, 5100]);
    expect((rr.layout as { yaxis: { title: { text: string } } }).yaxis.title.text).toBe('transactions/s');
    const rec = { line: 1, test: 'TCP_STREAM', interim: { throughput_units: '10^6bits/s', throughput: [600, 700], seconds: [1, 1], line: 2 } };
    expect(runOverTimeChart({ kind: 'measured', workload: 'TCP_STREAM', detail: rec })!.data).toMatchObject([{ name: 'TCP_STREAM (line 1)', y: [600, 700] }]);
    expect(runOverTimeChart({ kind: 'simulated', workload: 'stream', detail: { throughput_mbps: 700 } })).toBeNull();
    expect(runOverTimeChart({ kind: 'measured', workload: 'TCP_STREAM', detail: { test: 'TCP_STREAM' } })).toBeNull();
  });
});

describe('over-time charts with more series than colours', () => {
  it('dash the ninth system on, as the PDF does; a measured run beside them stays dotted, in the next colour', () => {
    const groups = Array.from({ length: 9 }, (_, i) => group(`S${i}`, 'stream', { throughput_mbps: [1, 2, 3] }));
    const measured = [{ file: 'a.txt', name: 'TCP_STREAM', units: 'Mbit/s', t: [0, 1], v: [5, 6], points: 2 }];
    const sim = simTraceChart(groups, 'throughput_mbps', measured as unknown as Parameters<typeof simTraceChart>[2]);
    const lines = sim?.data.map((t) => (t as { line?: { color?: string; dash?: string } }).line);
    expect(lines?.map((l) => l?.dash)).toEqual([...Array<string>(8).fill('solid'), 'dash', 'dot']);
    expect(lines?.[8]?.color).toBe(lines?.[0]?.color);
    expect(lines?.[9]?.color).toBe(lines?.[1]?.color);
  });
});
