import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempService } from '../handlers/temp-service.js';
import { realLogsDir } from '../logs/real-logs-dir.js';
import { renderReportHtml } from './html.js';
import { buildReportModel } from './model.js';
import { renderChart } from './svg.js';
import type { TableData } from './types.js';

const service = useTempService('rxlab-report-import-section-');

/** An Import section prints what the Import cell shows: a profile as a profile, a series without throughput with its mean. */
describe('an Import section of real logs', () => {
  it('prints an opreport profile as the cell does, flent Ping series with a value, and is named by its files', async () => {
    const s = service();
    const up = async (tool: string, name: string): Promise<{ fileId: number; runIds: number[] }> => {
      const r = await s.invoke('log.import', { fileName: name, dataBase64: readFileSync(join(realLogsDir(), tool, name)).toString('base64') });
      return { fileId: r.file.id, runIds: r.runIds };
    };
    const xeno = 'xenoprof-rhel5-xen3.1-opreport-t1-symbols-3thread-columns-xen-syms-booktypeset.txt';
    const prof = await up('oprofile', xeno);
    const flent = await up('flent', 'flent-test-rrul.flent.gz');
    const mbytes = await up('netperf', 'netperf-2.4.4-manual-tcp_stream-demo-interim-MBytes.txt');
    const nb = await s.invoke('notebook.create', { title: 'imports' });
    await s.invoke('notebook.save', {
      id: nb.id,
      cells: [
        { id: '00000000-0000-4000-8000-0000000000b1', kind: 'import', config: { system: 'Xen' }, output: { files: [prof] } },
        { id: '00000000-0000-4000-8000-0000000000b2', kind: 'import', config: {}, output: { files: [flent, mbytes] } },
      ],
    });
    const model = buildReportModel(s.db, nb.id);
    const [p, f] = model.sections;
    // named by their logs: both were "Imported measurements"
    expect(p?.heading).toBe(`Imported: ${xeno}`);
    expect(f?.heading).toBe('Imported: flent-test-rrul.flent.gz, netperf-2.4.4-manual-tcp_stream-demo-interim-MBytes.txt');

    // the profile: no records row of dashes, but its CPU, events, samples by domain and top rows
    const tables = (sec: typeof p): TableData[] => (sec?.blocks ?? []).flatMap((b) => (b.type === 'table' ? [b.table] : []));
    expect(tables(p).some((t) => t.id.endsWith('-records'))).toBe(false);
    const notes = (p?.blocks ?? []).flatMap((b) => (b.type === 'note' ? [b.text] : []));
    expect(notes).toContain('Profile: Core 2 @ 2400.08 MHz · events: BUS_IO_WAIT (count 500). Samples by domain: hypervisor 32 / 15 / 0 · driver 3 / 0 / 0');
    const rows = tables(p).find((t) => t.id.includes('-profile-'));
    expect(rows?.columns).toEqual(['Samples', '% (tid 0 / tid 463 / tid 14185)', 'Image', 'Symbol', 'Domain']);
    expect(rows?.rows[0]).toEqual(['32 / 15 / 0', '91.4286 / 93.75 / 0', 'xen-syms-2.6.18-53.1.14.el5.debug', 'pit_read_counter', 'hypervisor']);
    expect(rows?.rows).toHaveLength(4);

    // flent: a Ping (ms) series has its mean in its units; a computed mean prints without float noise
    const records = tables(f).find((t) => t.id.endsWith('-records'));
    const col = (name: string): number => records?.columns.indexOf(name) ?? -1;
    const icmp = records?.rows.find((r) => r[col('Test')] === 'flent rrul_be: Ping (ms) ICMP');
    expect(icmp?.[col('Note')]).toBe('mean 55.98 ms over 750 samples');
    const avg = records?.rows.find((r) => r[col('Test')] === 'flent rrul_be: TCP download avg');
    expect(avg?.[col('Throughput')]).toBe('2.195');
    // no testbed named: the System column is left off the page, kept in the export
    expect(records?.columns).not.toContain('System');
    expect(records?.full?.columns).toContain('System');
    const html = renderReportHtml(model);
    expect(html).not.toContain('2.1950000000000003');

    // a ±1 % wobble over time is drawn from zero, as the cell's chart (rangemode 'tozero')
    const fig = model.figures.find((x) => x.title.startsWith('netperf-2.4.4-manual-tcp_stream-demo-interim-MBytes.txt over time'));
    expect(fig?.spec.type === 'line' && fig.spec.yToZero).toBe(true);
    const ticks = [...(fig ? renderChart(fig.spec).svg : '').matchAll(/text-anchor="end">([^<]*)</g)].map((m) => m[1]);
    expect(ticks[0]).toBe('0');
  });
});
