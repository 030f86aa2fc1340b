import { describe, expect, it } from 'vitest';
import { getRuns } from '../store/runs.js';
import { renderReportHtml } from './html.js';
import { buildReportModel } from './model.js';
import { IMPORTED_THROUGHPUT, makeFixture } from './test-fixture.js';
import type { TableData } from './types.js';
import { intervalText, summarize } from './stats.js';
import { fmtNum } from './escape.js';

describe('a Compare cell that names runs and logs by id', () => {
  it('is reported with those runs and logs: simulated and measured columns, and their provenance', async () => {
    const f = makeFixture();
    try {
      const xen = f.simRunIds.filter((id) => getRuns(f.service.db, [id])[0]?.system === 'Xen' && getRuns(f.service.db, [id])[0]?.workload === 'stream');
      expect(xen).toHaveLength(3);
      const nb = await f.service.invoke('notebook.create', { title: 'by id' });
      const config = { runIds: `${Math.min(...xen)}-${Math.max(...xen)}`, fileIds: `Xen: ${f.fileId}`, measuredSystem: 'Xen' };
      await f.service.invoke('notebook.save', { id: nb.id, cells: [{ id: 'eeeeeeee-9', kind: 'compare', config }] });
      const model = buildReportModel(f.service.db, nb.id);
      const tables = model.sections.flatMap((s) => s.blocks).flatMap((b) => (b.type === 'table' ? [b.table] : [])) as TableData[];
      const iv = tables.find((t) => t.id.endsWith('-table-iv'));
      const row = iv?.rows.find((r) => r[0] === 'Xen');
      const col = (name: RegExp): number => iv?.columns.findIndex((c) => name.test(c)) ?? -1;
      // printed as the app prints them: mean ± half-width, one measured run with its n
      const sim = summarize(getRuns(f.service.db, xen).map((r) => r.metrics['throughput_mbps'] ?? NaN));
      expect(row?.[col(/^Simulated/)]).toBe(sim && intervalText(sim));
      expect(row?.[col(/^Measured/)]).toBe(`${fmtNum(IMPORTED_THROUGHPUT)} (n = 1)`);
      // the export keeps the numbers
      const full = iv?.full?.rows.find((r) => r[0] === 'Xen');
      expect(full?.[iv?.full?.columns.indexOf('Simulated') ?? -1]).toBe(sim?.mean);
      expect(full?.[iv?.full?.columns.indexOf('Measured') ?? -1]).toBe(IMPORTED_THROUGHPUT);
      // the figure's provenance names the stored runs
      const figs = model.sections.flatMap((s) => s.blocks).flatMap((b) => (b.type === 'figure' ? [b.figure] : []));
      const fig = figs.find((x) => /Table IV|throughput/i.test(x.title));
      for (const id of xen) expect(fig?.runIds ?? []).toContain(id);
    } finally {
      f.cleanup();
    }
  });
});

describe('measured runs in the provenance tables', () => {
  it('carry their testbed (the Import cell\'s Measured on), not "–"', async () => {
    const f = makeFixture();
    try {
      const nb = await f.service.invoke('notebook.create', { title: 'testbed' });
      await f.service.invoke('notebook.save', { id: nb.id, cells: [{ id: 'ffffffff-9', kind: 'import', config: { system: 'LRO' }, output: { files: [{ fileId: f.fileId }] } }] });
      const model = buildReportModel(f.service.db, nb.id);
      const measured = [...model.runs.values()].filter((r) => r.kind === 'measured');
      expect(measured.length).toBeGreaterThan(0);
      for (const r of measured) expect(model.measuredSystems.get(r.id)).toBe('LRO');
      const html = renderReportHtml(model, {});
      expect(html).toMatch(/<td>measured<\/td><td>LRO<\/td>/);
      expect(html).not.toMatch(/<td>measured<\/td><td>–<\/td>/);
    } finally {
      f.cleanup();
    }
  });
});

describe('a Compare cell that never ran', () => {
  it('says so above its tables', async () => {
    const f = makeFixture();
    try {
      const nb = await f.service.invoke('notebook.create', { title: 'not run' });
      await f.service.invoke('notebook.save', { id: nb.id, cells: [{ id: 'abababab-1', kind: 'compare', config: { measuredSystem: 'Xen' } }] });
      const notes = buildReportModel(f.service.db, nb.id).sections.flatMap((s) => s.blocks).flatMap((b) => (b.type === 'note' ? [b.text] : []));
      expect(notes).toContainEqual(expect.stringMatching(/^This cell has not run/));
    } finally {
      f.cleanup();
    }
  });
});

describe('the profile comparison in the report', () => {
  it('names the event the measured shares count and warns when it is not cycles, as the cell does', async () => {
    const f = makeFixture();
    try {
      const nb = await f.service.invoke('notebook.create', { title: 'profile' });
      const profile = (event: string, cycles: boolean): unknown => ({
        simSystem: 'Xen',
        measuredFile: 'x.txt',
        measuredEvent: event,
        measuredCycles: cycles,
        domains: [{ domain: 'hypervisor', measuredPct: 91.43, simulatedPct: 20 }],
        functions: [{ name: 'pit_read_counter', domain: 'hypervisor', measuredPct: 91.43, simulatedPct: null }],
      });
      const cell = (id: string, event: string, cycles: boolean): unknown => ({ id, kind: 'compare', config: { measuredSystem: 'Xen' }, output: { tables: [], measuredNote: '', arithmetic: [], profile: profile(event, cycles), inputs: [] } });
      await f.service.invoke('notebook.save', { id: nb.id, cells: [cell('abcdabcd-1', 'BUS_IO_WAIT', false), cell('abcdabcd-2', 'CPU_CLK_UNHALTED', true)] as never });
      const model = buildReportModel(f.service.db, nb.id);
      const [bus, clk] = model.sections.map((s) => s.blocks);
      const tables = (bs: typeof bus): TableData[] => (bs ?? []).flatMap((b) => (b.type === 'table' ? [b.table] : []));
      const notes = (bs: typeof bus): string[] => (bs ?? []).flatMap((b) => (b.type === 'note' ? [b.text] : []));
      expect(notes(bus)).toContainEqual(expect.stringContaining('counted BUS_IO_WAIT, not CPU cycles'));
      expect(tables(bus).find((t) => t.id.endsWith('-profile-domains'))?.columns[1]).toBe('Measured (% of BUS_IO_WAIT samples)');
      expect(notes(clk).some((n) => /not CPU cycles/.test(n))).toBe(false);
      expect(tables(clk).find((t) => t.id.endsWith('-profile-functions'))?.columns[2]).toBe('Measured (% of cycles, CPU_CLK_UNHALTED)');
    } finally {
      f.cleanup();
    }
  });
});
