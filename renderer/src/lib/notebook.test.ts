import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CellKind, PaperTables, StoredRun } from '../../../core/contract/index.js';
import { History, copyCell, dependencies, isViewKey, knobSetOf, markDependentsStale, modelVersionsOf, newCell, plotSource, restoreCells, switchKind, untitledName, varyOf, type UiCell, type SimOutput, type SimGroup, type ImportOutput } from './notebook.js';
import { applyModelSpecs, expandRange, knob, parseKnob } from './knobs.js';
import { buildTables, buildProfile } from './compare.js';
import { toMbps } from './measured.js';
import {
  importFile,
  importSystem,
  OBSERVATION_KNOBS,
  parseFileIdsBySystem,
  parseIds,
  runCompare,
  runPlot,
  runSweep,
  shadowedNotes,
  simSizes,
  sourceMetrics,
  storedRunGroups,
  summariseRuns,
  sweepRequest,
  sweepVary,
  trimDocument,
  ConfigError,
  FieldError,
  knobSet,
} from './runners.js';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- parity test only: the knobs the model says change no result
import { PARAM_SPECS } from '../../../core/sim/params.js';
import { plotAxisLabel, sweepAxisLabel } from '../../../core/contract/metric-labels.js';

const cell = (kind: UiCell['kind'], extra: Partial<UiCell> = {}): UiCell => ({ ...newCell(kind), ...extra });
// A made-up reference for tests (the renderer never holds the paper's numbers).
const PAPER: PaperTables = {
  throughputMbps: { Linux: 100, Xen: 80, LRO: 90, BO: 90, DA: 110 },
  cyclesPerByte: {
    driver: { Linux: null, Xen: 10, LRO: 9, BO: 8, DA: 3 },
    guest: { Linux: null, Xen: 5, LRO: 5, BO: 6, DA: 4 },
    total: { Linux: 12, Xen: 15, LRO: 14, BO: 14, DA: 7 },
  },
  lroRate: { LRO: 2, DA: 4 },
  rrTransactionsPerS: { Linux: 6000, Xen: 5000, LRO: 5000, BO: 5000, DA: 5000 },
};

describe('dependencies and stale marking', () => {
  it('Compare depends on every Simulation/Import above it, minus exclusions; Plot on its source (and, for a sweep, the Import cells above)', () => {
    const sim = cell('simulation');
    const imp = cell('import');
    const sweep = cell('sweep');
    const cmp = cell('compare', { output: { x: 1 } });
    const plot = cell('plot', { output: { x: 1 } });
    const cells = [sim, imp, sweep, cmp, plot];
    expect(dependencies(cells, 3)).toEqual([sim.id, imp.id]);
    expect(dependencies(cells, 4)).toEqual([sweep.id, imp.id]);
    expect(plotSource(cells, 4)?.id).toBe(sweep.id);
    const marked = markDependentsStale(cells, sim.id);
    expect(marked[3]?.stale).toBe(true);
    expect(marked[4]?.stale).toBe(false);
    expect(markDependentsStale(cells, sweep.id)[4]?.stale).toBe(true);
    expect(markDependentsStale(cells, imp.id)[4]?.stale).toBe(true);
    // a Plot of a Simulation cell takes nothing from the Import cells
    expect(dependencies([sim, imp, plot], 2)).toEqual([sim.id]);
    const excl = { ...cmp, config: { ...cmp.config, exclude: [sim.id] } };
    expect(markDependentsStale([sim, excl], sim.id)[1]?.stale).toBe(false);
  });
  it('cells without output are not marked stale', () => {
    const sim = cell('simulation');
    expect(markDependentsStale([sim, cell('compare')], sim.id)[1]?.stale).toBe(false);
  });
  it('a cell below the input is not a dependency of a Compare above it', () => {
    const cmp = cell('compare', { output: {} });
    const sim = cell('simulation');
    expect(markDependentsStale([cmp, sim], sim.id)[0]?.stale).toBe(false);
  });
  it('switching kind keeps the id and starts the new kind from its defaults', () => {
    const c = cell('simulation');
    const m = switchKind(c, 'markdown');
    expect(m.id).toBe(c.id);
    expect(m.config['source']).toBe('');
  });
  it('switching kind and back (M, Y) brings back what the cell held: a note’s text, a Simulation’s settings', () => {
    const note = { ...cell('markdown'), config: { source: '# my notes' } };
    const sim = switchKind(note, 'simulation');
    expect(sim.config['systems']).toEqual(['DA']);
    expect(switchKind(sim, 'markdown').config['source']).toBe('# my notes');
    const xen = { ...cell('simulation'), config: { systems: ['Xen', 'LRO'], workload: 'rr', seeds: 5, set: { mtu: 9000 } }, output: { runIds: [1] } };
    const md = switchKind(xen, 'markdown');
    expect(md.output).toBeNull();
    const back = switchKind({ ...md, config: { ...md.config, source: 'typed meanwhile' } }, 'simulation');
    expect(back.config).toMatchObject({ systems: ['Xen', 'LRO'], workload: 'rr', seeds: 5, set: { mtu: 9000 } });
    expect(switchKind(back, 'markdown').config['source']).toBe('typed meanwhile');
    // Simulation and Sweep share workload, seeds, knobs and the system
    expect(switchKind(xen, 'sweep').config).toMatchObject({ system: 'Xen', workload: 'rr', seeds: 5, set: { mtu: 9000 } });
  });
});

describe('copyCell', () => {
  it('keeps configuration and results under a new id; a derived cell becomes stale, an input cell does not', () => {
    const sim = cell('simulation', { output: { runIds: [1, 2] } });
    const c = copyCell(sim);
    expect(c.id).not.toBe(sim.id);
    expect(c).toMatchObject({ kind: 'simulation', config: sim.config, output: { runIds: [1, 2] }, stale: false });
    (c.config['set'] as Record<string, unknown>)['mtu'] = 9000; // a deep copy: editing the copy leaves the original
    expect(sim.config['set']).toEqual({});
    expect(copyCell(cell('compare', { output: { x: 1 } })).stale).toBe(true);
    expect(copyCell(cell('plot')).stale).toBe(false); // nothing to be stale about yet
  });
});

describe('History', () => {
  it('undoes in reverse order and coalesces typing bursts', () => {
    const h = new History();
    const a = [cell('markdown')];
    const b = [...a, cell('plot')];
    h.push(a, null, 0);
    h.push(b, 'cfg:x', 10);
    h.push(b, 'cfg:x', 500); // same field within a second: one step
    expect(h.size).toBe(2);
    const c = [...b, cell('compare')];
    expect(h.undo(c)?.cells.length).toBe(2);
    expect(h.undo(b)?.cells.length).toBe(1);
    expect(h.undo(a)).toBeNull();
    // redo walks forward again to the state before the first undo
    expect(h.redo(a)?.cells.length).toBe(2);
    expect(h.redo(b)?.cells.length).toBe(3);
    expect(h.redo(c)).toBeNull();
    expect(h.undo(c)?.cells.length).toBe(2);
    // a new edit after an undo drops what could have been redone
    h.push(b, null, 2000);
    expect(h.redoSize).toBe(0);
    expect(h.redo(b)).toBeNull();
  });
});

describe('undo keeps results (restoreCells)', () => {
  const sim = (config: Record<string, unknown>, output: unknown, stale = false): UiCell => ({ id: 'sim-1', kind: 'simulation', config, output, stale });
  const note = (source: string): UiCell => ({ id: 'md-1', kind: 'markdown', config: { source }, output: null, stale: false });
  it('undoing an unrelated edit keeps a result computed since', () => {
    const before = [note('a'), sim({ seeds: 3 }, null)];
    const now = [note('ab'), sim({ seeds: 3 }, { runIds: [7] })];
    const r = restoreCells(now, JSON.parse(JSON.stringify(before)) as UiCell[]);
    expect(r[0]?.config['source']).toBe('a');
    expect(r[1]).toMatchObject({ output: { runIds: [7] }, stale: false });
  });
  it('undoing a knob change made before a run keeps the run, stale (it ran with the other value)', () => {
    const before = [sim({ set: { mtu: 1500 } }, { runIds: [1] })];
    const now = [sim({ set: { mtu: 9000 } }, { runIds: [2] })];
    expect(restoreCells(now, before)[0]).toMatchObject({ config: { set: { mtu: 1500 } }, output: { runIds: [2] }, stale: true });
  });
  it('undoing a knob change made after the run brings back the fresh state, and a Compare reading it is fresh again', () => {
    const cmp = (stale: boolean): UiCell => ({ id: 'cmp-1', kind: 'compare', config: { sources: 'all' }, output: { tables: [] }, stale });
    const before = [sim({ set: { mtu: 1500 } }, { runIds: [1] }), cmp(false)];
    const now = [sim({ set: { mtu: 9000 } }, { runIds: [1] }, true), cmp(true)];
    const r = restoreCells(now, before);
    expect(r.map((c) => c.stale)).toEqual([false, false]);
    // the same after the Simulation ran again: the Compare computed from the old runs is stale
    const ran = [sim({ set: { mtu: 9000 } }, { runIds: [2] }), cmp(true)];
    expect(restoreCells(ran, before).map((c) => c.stale)).toEqual([true, true]);
  });
  it('undoing a display-only choice (a chart’s metric, where a sweep runs) made before a run marks nothing stale', () => {
    const before = [sim({ set: { mtu: 1500 }, overTimeView: { measure: 'throughput_mbps' } }, { runIds: [1] })];
    const now = [sim({ set: { mtu: 1500 }, overTimeView: { measure: 'lro_rate' } }, { runIds: [2] })];
    expect(restoreCells(now, before)[0]).toMatchObject({ config: { overTimeView: { measure: 'throughput_mbps' } }, output: { runIds: [2] }, stale: false });
    const sweep = (config: Record<string, unknown>, output: unknown): UiCell => ({ id: 'sw-1', kind: 'sweep', config, output, stale: false });
    const plot: UiCell = { id: 'pl-1', kind: 'plot', config: { source: 'previous' }, output: { series: [] }, stale: false };
    // the sweep's run marked the Plot below it stale (it drew the earlier points); undo keeps that
    const r = restoreCells([sweep({ y: 'lro_rate', on: 'slurm' }, { points: [2] }), { ...plot, stale: true }], [sweep({ y: 'throughput_mbps', on: 'here' }, { points: [1] }), plot]);
    expect(r.map((c) => c.stale)).toEqual([false, true]);
    expect(isViewKey('compare', 'chart')).toBe(true);
    expect(isViewKey('compare', 'runIds')).toBe(false);
    // a setting that changes results still does
    expect(restoreCells([sweep({ y: 'lro_rate', seeds: 3 }, { points: [2] })], [sweep({ y: 'throughput_mbps', seeds: 2 }, { points: [1] })])[0]?.stale).toBe(true);
  });
  it('an undone deletion comes back as it was; an Import cell’s files come from the snapshot (adding one is an undo step)', () => {
    const imp = (files: number[]): UiCell => ({ id: 'imp-1', kind: 'import', config: {}, output: { files: files.map((fileId) => ({ fileId })) }, stale: false });
    const before = [imp([1]), sim({}, { runIds: [3] })];
    const r = restoreCells([imp([1, 2])], before);
    expect(r[0]?.output).toEqual({ files: [{ fileId: 1 }] });
    expect(r[1]?.output).toEqual({ runIds: [3] });
  });
});

describe('History steps', () => {
  it('say which cell a step was about and whether it edited a field, for undo and redo alike', () => {
    const h = new History();
    const a = [newCell('markdown')];
    h.push(a, null, 0, 1000, 'inserted');
    h.push(a, 'cfg:x:source:1', 10, 1000, 'x');
    expect(h.nextUndo).toEqual({ cellId: 'x', key: 'cfg:x:source:1' });
    expect(h.undo(a)).toMatchObject({ cellId: 'x' });
    expect(h.nextRedo).toEqual({ cellId: 'x', key: 'cfg:x:source:1' });
    expect(h.nextUndo).toEqual({ cellId: 'inserted', key: null });
  });
});

describe('untitledName', () => {
  it('numbers a new notebook’s title when the plain one is taken', () => {
    expect(untitledName([])).toBe('Untitled notebook');
    expect(untitledName(['Untitled notebook'])).toBe('Untitled notebook 2');
    expect(untitledName(['Untitled notebook', 'Untitled notebook 2', 'Untitled notebook 4'])).toBe('Untitled notebook 3');
  });
});

describe('knobs', () => {
  it('validates with units and ranges', () => {
    expect(parseKnob('flush_every_polls', '2')).toEqual({ value: 2 });
    expect(parseKnob('flush_every_polls', '2.5')).toEqual({ error: 'Flush every k polls must be a whole number' });
    expect(parseKnob('mtu', '100')).toEqual({ error: 'MTU must be at least 576 bytes' });
    expect(parseKnob('lro', 'off')).toEqual({ value: 'off' });
    expect(parseKnob('lro', 'maybe')).toHaveProperty('error');
    expect(parseKnob('k_user', '1.5')).toEqual({ value: 1.5 });
  });
  it('expands ranges', () => {
    expect(expandRange('flush_every_polls', 1, 4, 1)).toEqual({ values: [1, 2, 3, 4] });
    expect(expandRange('cpu_ghz', 1, 2, 0.1)).toHaveProperty('values.length', 11);
    expect(expandRange('flush_every_polls', 4, 1, 1)).toHaveProperty('error');
    expect(expandRange('flush_every_polls', 0, 2, 1)).toHaveProperty('error');
  });
  it('builds a sweep request', () => {
    const r = sweepRequest({ system: 'LRO', vary: [{ key: 'flush_every_polls', from: 1, to: 4, step: 1 }], seeds: 3, set: { mtu: '9000' } });
    expect(r).toEqual({ system: 'LRO', workload: 'stream', set: { mtu: 9000 }, vary: [{ key: 'flush_every_polls', values: [1, 2, 3, 4] }], seeds: 3 });
    expect(() => sweepRequest({ system: 'LRO', vary: [], seeds: 3 })).toThrow(ConfigError);
    // a bad knob value is shown beside its field: a FieldError, which the notebook does not repeat under the cell
    expect(() => knobSet({ set: { mtu: '100' } })).toThrow(FieldError);
    // on Slurm, with its #SBATCH options one by one; anything but one --option each is refused here
    const base = { system: 'LRO', vary: [{ key: 'flush_every_polls', from: 1, to: 1, step: 1 }], seeds: 1 };
    expect(sweepRequest({ ...base, on: 'slurm', sbatch: ' --partition=debug   --time=00:10:00 ' })).toMatchObject({ on: 'slurm', sbatch: ['--partition=debug', '--time=00:10:00'] });
    expect(sweepRequest({ ...base, on: 'slurm' })).toMatchObject({ on: 'slurm', sbatch: [] });
    expect(sweepRequest({ ...base, on: 'local', sbatch: '--x' })).not.toHaveProperty('on');
    expect(() => sweepRequest({ ...base, on: 'slurm', sbatch: '--time=1;rm' })).toThrow(/^sbatch options: "--time=1;rm" is not one such as/);
  });
});

const run = (id: number, system: string, workload: string, seed: number, metrics: Record<string, number>): StoredRun => ({
  id,
  kind: 'simulated',
  system,
  workload,
  label: null,
  importedFileId: null,
  metrics,
  detail: { cycles_by_function: [{ domain: 'dom0', function: 'skb_copy_bits', cycles: 10, share: 0.25 }, { domain: 'guest', function: '__copy_to_user_ll', cycles: 30, share: 0.75 }] },
  provenance: { appVersion: '1', modelVersion: 'm1', parameters: { mtu: 1500 }, seed, inputSha256: null, createdAt: 't' },
});

describe('summaries, tables and plots', () => {
  const runs = [run(1, 'DA', 'stream', 1, { throughput_mbps: 100 }), run(2, 'DA', 'stream', 2, { throughput_mbps: 120 }), run(3, 'DA', 'rr', 1, { rr_transactions_per_s: 5000 })];
  const groups = summariseRuns(runs);
  it('groups by system and workload with Student-t intervals and provenance', () => {
    expect(groups).toHaveLength(2);
    const s = groups[0];
    expect(s?.metrics['throughput_mbps']?.mean).toBe(110);
    expect(s?.metrics['throughput_mbps']?.halfWidth).toBeCloseTo(12.706204736 * (Math.SQRT2 * 10) / Math.SQRT2, 5);
    expect(s?.provenance).toMatchObject({ modelVersion: 'm1', seeds: [1, 2] });
    expect(s?.functions[0]).toEqual({ domain: 'guest', function: '__copy_to_user_ll', share: 0.75 });
  });
  it('sets paper, simulated, measured and deltas side by side', () => {
    const measured = { throughputMbps: { mean: 99, lo: null, hi: null, halfWidth: null, n: 1 }, rrPerS: null, cyclesPerByte: { driver: null, guest: null, total: null }, arithmetic: [] };
    const t = buildTables(PAPER, groups, { DA: measured });
    const iv = t.find((x) => x.id === 'IV');
    const da = iv?.rows.find((r) => r.system === 'DA');
    expect(da).toMatchObject({ paper: 110, measured: { mean: 99 } });
    expect(da?.dSim).toBeCloseTo(0);
    expect(da?.dMeasured).toBeCloseTo(-10);
    expect(iv?.rows.find((r) => r.system === 'Xen')?.measured).toBeNull();
    expect(t.find((x) => x.id === 'VII')?.rows.find((r) => r.system === 'DA')?.sim?.mean).toBe(5000);
    expect(t.map((x) => x.id)).toEqual(['IV', 'V', 'VI', 'VII']);
  });
  it('reads stored file ids for the default testbed or per system', () => {
    expect([...parseFileIdsBySystem('3, 4', 'Xen')]).toEqual([['Xen', [3, 4]]]);
    expect([...parseFileIdsBySystem(' xen: 3-4; LRO: 5 ; 6', 'DA')]).toEqual([['Xen', [3, 4]], ['LRO', [5]], ['DA', [6]]]);
    expect([...parseFileIdsBySystem('LRO: 5; lro: 5, 7', 'Xen')]).toEqual([['LRO', [5, 7]]]);
    expect(parseFileIdsBySystem('', 'Xen').size).toBe(0);
    expect(() => parseFileIdsBySystem('KVM: 3', 'Xen')).toThrow(/Imported files: "KVM" is not a system/);
    expect(() => parseFileIdsBySystem('LRO: 3, x', 'Xen')).toThrow(/Imported files \(LRO\): "x" is not an id/);
    const imp = (system?: unknown) => ({ id: 'i', kind: 'import' as const, config: system === undefined ? {} : { system }, output: null, stale: false });
    expect(importSystem(imp('LRO'), 'Xen')).toBe('LRO');
    expect(importSystem(imp(''), 'Xen')).toBe('Xen');
    expect(importSystem(imp('KVM'), 'DA')).toBe('DA');
    expect(importSystem(imp(), 'DA')).toBe('DA');
  });
  it('reads stored ids: lists, ranges, repeats once; errors name the piece', () => {
    expect(parseIds(' 12, 14 20-22,14 ', 'Stored runs', 100)).toEqual([12, 14, 20, 21, 22]);
    expect(parseIds('', 'Stored runs', 100)).toEqual([]);
    expect(parseIds(undefined, 'Stored runs', 100)).toEqual([]);
    expect(() => parseIds('3, x7', 'Stored runs', 100)).toThrow(/Stored runs: "x7" is not an id/);
    expect(() => parseIds('9-3', 'Imported files', 100)).toThrow(ConfigError);
    expect(() => parseIds('1-500', 'Imported files', 100)).toThrow(/more than 100 ids/);
  });
  it('converts throughput units', () => {
    expect(toMbps(2997.84, '10^6bits/sec')).toBe(2997.84);
    expect(toMbps(1, 'MBytes/sec')).toBeCloseTo(8.388608);
    expect(toMbps(5, 'furlongs')).toBeNull();
  });
  it('profile comparison by domain and function', () => {
    const p = buildProfile(
      { profiles: [{ domain_totals: [{ domain: 'guest', samples: [30] }, { domain: 'driver', samples: [70] }], rows: [{ samples: [30], percent: [30], symbol: '__copy_to_user_ll', image: 'vmlinux', domain: 'guest', depth: 0 }] }] },
      'op.txt',
      groups[0],
    );
    expect(p?.domains.find((d) => d.domain === 'guest')).toMatchObject({ measuredPct: 30, simulatedPct: 75 });
    expect(p?.functions[0]).toMatchObject({ name: '__copy_to_user_ll', measuredPct: 30, simulatedPct: 75 });
  });
  it('plots a metric across a simulation cell and against a sweep knob', () => {
    const sim = cell('simulation', { output: { runIds: [1, 2, 3], groups, cached: 0, ranAt: 't', set: {} } satisfies SimOutput });
    const plot = cell('plot', { config: { source: 'previous', x: '', y: 'throughput_mbps' } });
    const out = runPlot([sim, plot], 1);
    expect(out.series[0]).toMatchObject({ x: ['DA stream'], y: [110] });
    const sweep = cell('sweep', {
      output: {
        system: 'LRO', workload: 'stream', vary: ['flush_every_polls'], seeds: 2, cachedRuns: 0, modelVersion: 'm', ranAt: 't', set: {},
        points: [1, 2].map((k) => ({ values: { flush_every_polls: k }, runIds: [], metrics: { throughput_mbps: { mean: k * 10, lo: null, hi: null, halfWidth: 1, n: 2 } } })),
      },
    });
    const out2 = runPlot([sweep, plot], 1);
    expect(out2.series[0]).toMatchObject({ x: [1, 2], y: [10, 20], err: [1, 1] });
    expect(out2.xLabel).toBe('flush_every_polls');
    // a sweep stored without its knobs' specs gives the plot none: the axis keeps the bare name
    expect(out2.varySpecs).toBeUndefined();
    expect(plotAxisLabel(out2, out2.xLabel)).toBe('flush_every_polls');
    // with them, the plot's x axis reads as the sweep's own ("knob — meaning (unit)"), and a metric on y as a metric
    const spec = { unit: 'polls', doc: 'Flush at the end of every k-th poll.', short: 'flush at the k-th poll end' };
    const specSweep = { ...sweep, output: { ...(sweep.output as object), varySpecs: { flush_every_polls: spec } } };
    const out3 = runPlot([specSweep, plot], 1);
    expect(out3.varySpecs).toEqual({ flush_every_polls: spec });
    expect(plotAxisLabel(JSON.parse(JSON.stringify(out3)), out3.xLabel)).toBe(sweepAxisLabel(specSweep.output, 'flush_every_polls'));
    expect(plotAxisLabel(out3, out3.xLabel)).toBe('flush_every_polls — flush at the k-th poll end (polls)');
    expect(plotAxisLabel(out3, 'throughput_mbps')).toBe('Throughput (Mbit/s)');
    expect(() => runPlot([plot], 0)).toThrow(ConfigError);
    // with the paper's tables: its value per system, and its LRO and DA at k = 1 and 2
    expect(runPlot([sim, plot], 1, PAPER).series[0]).toEqual({ name: 'Paper', x: ['DA stream'], y: [110], err: [], paper: true });
    expect(runPlot([sweep, plot], 1, PAPER).series[1]).toEqual({ name: 'Paper', x: [1, 2], y: [PAPER.throughputMbps.LRO, PAPER.throughputMbps.DA], err: [], paper: true });
    const rr = cell('plot', { config: { source: 'previous', x: '', y: 'rr_transactions_per_s' } });
    expect(runPlot([sim, rr], 1, PAPER).series[0]).toMatchObject({ name: 'Paper', x: ['DA rr'], y: [5000] });
    const latency = cell('plot', { config: { source: 'previous', x: '', y: 'flush_latency_us.mean' } });
    const groupsWithLatency = [{ ...groups[0], metrics: { 'flush_latency_us.mean': { mean: 40, lo: null, hi: null, halfWidth: 1, n: 2 } } }] as SimOutput['groups'];
    const simL = cell('simulation', { output: { runIds: [1], groups: groupsWithLatency, cached: 0, ranAt: 't', set: {} } satisfies SimOutput });
    expect(runPlot([simL, latency], 1, PAPER).series.some((x) => x.paper)).toBe(false); // the paper published no latency
  });
  it('reads knob settings and varied knobs leniently (a hand-edited .rxnb)', () => {
    expect(knobSetOf({ set: { mtu: 9000 } })).toEqual({ mtu: 9000 });
    for (const set of [5, 'x', null, [1]]) expect(knobSetOf({ set })).toEqual({});
    expect(varyOf({ vary: [null, { key: 3 }, { key: 'mtu', from: 1 }, 'x'] })).toEqual([{ key: 'mtu', from: 1 }]);
    expect(varyOf({ vary: 'x' })).toEqual([]);
  });
  it('a source whose saved result is damaged offers nothing to plot and says so when run', () => {
    const plot = cell('plot', { config: { source: 'previous', x: '', y: 'throughput_mbps' } });
    for (const [kind, output] of [
      ['sweep', { vary: 'x', points: [null] }],
      ['sweep', { vary: ['k', 3], points: 'x' }],
      ['simulation', { groups: 5 }],
      ['simulation', 'x'],
    ] as const) {
      const src = cell(kind, { output });
      expect(sourceMetrics(src), JSON.stringify(output)).toEqual([]);
      expect(() => runPlot([src, plot], 1)).toThrow(/^The source cell's saved result cannot be read: run the (Sweep|Simulation) cell again$/);
    }
    expect(sweepVary(cell('sweep', { output: { vary: ['k', 3], points: 'x' } }))).toEqual(['k']);
    expect(sourceMetrics(cell('sweep', { output: { vary: [], points: [null, { metrics: { throughput_mbps: {} } }] } }))).toEqual(['throughput_mbps']);
  });
  it('sets your own runs along a send-size or request-size sweep: a mean and 95 % interval per size, from the Import cells above', () => {
    const sweep = (key: string, workload: 'stream' | 'rr', y: string): UiCell =>
      cell('sweep', {
        output: {
          system: 'Xen', workload, vary: [key], seeds: 2, cachedRuns: 0, modelVersion: 'm', ranAt: 't', set: {},
          points: [64, 1024].map((v) => ({ values: { [key]: v }, runIds: [], metrics: { [y]: { mean: v, lo: null, hi: null, halfWidth: 1, n: 2 } } })),
        },
      });
    const rec = (test: string, extra: Record<string, unknown>): Record<string, unknown> => ({ test, line: 1, ...extra });
    const imp = cell('import', {
      output: {
        files: [
          {
            fileId: 1, fileName: 'sizes.txt', sha256: 'x', tool: 'netperf', format: 'classic', parserVersion: 'p', sizeBytes: 1, importedAt: 't', duplicate: false, runIds: [], warnings: [],
            document: {
              records: [
                rec('TCP_STREAM', { message_bytes: 1024, throughput: 100, throughput_units: '10^6bits/sec' }),
                rec('TCP_STREAM', { message_bytes: 1024, throughput: 110, throughput_units: '10^6bits/sec' }),
                rec('TCP_STREAM', { message_bytes: 64, throughput: 1, throughput_units: 'MBytes/sec' }),
                rec('TCP_STREAM', { message_bytes: 64, throughput: 5, error: 'cut off' }), // failed runs are left out
                rec('UDP_STREAM', { message_bytes: 64, throughput: 900, throughput_units: '10^6bits/sec' }), // not TCP
                rec('TCP_RR', { request_bytes: 1, response_bytes: 1, transactions_per_s: 5000 }),
                rec('TCP_RR', { request_bytes: 1, response_bytes: 1, transactions_per_s: 6000 }),
              ],
            },
          },
        ],
      } satisfies ImportOutput,
    });
    const plotOf = (y: string, x = ''): UiCell => cell('plot', { config: { source: 'previous', x, y } });
    const stream = runPlot([imp, sweep('message_bytes', 'stream', 'throughput_mbps'), plotOf('throughput_mbps')], 2).series.find((x) => x.measured);
    expect(stream).toMatchObject({ name: 'Measured (3 imported runs)', x: [64, 1024], y: [8.388608, 105] });
    expect(stream?.err[0]).toBeNull(); // one run at 64 bytes: no interval
    expect(stream?.err[1]).toBeCloseTo(63.53, 1); // t(0.975, 1) × 7.07 / √2
    const rr = runPlot([imp, sweep('rr_request_bytes', 'rr', 'rr_transactions_per_s'), plotOf('rr_transactions_per_s')], 2).series.find((x) => x.measured);
    expect(rr).toMatchObject({ x: [1], y: [5500] });
    // another knob, or the Import cell below the Plot: nothing measured to set beside it
    expect(runPlot([imp, sweep('flush_every_polls', 'stream', 'throughput_mbps'), plotOf('throughput_mbps')], 2).series.some((x) => x.measured)).toBe(false);
    expect(runPlot([sweep('message_bytes', 'stream', 'throughput_mbps'), plotOf('throughput_mbps'), imp], 1).series.some((x) => x.measured)).toBe(false);
    // and the Plot cell goes stale when an Import cell above it changes
    expect(dependencies([imp, sweep('message_bytes', 'stream', 'throughput_mbps'), plotOf('throughput_mbps')], 2)).toHaveLength(2);
  });
  it('trims documents', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ depth: i % 2, samples: [i] }));
    const t = trimDocument({ records: [], profiles: [{ rows }] }) as { profiles: { rows: unknown[]; rows_total: number }[] };
    expect(t.profiles[0]?.rows.length).toBe(50);
    expect(t.profiles[0]?.rows_total).toBe(100);
  });
});

describe('backend measured tables', () => {
  it('maps Tables IV, V and VII and keeps the arithmetic', async () => {
    const { fromBackend } = await import('./runners.js');
    const m = fromBackend({
      system: 'Xen',
      tableIV: { throughputMbps: { values: [500, 520], mean: 510, interval: { mean: 510, lo: 383, hi: 637, halfWidth: 127, n: 2, sd: 14 } } },
      tableV: { runs: [], perDomain: { driver: { values: [10], mean: 10, interval: null }, total: { values: [15], mean: 15, interval: null } } },
      tableVII: { transactionsPerS: null },
      steps: ['step 1'],
      warnings: ['careful'],
    });
    expect(m.throughputMbps).toEqual({ mean: 510, lo: 383, hi: 637, halfWidth: 127, n: 2 });
    expect(m.cyclesPerByte.driver).toEqual({ mean: 10, lo: null, hi: null, halfWidth: null, n: 1 });
    expect(m.cyclesPerByte.guest).toBeNull();
    expect(m.rrPerS).toBeNull();
    expect(m.arithmetic).toEqual(['step 1', 'warning: careful']);
  });
});

describe('knob specs come from the model', () => {
  it('takes ranges and allowed values from sim.knobs and adds every cost parameter', () => {
    applyModelSpecs([
      { name: 'mtu', kind: 'int', unit: 'bytes', doc: 'link MTU', min: 1000, max: 9000, default: 1500, presets: { Linux: 1500, Xen: 1500, LRO: 1500, BO: 1500, DA: 1500 } },
      { name: 'c_gop', kind: 'number', unit: 'cycles', doc: 'grant copy per op', min: 0, max: 1e6, group: 'xen', default: 1500, presets: { Linux: 1500, Xen: 1500, LRO: 1500, BO: 1500, DA: 1500 } },
    ]);
    expect(parseKnob('mtu', '900')).toEqual({ error: 'MTU must be at least 1000 bytes' });
    expect(knob('c_gop')).toMatchObject({ label: 'c_gop', unit: 'cycles', help: 'grant copy per op' });
    expect(parseKnob('c_gop', '-1')).toHaveProperty('error');
  });
});

describe('importFile', () => {
  it('refuses a log over the upload limit before reading it, and says where larger logs go', async () => {
    let read = false;
    const big = { name: 'big.log', size: 301 * 1024 * 1024, arrayBuffer: () => ((read = true), Promise.resolve(new ArrayBuffer(0))) } as unknown as File;
    await expect(importFile(big)).rejects.toThrow('301 MiB; the notebook takes logs up to 300 MiB. Import larger ones with `rxlab import FILE`');
    expect(read).toBe(false);
  });
});

describe('which model a saved result came from', () => {
  const cell = (kind: CellKind, output: unknown): UiCell => ({ id: 'c', kind, config: {}, output, stale: false });
  it('reads each kind’s provenance, once per version', () => {
    expect(modelVersionsOf(cell('simulation', { groups: [{ provenance: { modelVersion: 'm1' } }, { provenance: { modelVersion: 'm1' } }, { provenance: { modelVersion: 'm2' } }] }))).toEqual(['m1', 'm2']);
    expect(modelVersionsOf(cell('sweep', { modelVersion: 'm3', points: [] }))).toEqual(['m3']);
    // imported files carry no model: only the simulated runs count
    expect(modelVersionsOf(cell('compare', { provenance: [{ modelVersion: null }, { modelVersion: 'm1' }] }))).toEqual(['m1']);
  });
  it('nothing for cells without simulated results or with damaged ones', () => {
    for (const [kind, output] of [
      ['markdown', null],
      ['import', { files: [] }],
      ['simulation', 'x'],
      ['simulation', { groups: [null, { provenance: 3 }] }],
      ['sweep', { modelVersion: 7 }],
      ['compare', { provenance: 'x' }],
      ['plot', { series: [] }],
    ] as [CellKind, unknown][]) {
      expect(modelVersionsOf(cell(kind, output))).toEqual([]);
    }
  });
});

describe('stored runs in a Compare cell (one setting per system)', () => {
  // `rxlab sweep --system LRO --vary flush_every_polls=1..4 --seeds 2` stores 8 runs: k = 1..4, seeds 1 and 2.
  const lro = (id: number, k: number, seed: number, tput: number, extra: Record<string, unknown> = {}, model = 'm1'): StoredRun => ({
    ...run(id, 'LRO', 'stream', seed, { throughput_mbps: tput, lro_rate: k + 1 }),
    provenance: { appVersion: '1', modelVersion: model, parameters: { mtu: 1500, flush_policy: 'every-k', flush_every_polls: k, trace_ms: 0, ...extra }, seed, inputSha256: null, createdAt: 't' },
  });
  const da = (id: number, seed: number): StoredRun => run(id, 'DA', 'stream', seed, { throughput_mbps: 740 + seed });
  const sweep = [lro(12, 1, 1, 577), lro(13, 1, 2, 579), da(17, 1), da(18, 2), lro(67, 3, 1, 700), lro(68, 3, 2, 702), lro(69, 4, 1, 760), lro(70, 4, 2, 762)];

  it('does not pool runs whose parameters differ into one interval', () => {
    const groups = summariseRuns(sweep).filter((g) => g.system === 'LRO');
    expect(groups.map((g) => g.runIds)).toEqual([[12, 13], [67, 68], [69, 70]]);
    expect(groups.map((g) => g.metrics['throughput_mbps']?.n)).toEqual([2, 2, 2]);
    // key order does not make two settings
    const reordered = { ...lro(14, 1, 3, 578), provenance: { ...lro(14, 1, 3, 578).provenance, parameters: { flush_every_polls: 1, trace_ms: 0, flush_policy: 'every-k', mtu: 1500 } } };
    expect(summariseRuns([lro(12, 1, 1, 577), reordered])).toHaveLength(1);
  });

  it('refuses one system with several settings, naming the knobs, their values and the runs', () => {
    expect(() => storedRunGroups(sweep)).toThrow(ConfigError);
    expect(() => storedRunGroups(sweep)).toThrow(
      'LRO: the stored runs differ in flush_every_polls (1, 3, 4): compare one setting at a time, or use a Sweep cell. Runs by setting: 12, 13 (flush_every_polls = 1); 67, 68 (flush_every_polls = 3); 69, 70 (flush_every_polls = 4).',
    );
    // a different model version is a different setting too
    expect(() => storedRunGroups([lro(12, 1, 1, 577), lro(40, 1, 2, 579, {}, 'm2')])).toThrow(/^LRO: the stored runs differ in model version \(m1, m2\)/);
    // one setting per system is fine; DA and LRO each give a row
    const ok = storedRunGroups([lro(12, 1, 1, 577), lro(13, 1, 2, 579), da(17, 1), da(18, 2)]);
    expect(ok.groups.map((g) => [g.system, g.runIds])).toEqual([['LRO', [12, 13]], ['DA', [17, 18]]]);
    expect(ok.notes).toEqual([]);
  });

  it('counts the same run once (same parameters, seed and model version), observation-only knobs aside, and says so', () => {
    const traced = lro(90, 1, 1, 577, { trace_ms: 5 });
    const { groups, notes } = storedRunGroups([lro(12, 1, 1, 577), lro(13, 1, 2, 579), traced, lro(91, 1, 2, 579)]);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.runIds).toEqual([12, 13]);
    expect(groups[0]?.metrics['throughput_mbps']?.n).toBe(2);
    expect(groups[0]?.provenance.seeds).toEqual([1, 2]);
    expect(notes).toEqual(['Stored runs 90, 91 repeat runs 12, 13 (same system, workload, parameters, seed and model version) and were counted once.']);
    // another seed of the same setting is not a repeat
    expect(storedRunGroups([lro(12, 1, 1, 577), lro(20, 1, 3, 575)]).groups[0]?.runIds).toEqual([12, 20]);
  });

  afterEach(() => vi.unstubAllGlobals());
  it('runCompare refuses the pooled sweep instead of showing one interval over k = 1, 3, 4', async () => {
    const backend = (method: string, input: unknown): unknown =>
      method === 'runs.get' ? sweep.filter((r) => (input as { ids: number[] }).ids.includes(r.id)) : method === 'reference.paper' ? PAPER : null;
    vi.stubGlobal('window', { rxlab: { call: (m: string, i: unknown) => Promise.resolve({ ok: true, value: backend(m, i) }) } });
    const cmp = cell('compare', { config: { runIds: '12, 13, 17, 18, 67-70' } });
    await expect(runCompare([cmp], 0)).rejects.toThrow(/^LRO: the stored runs differ in flush_every_polls \(1, 3, 4\)/);
    const one = cell('compare', { config: { runIds: '12, 13, 17, 18' } });
    const out = await runCompare([one], 0);
    expect(out.tables[0]?.rows.find((r) => r.system === 'LRO')?.sim).toMatchObject({ mean: 578, n: 2 });
  });

  it('ignores exactly the knobs the model calls observation only', () => {
    expect([...OBSERVATION_KNOBS].sort()).toEqual(PARAM_SPECS.filter((p) => /^observation only/i.test(p.doc)).map((p) => p.name).sort());
  });
});

describe('the simulation sizes a Compare row asks the measured column for', () => {
  const group = (system: string, workload: string, parameters: Record<string, unknown>): SimGroup => ({
    system,
    workload,
    runIds: [1],
    metrics: {},
    functions: [],
    provenance: { appVersion: null, modelVersion: null, parameters, seeds: [1], inputSha256: null, createdAt: null },
  });
  it('message size from the stream runs, request/response sizes from the TCP_RR runs of that system', () => {
    const groups = [group('Xen', 'stream', { message_bytes: 1024 }), group('Xen', 'rr', { rr_request_bytes: 1, rr_response_bytes: 1 }), group('DA', 'stream', { message_bytes: 16384 })];
    expect(simSizes(groups, 'Xen')).toEqual({ messageBytes: 1024, rrRequestBytes: 1, rrResponseBytes: 1 });
    expect(simSizes(groups, 'DA')).toEqual({ messageBytes: 16384 });
    expect(simSizes(groups, 'LRO')).toBeNull();
  });
});

describe('a Compare row that two sources simulate', () => {
  const g = (system: string, runIds: number[], workload = 'stream'): SimGroup => ({
    system,
    workload,
    runIds,
    metrics: {},
    functions: [],
    provenance: { appVersion: null, modelVersion: null, parameters: {}, seeds: [1], inputSha256: null, createdAt: null },
  });
  it('says which source fills it and which is not shown', () => {
    const a = g('Xen', [3, 4]);
    const b = g('Xen', [1, 2]);
    const c = g('DA', [9]);
    const d = g('Xen', [7], 'rr');
    const notes = shadowedNotes([a, c, d, b], new Map([[a, 'Simulation cell [1]'], [b, 'Stored runs'], [c, 'Simulation cell [1]'], [d, 'Simulation cell [1]']]));
    expect(notes).toEqual(['Xen (TCP_STREAM): Stored runs (runs 1-2) fill the row; Simulation cell [1] (runs 3-4) is not shown (one source per row: the last one given).']);
  });
});

describe('a Sweep cell\'s saved result', () => {
  afterEach(() => vi.unstubAllGlobals());
  it('keeps the varied knob\'s unit and meaning from sweep.run, so its axis is titled with them after a reload', async () => {
    const varySpecs = { flush_every_polls: { unit: 'polls', doc: 'k for every-k / adaptive: an aggregate is flushed at the k-th poll end since it started', short: 'flush at the k-th poll end' } };
    const outcome = { system: 'LRO', workload: 'stream', vary: ['flush_every_polls'], seeds: 1, points: [{ values: { flush_every_polls: 1 }, runIds: [1], metrics: { throughput_mbps: { mean: 500, lo: 500, hi: 500, halfWidth: 0, n: 1 } } }], cachedRuns: 0, modelVersion: 'm', varySpecs };
    vi.stubGlobal('window', { rxlab: { call: (m: string) => Promise.resolve(m === 'sweep.run' ? { ok: true, value: outcome } : { ok: false, error: { code: 'failed', message: m } }) } });
    const sweep = cell('sweep', { config: { system: 'LRO', vary: [{ key: 'flush_every_polls', from: 1, to: 1, step: 1 }], seeds: 1 } });
    const out = await runSweep(sweep, 'job-1');
    expect(out.varySpecs).toEqual(varySpecs);
    expect(sweepAxisLabel(JSON.parse(JSON.stringify(out)), 'flush_every_polls')).toBe('flush_every_polls — flush at the k-th poll end (polls)');
    // one saved before sweeps carried it: the bare name
    const { varySpecs: _old, ...before } = out;
    expect(sweepAxisLabel(before, 'flush_every_polls')).toBe('flush_every_polls');
  });
});
