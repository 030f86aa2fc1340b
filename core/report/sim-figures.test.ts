import { describe, expect, it } from 'vitest';
import { useTempService } from '../handlers/temp-service.js';
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
});
