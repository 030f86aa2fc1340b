import { describe, expect, it } from 'vitest';
import type { RunListRow } from '../../../core/contract/index.js';
import { compareNotebook, rowLabel, shown, shownThroughput } from './runs-browser.js';
import { parseIds } from './runners.js';

const row = (over: Partial<RunListRow>): RunListRow => ({
  id: 1, kind: 'simulated', system: 'DA', workload: 'stream', label: 'simulation', seed: 1, modelVersion: 'rxsim-x',
  createdAt: '2026-11-26T00:00:00Z', importedFileId: null, fileName: null, metrics: {}, ...over,
});

describe('the stored-runs browser', () => {
  it('shows a simulated metric, else the measured one with its unit', () => {
    expect(shown(row({ metrics: { throughput_mbps: { value: 720.84, unit: null } } }), 'throughput_mbps', 'throughput')).toBe('720.8');
    expect(shown(row({ kind: 'measured', metrics: { throughput: { value: 941.2, unit: '10^6bits/s' } } }), 'throughput_mbps', 'throughput')).toBe('941.2 10^6bits/s');
    expect(shown(row({}), 'lro_rate', 'lro_rate')).toBe('—');
    // throughput is Mbit/s for every row (the sort's scale), with the logged value when its unit differs
    expect(shownThroughput(row({ metrics: { throughput_mbps: { value: 720.84, unit: null } } }))).toBe('720.8');
    expect(shownThroughput(row({ kind: 'measured', metrics: { throughput: { value: 941.2, unit: '10^6bits/s' } } }))).toBe('941.2');
    expect(shownThroughput(row({ kind: 'measured', metrics: { throughput: { value: 117.6, unit: 'MBytes/s' } } }))).toBe('986.5 (117.6 MBytes/s)');
    expect(shownThroughput(row({ kind: 'measured', metrics: { throughput: { value: 3, unit: 'furlongs/s' } } }))).toBe('3 furlongs/s');
    expect(shownThroughput(row({}))).toBe('—');
    expect(rowLabel(row({ label: 'a.txt #3', fileName: 'a.txt' }))).toBe('a.txt #3');
    expect(rowLabel(row({ label: 'renamed', fileName: 'a.txt' }))).toBe('renamed (a.txt)');
  });

  it('builds a Compare notebook whose id fields read back as the selection', () => {
    const sel = [row({ id: 7 }), row({ id: 5 }), row({ id: 6 }), row({ id: 40, kind: 'measured', importedFileId: 3 }), row({ id: 41, kind: 'measured', importedFileId: 3 })];
    const nb = compareNotebook(sel);
    expect(nb.title).toBe('Compare 5 stored runs');
    expect(nb.cells.map((c) => c.kind)).toEqual(['markdown', 'compare']);
    const cmp = nb.cells[1]?.config ?? {};
    expect(cmp).toMatchObject({ runIds: '5-7', fileIds: '3', measuredSystem: 'Xen' });
    expect(parseIds(cmp['runIds'], 'Stored runs', 100)).toEqual([5, 6, 7]);
    expect(parseIds(cmp['fileIds'], 'Imported files', 100)).toEqual([3]);
    expect(String(nb.cells[0]?.config['source'])).toContain('imported logs 3 (a Compare cell reads each log whole');
    expect(compareNotebook([row({ id: 2 })]).cells[1]?.config).toMatchObject({ runIds: '2', fileIds: '' });
  });
});
