import { describe, expect, test } from 'vitest';
import type { StoredRun } from '../contract/index.js';
import { configLines, CONFIG_LINE_LIMIT } from './config-lines.js';
import { idList, ParameterSets, PROVENANCE_ROW_LIMIT, provenanceTable } from './provenance.js';
import { firstRunsPerFile } from './sections.js';

function run(id: number, over: Partial<StoredRun> = {}): StoredRun {
  return { id, kind: 'simulated', system: 'Xen', workload: 'stream', label: null, importedFileId: null, detail: null, metrics: {}, provenance: { appVersion: 'x', modelVersion: 'm', parameters: { k: id }, seed: 1, inputSha256: null, createdAt: '' }, ...over };
}

describe('what the report prints does not grow with the runs', () => {
  test('a provenance table prints at most PROVENANCE_ROW_LIMIT rows and says how many runs it left out', () => {
    const sets = new ParameterSets();
    const html = provenanceTable(Array.from({ length: 100 }, (_, i) => run(i + 1)), 'runs', sets, (r) => r.system);
    expect(html.match(/<tr><td>/g)).toHaveLength(PROVENANCE_ROW_LIMIT);
    expect(html).toContain(`… and ${100 - PROVENANCE_ROW_LIMIT} more group(s) of runs (${100 - PROVENANCE_ROW_LIMIT} runs)`);
    // only the printed rows' sets go to Appendix D: a column each in the table of the knob that differs
    expect(sets.html().match(/<th>P\d+<\/th>/g)).toHaveLength(PROVENANCE_ROW_LIMIT);
  });

  test('a run id list prints a bounded number of ranges, then how many ids in all', () => {
    expect(idList([1, 2, 3, 5, 7, 8])).toBe('1–3, 5, 7, 8');
    expect(idList(Array.from({ length: 1000 }, (_, i) => 2 * i), 3)).toBe('0, 2, 4, … (1,000 in all)');
  });

  test('measured runs of one log are one provenance row whatever their index in it, with no parameter set', () => {
    const sets = new ParameterSets();
    const measured = Array.from({ length: 500 }, (_, i) => run(i + 1, { kind: 'measured', importedFileId: 7, provenance: { appVersion: 'x', modelVersion: null, parameters: { tool: 'netperf', format: 'classic', index: i }, seed: null, inputSha256: 'ab', createdAt: '' } }));
    const html = provenanceTable(measured, 'runs', sets, () => 'Xen');
    expect(html.match(/<tr><td>/g)).toHaveLength(1);
    expect(html).toContain('<tr><td>1–500</td><td>measured</td><td>Xen</td>');
    expect(sets.html()).toContain('No simulated runs, so no parameter sets.');
  });

  test('many logs of many tests do not push the simulated runs out of a cut table: a log is one row, the model\'s runs first', () => {
    const sets = new ParameterSets();
    // 60 logs, each with records of several tests (a flent file's flows), imported before the simulation ran
    const measured = Array.from({ length: 60 * 4 }, (_, i) =>
      run(i + 1, { kind: 'measured', importedFileId: 1 + Math.floor(i / 4), workload: `TCP upload::${i % 4}`, provenance: { appVersion: 'x', modelVersion: null, parameters: { index: i }, seed: null, inputSha256: `f${Math.floor(i / 4)}`, createdAt: '' } }),
    );
    const simulated = [1, 2, 3].map((s) => run(1000 + s, { provenance: { appVersion: 'x', modelVersion: 'm', parameters: { k: 1 }, seed: s, inputSha256: null, createdAt: '' } }));
    const html = provenanceTable([...measured, ...simulated], 'runs', sets, (r) => r.system);
    const rows = html.match(/<tr><td>[^<]*<\/td><td>[a-z]+/g) ?? [];
    expect(rows[0]).toBe('<tr><td>1001–1003</td><td>simulated');
    expect(rows).toHaveLength(PROVENANCE_ROW_LIMIT);
    expect(html).toContain('<tr><td>1–4</td><td>measured</td><td>Xen</td><td>4 tests</td>');
  });

  test('an Import cell\'s records: the first runs of each file, and a note for each file cut short', () => {
    const runs = [...Array.from({ length: 30 }, (_, i) => run(i + 1, { importedFileId: 1 })), ...Array.from({ length: 3 }, (_, i) => run(100 + i, { importedFileId: 2 }))];
    const { shown, notes } = firstRunsPerFile(runs, (id) => `f${id}.txt`, 10);
    expect(shown.map((r) => r.id)).toEqual([...Array.from({ length: 10 }, (_, i) => i + 1), 100, 101, 102]);
    expect(notes).toEqual(['… and 20 more runs of f1.txt (all 30 in this table\'s CSV/JSON export, and in `rxlab runs --file 1`).']);
  });

  test('what a cell kept from another kind (M / Y) is not printed as its settings', () => {
    expect(configLines({ text: 'a note', otherKinds: { simulation: { systems: ['Xen'], seeds: 3 } } }).lines).toEqual([['text', 'a note']]);
  });

  test('a configuration prints as key: value lines, bounded', () => {
    expect(configLines({ system: 'LRO', seeds: 3, set: { flush_policy: 'every-k' }, systems: ['Xen', 'DA'], vary: [{ key: 'mtu', from: 1500, to: 9000 }], empty: {} }).lines).toEqual([
      ['system', 'LRO'],
      ['seeds', '3'],
      ['set.flush_policy', 'every-k'],
      ['systems', 'Xen, DA'],
      ['vary', 'mtu 1500..9000'],
    ]);
    // a value left empty is left out, and a sweep's range reads as the Sweep cell sets it
    expect(configLines({ source: 'previous', x: '', y: 'throughput_mbps', set: {}, list: [], none: null }).lines).toEqual([['source', 'previous'], ['y', 'throughput_mbps']]);
    expect(configLines({ vary: [{ key: 'flush_every_polls', from: 1, to: 4, step: 1 }, { key: 'mtu', from: 1500, to: 9000, step: 1500 }] }).lines).toEqual([['vary', 'flush_every_polls 1..4 step 1; mtu 1500..9000 step 1500']]);
    // a vary list of another shape is printed as it is, not dropped
    expect(configLines({ vary: ['flush_every_polls'] }).lines).toEqual([['vary', 'flush_every_polls']]);
    const big = configLines(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, 'x'.repeat(1000)])));
    expect(big.lines).toHaveLength(CONFIG_LINE_LIMIT);
    expect(big.more).toBe(100 - CONFIG_LINE_LIMIT);
    expect(big.lines[0]?.[1].length).toBeLessThan(300);
  });
});
