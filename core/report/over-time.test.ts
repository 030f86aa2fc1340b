import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempService } from '../handlers/temp-service.js';
import { realLogsDir } from '../logs/real-logs-dir.js';
import { renderReportHtml } from './html.js';
import { buildReportModel } from './model.js';

const service = useTempService('rxlab-report-over-time-');

describe('the report draws imported runs over time, as the Import cell does', () => {
  it('flent RRUL: a rate figure and a latency figure; a netperf demo run: its nine interim results', async () => {
    const s = service();
    const up = async (tool: string, name: string): Promise<{ id: number; runIds: number[] }> => {
      const r = await s.invoke('log.import', { fileName: name, dataBase64: readFileSync(join(realLogsDir(), tool, name)).toString('base64') });
      return { id: r.file.id, runIds: r.runIds };
    };
    const flent = await up('flent', 'flent-test-rrul.flent.gz');
    const demo = await up('netperf', 'netperf-2.7.0-manual-migrated-tcp_stream-demo-interim-ending-at.txt');
    const rr = await up('netperf', 'netperf-2.4.4-manual-tcp_rr-default.txt');
    const nb = await s.invoke('notebook.create', { title: 'over time' });
    await s.invoke('notebook.save', {
      id: nb.id,
      cells: [{ id: '00000000-0000-4000-8000-0000000000a1', kind: 'import', config: {}, output: { files: [flent, demo, rr].map((f) => ({ fileId: f.id, runIds: f.runIds })) } }],
    });
    const model = buildReportModel(s.db, nb.id);
    const titles = model.figures.map((f) => f.title);
    expect(titles).toEqual([
      'flent-test-rrul.flent.gz over time (Mbit/s)',
      'flent-test-rrul.flent.gz over time (ms)',
      'netperf-2.7.0-manual-migrated-tcp_stream-demo-interim-ending-at.txt over time (Mbit/s)',
    ]); // the TCP_RR log has no time series, so no figure
    const ping = model.figures[1];
    expect(ping?.spec.type === 'line' && ping.spec.series.map((x) => x.name)).toContain('Ping (ms) ICMP');
    expect(ping?.caption).toContain('drawn as 600 bucket means');
    // each figure names the runs it draws, not the whole file's (the ping figure listed every flent flow)
    for (const f of model.figures.slice(0, 2)) expect(f.runIds).toHaveLength(f.spec.type === 'line' ? f.spec.series.length : -1);
    expect(ping?.runIds.length).toBeLessThan(flent.runIds.length);
    const one = model.figures[2];
    expect(one?.spec.type === 'line' && one.spec.series[0]?.points.map((p) => p.y)).toEqual([36.46, 59.19, 73.39, 84.01, 75.63, 55.52, 70.94, 80.66, 86.42]);
    expect(one?.data.rows).toHaveLength(9);
    const html = renderReportHtml(model);
    expect(html).toContain('over time (ms)');
    // Appendix A: each flent series as one summary row (points, range, min/mean/max), not pages of its samples
    const appendix = html.slice(html.indexOf('Appendix A.'));
    expect(appendix).toContain('flent-test-rrul.flent.gz over time (ms): each series summarised');
    expect(appendix).toMatch(/<tr><td class="label">Ping \(ms\) ICMP<\/td><td class="n">600<\/td>/);
    expect(appendix).not.toMatch(/First \d+ of [\d,]+ rows/);
    expect(appendix.length).toBeLessThan(60_000);
  });

  it('netperf -v 2 histograms: a table of latency percentiles, each "≤" its bucket edge', async () => {
    const s = service();
    const r = await s.invoke('log.import', { fileName: 'rr-hist.txt', dataBase64: readFileSync(join(realLogsDir(), 'netperf', 'netperf-2.4.4-manual-tcp_rr-v2-histogram.txt')).toString('base64') });
    const nb = await s.invoke('notebook.create', { title: 'latency' });
    await s.invoke('notebook.save', { id: nb.id, cells: [{ id: '00000000-0000-4000-8000-0000000000b1', kind: 'import', config: {}, output: { files: [{ fileId: r.file.id, runIds: r.runIds }] } }] });
    const model = buildReportModel(s.db, nb.id);
    const table = model.sections.flatMap((x) => x.blocks).find((b) => b.type === 'table' && b.table.title === 'Latency percentiles from netperf histograms');
    expect(table?.type === 'table' && table.table.rows).toEqual([[r.runIds[0], 'rr-hist.txt #1', 'request/response time', 35391, '≤ 200 µs', '≤ 200 µs', '≤ 8 ms']]);
    // and as a figure: a step from 0 % at 100 µs to 97.4 % at 200 µs … 100 % at 20 ms, on a log axis
    const fig = model.figures.find((f) => f.title === 'Distribution of the request/response time (netperf histograms)');
    expect(fig?.spec.type === 'line' && fig.spec.xLog).toBe(true);
    const pts = fig?.spec.type === 'line' ? fig.spec.series[0]?.points : [];
    expect(pts?.[0]).toEqual({ x: 100, y: 0 });
    expect(pts?.[1]?.x).toBe(200);
    expect(pts?.[1]?.y).toBeCloseTo((100 * 34480) / 35391, 9);
    expect(pts?.at(-1)).toEqual({ x: 20000, y: 100 });
  });

  it('a Plot cell\'s measured series (your runs beside a size sweep) is drawn as markers, as the paper\'s points are', async () => {
    const s = service();
    const nb = await s.invoke('notebook.create', { title: 'sizes' });
    const series = [
      { name: 'Xen stream', x: [8192, 16384], y: [530, 540], err: [2, 3] },
      { name: 'Measured (2 imported runs)', x: [16384], y: [4006.6], err: [12743], measured: true },
    ];
    await s.invoke('notebook.save', { id: nb.id, cells: [{ id: '00000000-0000-4000-8000-0000000000c1', kind: 'plot', config: {}, output: { series, xLabel: 'message_bytes', yLabel: 'throughput_mbps', sourceCellId: null, ranAt: 't' } }] });
    const fig = buildReportModel(s.db, nb.id).figures[0];
    const drawn = fig?.spec.type === 'line' ? fig.spec.series : [];
    expect(drawn.map((x) => [x.name, x.line ?? 'default', x.markers ?? 'default'])).toEqual([
      ['Xen stream', 'default', 'default'],
      ['Measured (2 imported runs)', false, true],
    ]);
  });
});
