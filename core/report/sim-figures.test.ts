import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempService } from '../handlers/temp-service.js';
import { realLogsDir } from '../logs/real-logs-dir.js';
import { renderReportHtml } from './html.js';
import { buildReportModel } from './model.js';

const service = useTempService('rxlab-report-sim-over-time-');

describe('the report draws traced simulations over time, as the Simulation cell does', () => {
  it('throughput and LRO rate for stream runs, the transaction rate for RR runs; untraced runs give no figure', async () => {
    const s = service();
    const set = { duration_s: 0.02, warmup_s: 0.01, trace_ms: 2 };
    const runs = (['LRO', 'Xen'] as const).flatMap((system) =>
      (['stream', 'rr'] as const).flatMap((workload) => [1, 2].map((seed) => ({ system, workload, seed, set }))),
    );
    const traced = await s.invoke('sim.run', { jobId: 'j1', runs });
    const plain = await s.invoke('sim.run', { jobId: 'j2', runs: [{ system: 'DA', workload: 'stream', seed: 1, set: { duration_s: 0.02, warmup_s: 0.01 } }] });
    const nb = await s.invoke('notebook.create', { title: 'traced' });
    await s.invoke('notebook.save', {
      id: nb.id,
      cells: [
        { id: '00000000-0000-4000-8000-0000000000c1', kind: 'simulation', config: {}, output: { runIds: traced.runs.map((r) => r.id) } },
        { id: '00000000-0000-4000-8000-0000000000c2', kind: 'simulation', config: {}, output: { runIds: plain.runs.map((r) => r.id) } },
      ],
    });
    const model = buildReportModel(s.db, nb.id);
    const over = model.figures.filter((f) => f.title.includes('over time'));
    expect(over.map((f) => f.title)).toEqual(['Simulated throughput over time', 'Simulated TCP_RR rate over time', 'Simulated LRO rate over time']);
    const [tput, rr, lro] = over;
    expect(tput?.spec.type === 'line' && tput.spec.series.map((x) => x.name)).toEqual(['LRO TCP_STREAM', 'Xen TCP_STREAM']);
    expect(rr?.spec.type === 'line' && rr.spec.series.map((x) => x.name)).toEqual(['LRO TCP_RR', 'Xen TCP_RR']);
    expect(lro?.spec.type === 'line' && lro.spec.series.map((x) => x.name)).toEqual(['LRO TCP_STREAM']);
    // 15 intervals of 2 ms, each the mean of the two seeds' traces
    expect(tput?.data.rows).toHaveLength(30);
    const seeds = traced.runs.filter((r) => r.system === 'LRO' && r.workload === 'stream');
    const at = (r: (typeof seeds)[number], i: number): number => (r.detail as { over_time: { throughput_mbps: number[] } }).over_time.throughput_mbps[i]!;
    const row = tput?.data.rows[7];
    expect(row?.[0]).toBe('LRO TCP_STREAM');
    expect(row?.[2]).toBeCloseTo((at(seeds[0]!, 7) + at(seeds[1]!, 7)) / 2, 2);
    expect(tput?.caption).toContain('Every 2 ms of simulated time');
    expect(tput?.runIds).toHaveLength(4);
    expect(renderReportHtml(model)).toContain('Simulated TCP_RR rate over time');
  });

  it('draws the measured runs of the Import cells above beside the model when the cell shows them so', async () => {
    const s = service();
    const name = 'netperf-2.7.0-manual-migrated-tcp_stream-demo-interim-ending-at.txt';
    const log = await s.invoke('log.import', { fileName: name, dataBase64: readFileSync(join(realLogsDir(), 'netperf', name)).toString('base64') });
    const sim = await s.invoke('sim.run', { jobId: 'j3', runs: [{ system: 'DA', workload: 'stream', seed: 1, set: { duration_s: 0.02, warmup_s: 0.01, trace_ms: 5 } }] });
    const cells = (beside: boolean, n: number) => [
      { id: `00000000-0000-4000-8000-0000000000d${n}`, kind: 'import' as const, config: {}, output: { files: [{ fileId: log.file.id, runIds: log.runIds }] } },
      { id: `00000000-0000-4000-8000-0000000000e${n}`, kind: 'simulation' as const, config: { overTimeView: { beside } }, output: { runIds: sim.runs.map((r) => r.id) } },
    ];
    const nb = await s.invoke('notebook.create', { title: 'beside' });
    await s.invoke('notebook.save', { id: nb.id, cells: cells(true, 1) });
    const fig = buildReportModel(s.db, nb.id).figures.find((f) => f.title === 'Simulated throughput over time');
    const names = fig?.spec.type === 'line' ? fig.spec.series.map((x) => x.name) : [];
    expect(names).toEqual(['DA TCP_STREAM', `measured: ${name} · TCP_STREAM (line 1)`]);
    const measured = fig?.spec.type === 'line' ? fig.spec.series[1]?.points.map((p) => p.y) : [];
    expect(measured).toEqual([36.46, 59.19, 73.39, 84.01, 75.63, 55.52, 70.94, 80.66, 86.42]);
    expect(fig?.caption).toContain('1 measured run(s) from the Import cells above');
    expect(fig?.caption).toMatch(/The measured runs last up to 1\d\.\d s, the simulation 0\.0300 s: set the knob duration_s/);
    expect(fig?.data.rows.filter((r) => String(r[0]).startsWith('measured:'))).toHaveLength(9);

    const nb2 = await s.invoke('notebook.create', { title: 'not beside' });
    await s.invoke('notebook.save', { id: nb2.id, cells: cells(false, 2) });
    const plain = buildReportModel(s.db, nb2.id).figures.find((f) => f.title === 'Simulated throughput over time');
    expect(plain?.spec.type === 'line' && plain.spec.series.map((x) => x.name)).toEqual(['DA TCP_STREAM']);

    // a CPU share is drawn too when the cell shows one
    const nb3 = await s.invoke('notebook.create', { title: 'cpu' });
    const withCpu = cells(false, 3).map((c) => (c.kind === 'simulation' ? { ...c, config: { overTimeView: { measure: 'cpu.guest' } } } : c));
    await s.invoke('notebook.save', { id: nb3.id, cells: withCpu });
    const titles = buildReportModel(s.db, nb3.id).figures.map((f) => f.title).filter((t) => t.includes('over time') && t.startsWith('Simulated'));
    expect(titles).toEqual(['Simulated throughput over time', 'Simulated LRO rate over time', 'Simulated CPU busy, guest over time']);
  });
});

describe('figure numbers follow the page', () => {
  it('numbers a Simulation cell\'s paper comparison before its over-time figures', async () => {
    const s = service();
    const sim = await s.invoke('sim.run', { jobId: 'j4', runs: [{ system: 'DA', workload: 'stream', seed: 1, set: { duration_s: 0.02, warmup_s: 0.01, trace_ms: 5 } }] });
    const nb = await s.invoke('notebook.create', { title: 'order' });
    await s.invoke('notebook.save', { id: nb.id, cells: [{ id: '00000000-0000-4000-8000-0000000000f1', kind: 'simulation', config: {}, output: { runIds: sim.runs.map((r) => r.id) } }] });
    const model = buildReportModel(s.db, nb.id);
    const inPage = model.sections.flatMap((x) => x.blocks).filter((b) => b.type === 'figure').map((b) => (b.type === 'figure' ? b.figure.number : 0));
    expect(inPage.length).toBeGreaterThan(2);
    expect(inPage).toEqual([...inPage].sort((a, b) => a - b));
  });
});
