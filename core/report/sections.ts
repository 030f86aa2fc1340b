import type { Cell, ImportedFileSummary, StoredRun } from '../contract/index.js';
import { collectRefs, parseIdText } from '../portable/refs.js';
import { PAPER, SYSTEMS } from '../reference/paper.js';
import { paperFlushPoints } from '../contract/paper-points.js';
import { latencyBlocks, overTimeBlocks } from './import-figures.js';
import { measuredSeriesOf, simOverTimeBlocks } from './sim-figures.js';
import { flattenMetrics } from '../store/runs.js';
import { renderMarkdown } from './markdown.js';
import { comparisonTables, compareValues, measuredKey, measuredValue, runsBehind } from './paper-tables.js';
import { intervalText, summarize, type Summary } from './stats.js';
import { ROLE_COLORS, type ChartSpec, type LineSeries } from './svg.js';
import { metricLabel, plotAxisLabel, sweepAxisLabel } from '../contract/metric-labels.js';
import type { XY } from './decimate.js';
import type { Block, Figure, Section, TableData, TableValue } from './types.js';
import { num, rec, str } from './read-output.js';
import { fmtNum } from './escape.js';
import { displayNumber, recordNumber } from '../contract/display-number.js';
import { udpReceived, udpReceivedText } from '../contract/udp-received.js';
import { sensitivityTables } from './sensitivity-tables.js';
import { crossValidationTables } from './cross-validation-tables.js';
import { fitTables } from './fit-tables.js';
import { objectiveProfileBlocks } from './objective-profile.js';
import { MODEL_VERSION } from '../sim/version.js';

/**
 * One report section per cell. Every builder reads config/output defensively: a field of an unexpected
 * type is ignored, never trusted, and a builder that throws turns into a note (build() below), so one odd
 * cell cannot stop the report.
 */

export interface BuildContext {
  cells: Cell[];
  runs: Map<number, StoredRun>;
  files: Map<number, ImportedFileSummary>;
  /** Runs of each cell (config + output references, plus runs of referenced files). */
  cellRuns: Map<string, StoredRun[]>;
  addFigure(f: Omit<Figure, 'number'>): Figure;
}

const KIND_TITLE: Record<string, string> = {
  markdown: 'Notes',
  simulation: 'Simulation',
  sweep: 'Sweep',
  import: 'Imported measurements',
  compare: 'Compare: paper, simulated, measured',
  plot: 'Plot',
};


const isSystem = (s: unknown): s is string => typeof s === 'string' && (SYSTEMS as readonly string[]).includes(s);

/** Which system a measured run stands for: the run's own label, else its Import cell's `system` or `systems` map. */
export function measuredSystem(run: StoredRun, importCell: Cell | undefined, files: Map<number, ImportedFileSummary>): string | null {
  if (isSystem(run.system)) return run.system;
  const cfg = rec(importCell?.config);
  const map = rec(cfg['systems']);
  const file = run.importedFileId !== null ? files.get(run.importedFileId) : undefined;
  for (const key of [String(run.id), run.label ?? '', file?.fileName ?? '', file?.sha256 ?? '']) {
    if (key && isSystem(map[key])) return map[key];
  }
  return isSystem(cfg['system']) ? cfg['system'] : null;
}

function markdownSection(cell: Cell): Block[] {
  const cfg = rec(cell.config);
  const source = str(cfg['source']) ?? str(cfg['text']) ?? str(rec(cell.output)['source']) ?? '';
  return source.trim() ? [{ type: 'markdown', html: renderMarkdown(source) }] : [{ type: 'note', text: 'Empty note.' }];
}

function paperCompareBlocks(cell: Cell, sim: StoredRun[], measured: { run: StoredRun; system: string }[], ctx: BuildContext, always: boolean, measuredOverride?: Map<string, Summary>): Block[] {
  const blocks: Block[] = [];
  const input = { simulated: sim, measured, alwaysMeasured: always, ...(measuredOverride ? { measuredOverride } : {}) };
  for (const t of comparisonTables(input, cell.id)) if (t.rows.length) blocks.push({ type: 'table', table: t });
  // Figure: Table IV as grouped bars, with the simulated 95 % CI as error bars.
  const iv = compareValues(input)[0];
  if (iv && (sim.length || measured.length || iv.meas.some((m) => m))) {
    // coloured as the app's Compare chart: paper grey, simulated blue, measured orange
    const series: Extract<ChartSpec, { type: 'bar' }>['series'] = [{ name: 'Paper', values: iv.def.rows.map((r) => r.paper), color: ROLE_COLORS.Paper }];
    if (iv.sim.some((s) => s))
      series.push({ name: 'Simulated', values: iv.sim.map((s) => s?.mean ?? null), lo: iv.sim.map((s) => (s && s.n > 1 ? s.lo : null)), hi: iv.sim.map((s) => (s && s.n > 1 ? s.hi : null)), color: ROLE_COLORS.Simulated });
    if (iv.meas.some((s) => s))
      series.push({ name: 'Measured', values: iv.meas.map((s) => s?.mean ?? null), lo: iv.meas.map((s) => (s && s.n > 1 ? s.lo : null)), hi: iv.meas.map((s) => (s && s.n > 1 ? s.hi : null)), color: ROLE_COLORS.Measured });
    const cats = iv.def.rows.map((r) => r.system);
    const rows: TableValue[][] = cats.map((c, i) => [c, ...series.map((s) => s.values[i] ?? null)]);
    const fig = ctx.addFigure({
      id: `${cell.id}-throughput`,
      title: 'TCP_STREAM throughput by system',
      caption: 'Throughput (Mbit/s), paper Table IV beside the simulated mean (error bars: 95 % CI over seeds) and measured values.',
      spec: { type: 'bar', title: 'TCP_STREAM throughput by system', yLabel: 'Mbit/s', categories: cats, series },
      data: { id: `${cell.id}-throughput-data`, title: 'Throughput by system', columns: ['System', ...series.map((s) => s.name)], rows },
      runIds: runsBehind(input, 'throughput_mbps'),
    });
    blocks.push({ type: 'figure', figure: fig });
    const v = compareValues(input)[1];
    if (v && (v.sim.some((s) => s) || v.meas.some((s) => s))) {
      const totals = v.def.rows.map((r, i) => ({ r, i })).filter(({ r }) => r.metric === 'cycles_per_byte.total');
      const cs: Extract<ChartSpec, { type: 'bar' }>['series'] = [
        { name: 'Paper', values: totals.map(({ r }) => r.paper), color: ROLE_COLORS.Paper },
        { name: 'Simulated', values: totals.map(({ i }) => v.sim[i]?.mean ?? null), color: ROLE_COLORS.Simulated },
      ];
      if (totals.some(({ i }) => v.meas[i])) cs.push({ name: 'Measured', values: totals.map(({ i }) => v.meas[i]?.mean ?? null), color: ROLE_COLORS.Measured });
      const cats5 = totals.map(({ r }) => r.system);
      const f2 = ctx.addFigure({
        id: `${cell.id}-cpb`,
        title: 'Cycles per byte (total) by system',
        caption: 'CPU cycles per transferred byte, driver + guest domain (paper Table V) beside simulated and measured values.',
        spec: { type: 'bar', title: 'Cycles per byte (total) by system', yLabel: 'cycles/byte', categories: cats5, series: cs },
        data: { id: `${cell.id}-cpb-data`, title: 'Cycles per byte by system', columns: ['System', ...cs.map((s) => s.name)], rows: cats5.map((c, i) => [c, ...cs.map((s) => s.values[i] ?? null)]) },
        runIds: runsBehind(input, 'cycles_per_byte.total'),
      });
      blocks.push({ type: 'figure', figure: f2 });
    }
  }
  return blocks;
}

const importCellIndex = new WeakMap<BuildContext, Map<number, Cell>>();

/**
 * The first Import cell holding each run, by run id, built once per report: looking it up per run
 * by scanning every Import cell's runs was quadratic, minutes for a log of 456,000 runs.
 */
function importCellOf(ctx: BuildContext): Map<number, Cell> {
  let index = importCellIndex.get(ctx);
  if (index === undefined) {
    index = new Map();
    for (const c of ctx.cells) if (c.kind === 'import') for (const r of ctx.cellRuns.get(c.id) ?? []) if (!index.has(r.id)) index.set(r.id, c);
    importCellIndex.set(ctx, index);
  }
  return index;
}

function measuredOf(runs: StoredRun[], ctx: BuildContext, fallback: string | null = null): { run: StoredRun; system: string }[] {
  const out: { run: StoredRun; system: string }[] = [];
  const importCells = importCellOf(ctx);
  for (const run of runs) {
    if (run.kind !== 'measured') continue;
    const importCell = importCells.get(run.id);
    const system = measuredSystem(run, importCell, ctx.files) ?? fallback;
    if (system) out.push({ run, system });
  }
  return out;
}

function simulationSection(cell: Cell, ctx: BuildContext): Block[] {
  const runs = ctx.cellRuns.get(cell.id) ?? [];
  const sim = runs.filter((r) => r.kind === 'simulated');
  if (!sim.length) return genericBlocks(cell, ctx);
  const systems = [...new Set(sim.map((r) => r.system ?? '?'))];
  const seeds = new Set(sim.map((r) => r.provenance.seed));
  const note: Block = { type: 'note', text: `${sim.length} simulated runs: ${systems.join(', ')}; ${seeds.size} seed(s). Provenance in Appendix C.` };
  // A Compare cell that covers this one shows the paper tables and charts; don't print them twice.
  const compared = ctx.cells.find((c) => c.kind === 'compare' && compareInputs(c, ctx).some((x) => x.id === cell.id));
  // the cell's saved view: measured runs over time from the Import cells above, drawn beside the model
  const view = rec(rec(cell.config)['overTimeView']);
  const besideMeasured = view['beside'] === true;
  const shownMeasure = str(view['measure']);
  const index = ctx.cells.findIndex((c) => c.id === cell.id);
  const measuredSeries = besideMeasured
    ? ctx.cells
        .slice(0, Math.max(0, index))
        .filter((c) => c.kind === 'import')
        .flatMap((c) => measuredSeriesOf((ctx.cellRuns.get(c.id) ?? []).filter((r) => r.kind === 'measured'), (id) => ctx.files.get(id)?.fileName ?? `file ${id}`))
    : [];
  // figures are numbered as they are added: the paper comparison first, as the blocks are laid out
  if (compared) return [note, simulatedSummary(cell.id, sim), ...simOverTimeBlocks(cell.id, sim, ctx, measuredSeries, shownMeasure), { type: 'note', text: 'Compared with the paper in the Compare section below.' }];
  const paper = paperCompareBlocks(cell, sim, measuredOf(runs, ctx), ctx, false);
  return [note, ...paper, ...simOverTimeBlocks(cell.id, sim, ctx, measuredSeries, shownMeasure)];
}

/**
 * The columns of the app's Simulation table (renderer SimulationCell.svelte COLUMNS): one row per
 * system as in the paper's tables, each figure from the workload that measures it: the TCP_STREAM
 * figures (LRO rate and flush latency among them) from the stream runs, the transaction rate from the
 * TCP_RR runs. An RR run's LRO rate (1: one request per aggregate) or 0.04 Mbit/s mean nothing.
 */
const SUMMARY_COLUMNS: { key: string; workload: 'stream' | 'rr'; header: string }[] = [
  { key: 'throughput_mbps', workload: 'stream', header: 'Throughput (Mbit/s)' },
  { key: 'cycles_per_byte.driver', workload: 'stream', header: 'Driver dom. (cycles/B)' },
  { key: 'cycles_per_byte.guest', workload: 'stream', header: 'Guest dom. (cycles/B)' },
  { key: 'cycles_per_byte.total', workload: 'stream', header: 'Total (cycles/B)' },
  { key: 'lro_rate', workload: 'stream', header: 'LRO rate (pkts/aggr.)' },
  { key: 'flush_latency_us.mean', workload: 'stream', header: 'Flush latency (µs, mean)' },
  { key: 'rr_transactions_per_s', workload: 'rr', header: 'TCP_RR (trans./s)' },
];

/**
 * Mean ± 95 % Student-t half-width per system of the headline metrics, as the app's Simulation cell
 * shows them (the Compare section has the full tables with the paper). A mean alone hid how far the
 * seeds agree. Printed as "mean ± half-width"; the CSV/JSON export keeps mean, half-width and n as
 * numbers in columns of their own.
 */
export function simulatedSummary(id: string, sim: StoredRun[]): Block {
  // runs stored without a workload (before workloads were kept) count for either
  const runsOf = (system: string, workload: 'stream' | 'rr'): StoredRun[] => sim.filter((r) => (r.system ?? '?') === system && (r.workload === null || r.workload === workload));
  const systems = [...new Set(sim.map((r) => r.system ?? '?'))];
  const summary = (system: string, c: (typeof SUMMARY_COLUMNS)[number]): Summary | null =>
    summarize(runsOf(system, c.workload).map((r) => r.metrics[c.key]).filter((x): x is number => typeof x === 'number'));
  const columns = SUMMARY_COLUMNS.filter((c) => systems.some((s) => summary(s, c) !== null));
  // as the app's caption counts them: the seeds of the system's largest group
  const nOf = (system: string): number => Math.max(runsOf(system, 'stream').length, runsOf(system, 'rr').length);
  const printed = (system: string, c: (typeof SUMMARY_COLUMNS)[number]): TableValue => {
    const s = summary(system, c);
    if (!s) return null;
    // a metric some of the row's runs lack is averaged over fewer: say over how many
    return s.n > 1 && s.n !== runsOf(system, c.workload).length ? `${intervalText(s)} (n = ${s.n})` : intervalText(s);
  };
  const fullColumns = ['System', 'n', ...columns.flatMap((c) => [`${c.header} mean`, `${c.header} ± 95 % CI`, `${c.header} n`])];
  const fullRow = (system: string): TableValue[] => [system, nOf(system), ...columns.flatMap((c) => {
    const s = summary(system, c);
    return [s?.mean ?? null, s && s.n > 1 ? s.halfWidth : null, s?.n ?? null];
  })];
  return {
    type: 'table',
    table: {
      id: `${id}-summary`,
      title: 'Simulated means per system (± 95 % CI)',
      columns: ['System', 'n', ...columns.map((c) => c.header)],
      rows: systems.map((s) => [s, nOf(s), ...columns.map((c) => printed(s, c))]),
      note: 'Mean ± half-width of the 95 % Student-t interval over the n runs (seeds) of each system: TCP_RR from the TCP_RR runs, every other figure from the TCP_STREAM runs. The CSV/JSON export has mean, half-width and n as numbers.',
      full: { columns: fullColumns, rows: systems.map(fullRow) },
    },
  };
}

const TABLE_METRIC: Record<string, string> = { IV: 'throughput_mbps', VI: 'lro_rate', VII: 'rr_transactions_per_s' };

/**
 * Measured values the Compare cell computed itself (output.tables[].rows[].measured, an interval), keyed
 * by metric and system. Only measured numbers are taken from the output: paper values always come from
 * core/reference/paper.ts and simulated ones from the stored runs.
 */
function measuredFromCompareOutput(output: unknown): Map<string, Summary> {
  const out = new Map<string, Summary>();
  const tables = rec(output)['tables'];
  if (!Array.isArray(tables)) return out;
  for (const t of tables.map(rec)) {
    const tid = str(t['id']);
    if (!tid || !Array.isArray(t['rows'])) continue;
    for (const r of t['rows'].map(rec)) {
      const system = str(r['system']);
      const m = rec(r['measured']);
      const mean = num(m['mean']);
      if (!system || mean === null) continue;
      let metric = TABLE_METRIC[tid];
      if (tid === 'V') {
        const part = /(driver|guest|total)\s*$/.exec(str(r['label']) ?? '')?.[1];
        metric = part ? `cycles_per_byte.${part}` : undefined;
      }
      if (!metric) continue;
      const hw = num(m['halfWidth']) ?? 0;
      out.set(measuredKey(metric, system), { mean, lo: num(m['lo']) ?? mean - hw, hi: num(m['hi']) ?? mean + hw, halfWidth: hw, n: num(m['n']) ?? 1 });
    }
  }
  return out;
}

/** The Compare cell's inputs: output.inputs (cell ids), else Simulation/Import cells above it minus config.exclude. */
function compareInputs(cell: Cell, ctx: BuildContext): Cell[] {
  const out = rec(cell.output);
  const cfg = rec(cell.config);
  const index = ctx.cells.findIndex((c) => c.id === cell.id);
  if (Array.isArray(out['inputs']) && out['inputs'].every((x) => typeof x === 'string')) {
    const ids = new Set(out['inputs'] as string[]);
    return ctx.cells.filter((c) => ids.has(c.id));
  }
  const sources = cfg['sources'];
  if (Array.isArray(sources)) return ctx.cells.filter((c) => sources.includes(c.id));
  const exclude = new Set(Array.isArray(cfg['exclude']) ? cfg['exclude'] : []);
  return ctx.cells.slice(0, index < 0 ? ctx.cells.length : index).filter((c) => (c.kind === 'simulation' || c.kind === 'import') && !exclude.has(c.id));
}

function compareSection(cell: Cell, ctx: BuildContext): Block[] {
  const cfg = rec(cell.config);
  const out = rec(cell.output);
  const inputs = compareInputs(cell, ctx);
  // Like the notebook: for each system the LAST simulation input that ran it wins (different knobs don't mix).
  const bySystem = new Map<string, StoredRun[]>();
  for (const c of inputs) {
    const sims = (ctx.cellRuns.get(c.id) ?? []).filter((r) => r.kind === 'simulated');
    const systems = new Set(sims.map((r) => r.system ?? '?'));
    for (const sys of systems) bySystem.set(sys, sims.filter((r) => (r.system ?? '?') === sys));
  }
  // Runs and logs the cell names by id ("21-22"; "Xen: 3, 4; LRO: 5"), as the notebook's runCompare
  // reads them: stored runs after the inputs (so they win for their system), logs in their testbed's row.
  const own = ctx.cellRuns.get(cell.id) ?? [];
  const storedIds = new Set((parseIdText(typeof cfg['runIds'] === 'string' ? cfg['runIds'] : '') ?? []).flatMap(([, ids]) => ids));
  const stored = own.filter((r) => r.kind === 'simulated' && storedIds.has(r.id));
  for (const sys of new Set(stored.map((r) => r.system ?? '?'))) bySystem.set(sys, stored.filter((r) => (r.system ?? '?') === sys));
  const sim = [...bySystem.values()].flat();
  const measuredRuns = inputs.flatMap((c) => (ctx.cellRuns.get(c.id) ?? []).filter((r) => r.kind === 'measured'));
  // Measured runs stand for one testbed system: the run's own, its Import cell's, else the Compare cell's choice.
  const fallback = isSystem(cfg['measuredSystem']) ? cfg['measuredSystem'] : isSystem(out['measuredSystem']) ? out['measuredSystem'] : null;
  const measured = measuredOf(measuredRuns, ctx, fallback);
  const unassigned = measuredRuns.length - measured.length;
  for (const [label, ids] of parseIdText(typeof cfg['fileIds'] === 'string' ? cfg['fileIds'] : '') ?? []) {
    const system = label === null ? fallback : (SYSTEMS.find((x) => x.toLowerCase() === label.toLowerCase()) ?? null);
    if (system === null) continue;
    for (const f of ids) for (const run of own.filter((r) => r.kind === 'measured' && r.importedFileId === f)) measured.push({ run, system });
  }
  const override = measuredFromCompareOutput(cell.output);
  const blocks: Block[] = [];
  // the tables below would show the paper's column alone, as if nothing had been compared
  if (cell.output === null || cell.output === undefined) blocks.push({ type: 'note', text: 'This cell has not run (or its last run failed): the tables show what its inputs hold now, without its own results.' });
  if (str(out['measuredNote'])) blocks.push({ type: 'note', text: str(out['measuredNote']) ?? '' });
  // as the cell shows them above its tables: what the measured column could not do or had to assume
  const warnings = out['measuredWarnings'];
  if (Array.isArray(warnings)) for (const w of warnings.slice(0, 20)) if (typeof w === 'string') blocks.push({ type: 'note', text: `Warning: ${w}` });
  blocks.push(...paperCompareBlocks(cell, sim, measured, ctx, true, override));
  if (unassigned > 0) blocks.push({ type: 'note', text: `${unassigned} measured run(s) are not assigned to a system and are listed under their Import cell only.` });
  const arithmetic = Array.isArray(out['arithmetic']) ? out['arithmetic'].filter((x): x is string => typeof x === 'string') : [];
  if (arithmetic.length) blocks.push({ type: 'pre', title: 'Measured arithmetic', text: arithmetic.join('\n') });
  for (const t of fitTables(cell.id, out['fit'])) blocks.push({ type: 'table', table: t });
  for (const t of sensitivityTables(cell.id, out['sensitivity'])) blocks.push({ type: 'table', table: t });
  for (const t of crossValidationTables(cell.id, out['cross_validation'])) blocks.push({ type: 'table', table: t });
  blocks.push(...objectiveProfileBlocks(cell.id, out['objective_profile'], ctx));
  const profile = rec(out['profile']);
  // as the cell says it: which event the measured shares count, and a warning when it is not cycles
  const event = str(profile['measuredEvent']);
  const cycles = profile['measuredCycles'] === true;
  const measuredWhat = cycles ? 'cycles' : `${event ?? 'unnamed-event'} samples`;
  if ((Array.isArray(profile['domains']) && profile['domains'].length) || (Array.isArray(profile['functions']) && profile['functions'].length)) {
    if (profile['measuredCycles'] === false) blocks.push({ type: 'note', text: `Warning: the measured profile counted ${event ?? 'an event it does not name'}, not CPU cycles: its shares below are of those samples, beside the simulated shares of cycles.` });
  }
  if (Array.isArray(profile['domains']) && profile['domains'].length) {
    blocks.push({
      type: 'table',
      table: {
        id: `${cell.id}-profile-domains`,
        title: `Cycles by domain: ${str(profile['measuredFile']) ?? 'measured'} vs simulated ${str(profile['simSystem']) ?? ''}`.trim(),
        columns: ['Domain', `Measured (% of ${measuredWhat}${event && cycles ? `, ${event}` : ''})`, 'Simulated (% of cycles)'],
        rows: profile['domains'].map(rec).map((d) => [str(d['domain']) ?? '?', num(d['measuredPct']), num(d['simulatedPct'])]),
      },
    });
  }
  if (Array.isArray(profile['functions']) && profile['functions'].length) {
    blocks.push({
      type: 'table',
      table: {
        id: `${cell.id}-profile-functions`,
        title: 'Cycles by function (top rows of the profile)',
        columns: ['Function', 'Domain', `Measured (% of ${measuredWhat}${event && cycles ? `, ${event}` : ''})`, 'Simulated (% of cycles)'],
        rows: profile['functions'].map(rec).map((d) => [str(d['name']) ?? '?', str(d['domain']) ?? null, num(d['measuredPct']), num(d['simulatedPct'])]),
      },
    });
  }
  return blocks;
}

/** Runs of each imported file printed in an Import cell's records table; the table's CSV/JSON export has them all. */
export const RECORDS_PER_FILE = 20;

/**
 * The first `limit` runs of each file, in order, and a note for each file cut short. A log can hold
 * hundreds of thousands of runs: printed one row each, the report was hundreds of MB.
 */
export function firstRunsPerFile(runs: StoredRun[], fileName: (id: number) => string, limit = RECORDS_PER_FILE): { shown: StoredRun[]; notes: string[] } {
  const byFile = new Map<number | null, StoredRun[]>();
  for (const r of runs) {
    const list = byFile.get(r.importedFileId) ?? [];
    list.push(r);
    byFile.set(r.importedFileId, list);
  }
  const shown: StoredRun[] = [];
  const notes: string[] = [];
  for (const [id, list] of byFile) {
    shown.push(...list.slice(0, limit));
    if (list.length <= limit) continue;
    const more = (list.length - limit).toLocaleString('en-US');
    const all = list.length.toLocaleString('en-US');
    notes.push(
      id === null
        ? `… and ${more} more runs without a file (all ${all} in this table's CSV/JSON export).`
        : `… and ${more} more runs of ${fileName(id)} (all ${all} in this table's CSV/JSON export, and in \`rxlab runs --file ${id}\`).`,
    );
  }
  return { shown, notes };
}

/**
 * What the Import cell prints in a record's Note column (an error, what a UDP run received, a -B
 * tag), and for a series that has no throughput (a flent Ping (ms) series) its mean in its own units,
 * so the row is not all dashes.
 */
export function recordNote(detail: unknown): string | null {
  const d = rec(detail);
  const error = str(d['error']);
  if (error) return error;
  const u = udpReceived(detail);
  const parts = [u ? udpReceivedText(u) : null, str(d['tag'])].filter((x): x is string => !!x);
  const extra = rec(d['extra']);
  const mean = num(extra['mean']);
  const units = str(extra['units']);
  if (num(d['throughput']) === null && mean !== null && units) {
    const samples = num(extra['samples']);
    parts.push(`mean ${displayNumber(mean, 4)} ${units}${samples !== null ? ` over ${samples.toLocaleString('en-US')} samples` : ''}`);
  }
  return parts.length ? parts.join(' · ') : null;
}

/** One row per measured record: the first runs of each file printed, every run in the export. */
function recordsTable(cell: Cell, runs: StoredRun[], ctx: BuildContext): Block {
  const row = (r: StoredRun): TableValue[] => {
    const d = rec(r.detail);
    const tool = (r.importedFileId !== null ? ctx.files.get(r.importedFileId)?.tool : undefined) ?? '';
    // the throughput as the Import cell shows it: as the log printed it, or a computed one without float noise
    const throughput = recordNumber(tool, num(d['throughput']) ?? num(r.metrics['throughput']) ?? undefined, str(d['throughput_text']) ?? undefined);
    return [r.id, r.label, str(d['test']) ?? r.workload, measuredSystem(r, cell, ctx.files), throughput || null, str(d['throughput_units']) ?? null, measuredValue(r, 'throughput_mbps'), measuredValue(r, 'rr_transactions_per_s'), num(r.metrics['elapsed_s']), recordNote(r.detail)];
  };
  const columns = ['Run', 'Record', 'Test', 'System', 'Throughput', 'Units', 'Throughput (Mbit/s)', 'Trans./s', 'Elapsed (s)', 'Note'];
  const { shown, notes } = firstRunsPerFile(runs, (id) => ctx.files.get(id)?.fileName ?? `file ${id}`);
  const printed = shown.map(row);
  // a column empty in every printed row (no testbed named, no TCP_RR run, no note) is left out of the
  // page, so the others are wide enough to read; the export keeps every column
  const kept = columns.map((_, i) => i).filter((i) => i < 3 || printed.some((r) => r[i] !== null && r[i] !== undefined));
  const all = kept.length === columns.length;
  return {
    type: 'table',
    table: {
      id: `${cell.id}-records`,
      title: `Measured records (${runs.length.toLocaleString('en-US')} run${runs.length === 1 ? '' : 's'})`,
      columns: kept.map((i) => columns[i] ?? ''),
      rows: printed.map((r) => kept.map((i) => r[i] ?? null)),
      ...(shown.length < runs.length ? { note: notes.join(' ') } : {}),
      ...(shown.length < runs.length || !all ? { full: { columns, rows: runs.map(row) } } : {}),
    },
  };
}

/** Profile rows printed per profile, as the Import cell shows them; the profiles printed per Import cell. */
export const PROFILE_ROWS = 20;
export const PROFILES_PER_CELL = 6;

/** An opreport/xenoprof/perf profile stored as a run: its rows, events and per-domain totals, not a test's throughput. */
function isProfile(detail: unknown): boolean {
  const d = rec(detail);
  return Array.isArray(d['rows']) && (Array.isArray(d['events']) || Array.isArray(d['domain_totals']) || Array.isArray(d['columns']));
}

/**
 * A profile as the Import cell shows it: CPU and events, the samples by domain, and its top rows
 * (samples, %, image, symbol, domain). It was a records row of dashes.
 */
function profileBlocks(cell: Cell, runs: StoredRun[], ctx: BuildContext): Block[] {
  const blocks: Block[] = [];
  for (const r of runs.slice(0, PROFILES_PER_CELL)) {
    const d = rec(r.detail);
    const file = r.importedFileId !== null ? ctx.files.get(r.importedFileId) : undefined;
    const events = Array.isArray(d['events']) ? d['events'].map(rec).map((e) => `${str(e['name']) ?? '?'} (count ${num(e['count']) ?? '?'})`) : [];
    const mhz = num(d['cpu_mhz']);
    const head = `Profile: ${str(d['cpu']) ?? 'CPU unknown'}${mhz ? ` @ ${displayNumber(mhz)} MHz` : ''} · events: ${events.join(', ') || 'not named'}`;
    const nums = (v: unknown): string => (Array.isArray(v) ? v.map((x) => (typeof x === 'number' ? displayNumber(x) : '?')).join(' / ') : '');
    const totals = Array.isArray(d['domain_totals']) ? d['domain_totals'].map(rec) : [];
    // perf prints percentages of its event count, not samples: its totals are Σ Self %
    const totalsText = totals.length ? `${file?.tool === 'perf' ? 'Share of the event count by domain (%)' : 'Samples by domain'}: ${totals.map((t) => `${str(t['domain']) ?? '?'} ${nums(t['samples'])}`).join(' · ')}` : null;
    // the top-level rows, as the cell keeps them (a call graph's callers and callees are not rows of their own)
    const rows = (d['rows'] as unknown[]).map(rec).filter((x) => (num(x['depth']) ?? 0) === 0);
    const total = num(d['row_count']) ?? rows.length;
    const columns = Array.isArray(d['columns']) ? d['columns'].filter((c): c is string => typeof c === 'string') : [];
    blocks.push({ type: 'note', text: [head, totalsText].filter(Boolean).join('. ') });
    blocks.push({
      type: 'table',
      table: {
        id: `${cell.id}-profile-${r.id}`,
        title: `Profile rows: ${file?.fileName ?? r.label ?? `run ${r.id}`}`,
        columns: ['Samples', `%${columns.length ? ` (${columns.join(' / ')})` : ''}`, 'Image', 'Symbol', 'Domain'],
        rows: rows.slice(0, PROFILE_ROWS).map((x) => [nums(x['samples']) || null, nums(x['percent']) || null, str(x['image']) ?? null, str(x['symbol']) ?? null, str(x['domain']) ?? null]),
        ...(total > PROFILE_ROWS ? { note: `Top ${PROFILE_ROWS} of ${total.toLocaleString('en-US')} rows shown, as in the notebook; the runs JSON export has every row (run ${r.id}'s detail).` } : {}),
      },
    });
  }
  if (runs.length > PROFILES_PER_CELL) blocks.push({ type: 'note', text: `… and ${runs.length - PROFILES_PER_CELL} more profiles (the runs CSV/JSON export has them).` });
  return blocks;
}

/** The logs an Import cell holds: those it names and those its runs came from. */
function importFiles(cell: Cell, ctx: BuildContext): ImportedFileSummary[] {
  const runs = (ctx.cellRuns.get(cell.id) ?? []).filter((r) => r.kind === 'measured');
  const { fileIds } = collectRefs([cell.config, cell.output]);
  const fileSet = new Set([...fileIds, ...runs.map((r) => r.importedFileId).filter((x): x is number => x !== null)]);
  return [...fileSet].map((id) => ctx.files.get(id)).filter((f): f is ImportedFileSummary => !!f);
}

/** An Import section is named by its logs, as the cell heads each with its file name: two were both "Imported measurements". */
export function importHeading(files: ImportedFileSummary[]): string {
  if (!files.length) return KIND_TITLE['import'] ?? 'Imported measurements';
  const names = files.slice(0, 3).map((f) => f.fileName);
  return `Imported: ${names.join(', ')}${files.length > names.length ? ` and ${files.length - names.length} more` : ''}`;
}

function importSection(cell: Cell, ctx: BuildContext): Block[] {
  const runs = (ctx.cellRuns.get(cell.id) ?? []).filter((r) => r.kind === 'measured');
  const blocks: Block[] = [];
  const files = importFiles(cell, ctx);
  if (files.length) {
    blocks.push({
      type: 'table',
      table: {
        id: `${cell.id}-files`,
        title: 'Imported files',
        columns: ['File', 'Tool', 'Format', 'Size (bytes)', 'SHA-256', 'Warnings'],
        rows: files.map((f) => [f.fileName, f.tool, f.format, f.sizeBytes, f.sha256, f.warnings.length ? f.warnings.join('; ') : null]),
      },
    });
  }
  const profiles = runs.filter((r) => isProfile(r.detail));
  const records = runs.filter((r) => !isProfile(r.detail));
  if (records.length) blocks.push(recordsTable(cell, records, ctx));
  blocks.push(...profileBlocks(cell, profiles, ctx));
  blocks.push(...overTimeBlocks(cell.id, files, runs, ctx), ...latencyBlocks(cell.id, runs, ctx));
  if (!blocks.length) return genericBlocks(cell, ctx);
  return blocks;
}

/** A sweep output: {vary: string[], points: [{values, metrics: {name: {mean, lo, hi}}}]} (SweepOutcome). */
function sweepSection(cell: Cell, ctx: BuildContext): Block[] {
  const out = rec(cell.output);
  const points = Array.isArray(out['points']) ? out['points'].map(rec) : [];
  const vary = Array.isArray(out['vary']) ? out['vary'].filter((v): v is string => typeof v === 'string') : [];
  const xKey = vary[0] ?? Object.keys(rec(points[0]?.['values']))[0];
  if (!points.length || !xKey) return genericBlocks(cell, ctx);
  const metricNames = [...new Set(points.flatMap((p) => Object.keys(rec(p['metrics']))))].sort();
  const cfg = rec(cell.config);
  const wanted = [str(cfg['y']), 'throughput_mbps', 'flush_latency_us.mean', 'cycles_per_byte.total'].filter((m): m is string => !!m && metricNames.includes(m));
  const shown = [...new Set(wanted)].slice(0, 2);
  const blocks: Block[] = [];
  if (out['cancelled'] === true) blocks.push({ type: 'note', text: 'This sweep was cancelled; the points shown are from an earlier complete run.' });
  const slurm = rec(out['slurm']);
  if (str(slurm['job'])) blocks.push({ type: 'note', text: `${num(slurm['runs']) ?? '?'} of its runs were simulated by Slurm job ${str(slurm['job'])} (job folder ${str(slurm['folder']) ?? '?'}) and collected into the store.` });
  // A second varied knob becomes one line per value.
  const groupKey = vary[1];
  for (const metric of shown) {
    const groups = new Map<string, LineSeries>();
    for (const p of points) {
      const values = rec(p['values']);
      const x = num(values[xKey]);
      const m = rec(rec(p['metrics'])[metric]);
      const y = num(m['mean']);
      if (x === null || y === null) continue;
      // named as the app's sweep chart names its lines
      const g = groupKey ? `${groupKey}=${String(values[groupKey])}` : 'Simulated';
      const s = groups.get(g) ?? { name: g, points: [] };
      s.points.push({ x, y, ...(num(m['lo']) !== null ? { lo: num(m['lo']) as number } : {}), ...(num(m['hi']) !== null ? { hi: num(m['hi']) as number } : {}) });
      groups.set(g, s);
    }
    const series = [...groups.values()];
    if (!series.length) continue;
    // as in the notebook's chart: the paper's LRO and DA on a flush_every_polls sweep (k = 1, 2)
    const ref = groupKey ? null : paperFlushPoints(PAPER, str(out['system']) ?? '', str(out['workload']) ?? 'stream', xKey, metric);
    if (ref) series.push({ name: 'Paper', points: ref.x.map((x, i) => ({ x, y: ref.y[i] ?? NaN })), line: false, markers: true, color: ROLE_COLORS.Paper });
    // titled and labelled as the app's sweep chart: "LRO: Throughput (Mbit/s)", on x the knob with its
    // meaning and unit as the sweep stored them (a sweep stored without them: the knob's name)
    const title = `${str(out['system']) ? `${str(out['system'])}: ` : ''}${metricLabel(metric)}`;
    const fig = ctx.addFigure({
      id: `${cell.id}-${metric}`,
      title,
      caption: `Mean over ${num(out['seeds']) ?? 'the'} seeds with 95 % CI error bars.${ref ? ` Series “Paper”: ${ref.text.join(', ')}.` : ''}`,
      spec: { type: 'line', title, xLabel: sweepAxisLabel(out, xKey), yLabel: metricLabel(metric), series },
      data: {
        id: `${cell.id}-${metric}-data`,
        title,
        columns: ['Series', xKey, `${metric} mean`, 'CI low', 'CI high'],
        rows: series.flatMap((s) => s.points.map((p) => [s.name, p.x, p.y, p.lo ?? null, p.hi ?? null])),
      },
      runIds: points.flatMap((p) => (Array.isArray(p['runIds']) ? p['runIds'].filter((x): x is number => typeof x === 'number') : [])),
    });
    blocks.push({ type: 'figure', figure: fig });
  }
  // The metrics the sweep is about first (its plotted one, throughput, latency, cycles), then others up to six.
  const printed = [...new Set([...wanted, ...metricNames])].slice(0, 6);
  const knobs = (p: Record<string, unknown>): TableValue[] => vary.map((k) => valueCell(rec(p['values'])[k]));
  // printed as the app's sweep table prints a point: labelled with its unit, "mean ± half-width" over the seeds
  const rows = points.map((p) => [...knobs(p), ...printed.map((m) => pointText(rec(rec(p['metrics'])[m]), num(out['seeds'])))]);
  // the export: every metric's mean as a number, by its name
  const means = points.map((p) => [...knobs(p), ...metricNames.map((m) => num(rec(rec(p['metrics'])[m])['mean']))]);
  blocks.push({
    type: 'table',
    table: {
      id: `${cell.id}-points`,
      title: `Sweep points (${points.length}): mean ± 95 % CI over the seeds`,
      columns: [...vary, ...printed.map(metricLabel)],
      rows,
      ...(metricNames.length > printed.length ? { note: `${metricNames.length - printed.length} more metrics in the CSV export.` } : {}),
      full: { columns: [...vary, ...metricNames], rows: means },
    },
  });
  return blocks;
}

/** A sweep point's metric ({mean, lo, hi, halfWidth, n}, read defensively) as "mean ± half-width". */
function pointText(m: Record<string, unknown>, seeds: number | null): TableValue {
  const mean = num(m['mean']);
  if (mean === null) return null;
  const lo = num(m['lo']);
  const hi = num(m['hi']);
  const halfWidth = num(m['halfWidth']) ?? (lo !== null && hi !== null ? (hi - lo) / 2 : null);
  const n = num(m['n']) ?? seeds ?? (halfWidth !== null ? 2 : 1);
  if (halfWidth === null || n < 2) return fmtNum(mean);
  return intervalText({ mean, lo: lo ?? mean - halfWidth, hi: hi ?? mean + halfWidth, halfWidth, n });
}

function valueCell(v: unknown): TableValue {
  return typeof v === 'number' || typeof v === 'string' ? v : v === null || v === undefined ? null : JSON.stringify(v);
}

/**
 * Plot cell. The notebook stores output {series: [{name, x, y, err}], xLabel, yLabel, sourceCellId}; x is
 * numeric (a knob or a metric) or categorical (systems), err is the 95 % half-width. Without an output the
 * points come from the runs of the source cell (config.source: a cell id or "previous").
 */
function plotSection(cell: Cell, index: number, ctx: BuildContext): Block[] {
  const cfg = rec(cell.config);
  const out = rec(cell.output);
  const xKey = str(out['xLabel']) || str(cfg['x']) || 'x';
  const yKey = str(out['yLabel']) || str(cfg['y']) || 'y';
  // titled and labelled as the app's Plot cell: "Throughput (Mbit/s) vs flush_latency_us.mean"
  const title = str(cfg['title']) ?? `${metricLabel(yKey)} vs ${xKey}`;
  const srcId = str(out['sourceCellId']) ?? str(cfg['source']);
  const raw = Array.isArray(out['series']) ? out['series'].map(rec) : [];
  // Series given without any source (e.g. a trace) have no runs behind them; otherwise "previous" = nearest Simulation/Sweep above.
  const srcCell =
    srcId && srcId !== 'previous'
      ? ctx.cells.find((c) => c.id === srcId)
      : srcId === 'previous' || !raw.length
        ? ctx.cells.slice(0, index).reverse().find((c) => c.kind === 'simulation' || c.kind === 'sweep')
        : undefined;
  const runs = (ctx.cellRuns.get(cell.id) ?? []).length ? (ctx.cellRuns.get(cell.id) ?? []) : srcCell ? (ctx.cellRuns.get(srcCell.id) ?? []) : [];
  const categorical = raw.some((s) => Array.isArray(s['x']) && s['x'].some((v) => typeof v === 'string'));

  if (raw.length && categorical) {
    const cats: string[] = [];
    for (const s of raw) for (const v of Array.isArray(s['x']) ? s['x'] : []) if (!cats.includes(String(v))) cats.push(String(v));
    const series = raw.map((s, i) => {
      const xs = (Array.isArray(s['x']) ? s['x'] : []).map(String);
      const ys = Array.isArray(s['y']) ? s['y'] : [];
      const err = Array.isArray(s['err']) ? s['err'] : [];
      const at = (c: string): number => xs.indexOf(c);
      const val = (c: string): number | null => (at(c) >= 0 ? num(ys[at(c)]) : null);
      const e = (c: string): number | null => (at(c) >= 0 ? num(err[at(c)]) : null);
      return {
        name: str(s['name']) ?? `series ${i + 1}`,
        values: cats.map(val),
        lo: cats.map((c) => (val(c) !== null && e(c) !== null ? (val(c) as number) - (e(c) as number) : null)),
        hi: cats.map((c) => (val(c) !== null && e(c) !== null ? (val(c) as number) + (e(c) as number) : null)),
        // the paper's bars grey and measured ones orange, as the app's Plot cell draws them
        ...(s['paper'] === true ? { color: ROLE_COLORS.Paper } : s['measured'] === true ? { color: ROLE_COLORS.Measured } : {}),
      };
    });
    const fig = ctx.addFigure({
      id: `${cell.id}-plot`,
      title,
      caption: `${metricLabel(yKey)} by ${xKey}; error bars: 95 % CI.`,
      spec: { type: 'bar', title, yLabel: metricLabel(yKey), categories: cats, series },
      data: { id: `${cell.id}-plot-data`, title, columns: ['Series', xKey, yKey, '± 95 % CI'], rows: series.flatMap((s) => cats.map((c, j) => [s.name, c, s.values[j] ?? null, s.hi[j] !== null && s.values[j] !== null ? (s.hi[j] as number) - (s.values[j] as number) : null])) },
      runIds: runs.map((r) => r.id),
    });
    return [{ type: 'figure', figure: fig }];
  }

  let series: LineSeries[] = raw.map((s, i) => {
    const xs = Array.isArray(s['x']) ? s['x'] : [];
    const ys = Array.isArray(s['y']) ? s['y'] : [];
    const err = Array.isArray(s['err']) ? s['err'] : [];
    const points: XY[] = [];
    xs.forEach((xv, j) => {
      const x = num(xv);
      const y = num(ys[j]);
      const e = num(err[j]);
      if (x !== null && y !== null) points.push(e !== null ? { x, y, lo: y - e, hi: y + e } : { x, y });
    });
    // the paper's reference points and your measured runs (PlotSeries.paper / .measured) are markers, not a line
    return { name: str(s['name']) ?? `series ${i + 1}`, points, ...(s['paper'] === true || s['measured'] === true ? { line: false, markers: true, color: s['measured'] === true ? ROLE_COLORS.Measured : ROLE_COLORS.Paper } : {}) };
  });
  if (!raw.length) {
    const bySys = new Map<string, LineSeries>();
    for (const r of runs) {
      const x = num(r.metrics[xKey]) ?? num(r.provenance.parameters[xKey]);
      const y = num(r.metrics[yKey]) ?? num(r.provenance.parameters[yKey]);
      if (x === null || y === null) continue;
      const name = r.system ?? r.kind;
      const s = bySys.get(name) ?? { name, points: [], line: false, markers: true };
      s.points.push({ x, y });
      bySys.set(name, s);
    }
    series = [...bySys.values()];
  }
  if (!series.some((s) => s.points.length)) {
    // a Plot that never ran has no axes of its own to name
    if (cell.output === null || cell.output === undefined) return genericBlocks(cell, ctx);
    return [{ type: 'note', text: `Nothing to plot: no values of "${yKey}" against "${xKey}".` }, ...genericBlocks(cell, ctx)];
  }
  // the paper's reference points and measured runs are counted apart from what was simulated ("6 points" for 4 simulated and the paper's 2)
  const roleOf = (i: number): 'paper' | 'measured' | 'simulated' => (raw[i]?.['paper'] === true ? 'paper' : raw[i]?.['measured'] === true ? 'measured' : 'simulated');
  const count = (role: string): number => series.reduce((a, s, i) => a + (roleOf(i) === role ? s.points.length : 0), 0);
  const [simulated, paperPoints, measuredPoints] = [count('simulated'), count('paper'), count('measured')];
  const withErr = series.some((s) => s.points.some((p) => p.lo !== undefined));
  const counted = raw.length ? `${simulated.toLocaleString('en-US')} simulated point${simulated === 1 ? '' : 's'}` : `${simulated.toLocaleString('en-US')} points`;
  const besides = [
    ...(paperPoints ? [`the paper's ${paperPoints} reference point${paperPoints === 1 ? '' : 's'}`] : []),
    ...(measuredPoints ? [`${measuredPoints} measured point${measuredPoints === 1 ? '' : 's'}`] : []),
  ];
  const fig = ctx.addFigure({
    id: `${cell.id}-plot`,
    title,
    caption: `${counted}${withErr ? '; error bars: 95 % CI' : ''}.${besides.length ? ` Beside them, as markers: ${besides.join(' and ')}.` : ''}`,
    spec: { type: 'line', title, xLabel: plotAxisLabel(out, xKey), yLabel: metricLabel(yKey), series },
    data: { id: `${cell.id}-plot-data`, title, columns: ['Series', xKey, yKey, 'CI low', 'CI high'], rows: series.flatMap((s) => s.points.map((p) => [s.name, p.x, p.y, p.lo ?? null, p.hi ?? null])) },
    runIds: runs.map((r) => r.id),
  });
  return [{ type: 'figure', figure: fig }];
}

export function runSummaryTable(id: string, runs: StoredRun[]): { type: 'table'; table: TableData } {
  const metricNames = ['throughput_mbps', 'cycles_per_byte.total', 'lro_rate', 'rr_transactions_per_s', 'flush_latency_us.mean'].filter((m) => runs.some((r) => typeof r.metrics[m] === 'number'));
  return {
    type: 'table',
    table: {
      id: `${id}-runs`,
      title: `Runs (${runs.length})`,
      columns: ['Run', 'System', 'Workload', 'Seed', ...metricNames],
      rows: runs.map((r) => [r.id, r.system, r.workload, r.provenance.seed, ...metricNames.map((m) => r.metrics[m] ?? null)]),
    },
  };
}

/** Whatever the output holds: its scalar leaves as a key/value table, and its runs. */
export function genericBlocks(cell: Cell, ctx: BuildContext): Block[] {
  const blocks: Block[] = [];
  const runs = ctx.cellRuns.get(cell.id) ?? [];
  if (runs.length) blocks.push(runSummaryTable(cell.id, runs));
  const flat = flattenMetrics(cell.output, new Set());
  const strings = Object.entries(rec(cell.output)).filter(([, v]) => typeof v === 'string');
  const entries: [string, TableValue][] = [...strings.map(([k, v]) => [k, v as string] as [string, TableValue]), ...Object.entries(flat)].filter(([k]) => !/(^|\.)(runIds?|fileIds?|id)$/.test(k));
  if (entries.length) {
    blocks.push({
      type: 'table',
      table: {
        id: `${cell.id}-values`,
        title: 'Output values',
        columns: ['Field', 'Value'],
        rows: entries.slice(0, 200).map(([k, v]) => [k, v]),
        ...(entries.length > 200 ? { note: `first 200 of ${entries.length} values` } : {}),
      },
    });
  }
  // the notebook keeps a cell's last result, not its last error: say both possibilities
  if (!blocks.length) blocks.push({ type: 'note', text: cell.output === null || cell.output === undefined ? 'No result: this cell has not run, or its last run failed.' : 'No results to show.' });
  return blocks;
}

export function buildSection(cell: Cell, index: number, ctx: BuildContext): Section {
  const cfg = rec(cell.config);
  let blocks: Block[];
  try {
    switch (cell.kind) {
      case 'markdown':
        blocks = markdownSection(cell);
        break;
      case 'simulation':
        blocks = simulationSection(cell, ctx);
        break;
      case 'compare':
        blocks = compareSection(cell, ctx);
        break;
      case 'import':
        blocks = importSection(cell, ctx);
        break;
      case 'sweep':
        blocks = sweepSection(cell, ctx);
        break;
      case 'plot':
        blocks = plotSection(cell, index, ctx);
        break;
      default:
        blocks = genericBlocks(cell, ctx);
    }
  } catch (e) {
    blocks = [{ type: 'note', text: `This cell's output could not be shown (${e instanceof Error ? e.message : String(e)}); its data is in the JSON export.` }];
  }
  const heading = str(cfg['title']) ?? (cell.kind === 'import' ? importHeading(importFiles(cell, ctx)) : (KIND_TITLE[cell.kind] ?? cell.kind));
  // Runs simulated with another model than this build's (an older rxlab, a recalibration, a
  // colleague's .rxnb): the reader should know the cell would now give other numbers.
  const runs = ctx.cellRuns.get(cell.id) ?? [];
  // A Compare cell simulates nothing: the runs it compares are its input cells'.
  const compared = cell.kind === 'compare' ? compareInputs(cell, ctx).flatMap((c) => ctx.cellRuns.get(c.id) ?? []) : [];
  const others = [...new Set([...runs, ...compared].flatMap((r) => (r.kind === 'simulated' && r.provenance.modelVersion !== null && r.provenance.modelVersion !== MODEL_VERSION ? [r.provenance.modelVersion] : [])))].sort();
  if (others.length) {
    const text =
      cell.kind === 'compare'
        ? `The simulated runs compared here come from model ${others.join(', ')}; this build runs ${MODEL_VERSION}: running the Simulation cells it reads again would compare that model's runs.`
        : `Simulated with model ${others.join(', ')}; this build runs ${MODEL_VERSION}, and running the cell again would simulate it with that.`;
    blocks.unshift({ type: 'note', text });
  }
  return { cellId: cell.id, kind: cell.kind, heading, stale: cell.stale, blocks, config: cfg, runIds: runs.map((r) => r.id) };
}
