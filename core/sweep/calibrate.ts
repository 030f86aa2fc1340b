/**
 * Calibration to the user's own logs (issue 7, item 4): measured Tables IV/V/VII from imported netperf
 * + oprofile/perf files (core/logs/measured) become the fit target of core/sim/calibrate's
 * fitParameters; residuals are reported before (current calibrated set) and after the fit, and the
 * fitted set is saved under a name (paramsets.ts) that sweeps (--params NAME) and Simulation cells
 * can start from.
 */
import { inputsByTool, measuredTables, type MeasuredTables } from '../logs/measured/tables.js';
import type { ImportDoc } from '../logs/types.js';
import { fitParameters, simulateTables, type FitOptions, type Runner } from '../sim/calibrate/fit.js';
import { applyImplied } from '../sim/calibrate/implied.js';
import { groupScales } from '../sim/calibrate/holdout.js';
import { knobWords } from '../contract/multipliers.js';
import { compareCells, targetCells, type Cell, type TargetTables } from '../sim/compare-tables.js';
import { calibratedParams } from '../sim/systems.js';
import type { Params } from '../sim/params.js';
import { MODEL_VERSION } from '../sim/version.js';
import type { Db } from '../store/db.js';
import { loadImportDoc } from '../store/imports.js';
import { saveParameterSet, type ParameterSet } from './paramsets.js';
import type { KnobValue, SystemName } from './types.js';

export interface MeasuredSource {
  system: SystemName;
  /** imported_file ids: netperf logs (TCP_STREAM and/or TCP_RR) and the oprofile/perf reports taken during them. */
  fileIds: number[];
}

/** Loads the imported documents of a source and derives its measured tables. */
export function measuredFor(db: Db, src: MeasuredSource): MeasuredTables {
  const docs = src.fileIds.map((id) => {
    const doc = loadImportDoc<ImportDoc>(db, id);
    if (doc === undefined) throw new Error(`imported file ${id} does not exist (rxlab import lists the ids)`);
    return doc;
  });
  // by tool as the notebook's measured column sorts them (iperf3 TCP feeds Table IV too)
  return measuredTables(inputsByTool(docs), { system: src.system });
}

function emptyTarget(): TargetTables {
  return { throughputMbps: {}, cyclesPerByte: { driver: {}, guest: {}, total: {} }, lroRate: {}, rrTransactionsPerS: {} };
}

/**
 * Adds one system's measured tables to a fit target. Cycles/byte follow the simulator's (and the
 * paper's) convention: hypervisor cycles are not in any domain, so total = Σ domains − hypervisor.
 */
export function addToTarget(target: TargetTables, system: SystemName, m: MeasuredTables, notes: string[]): void {
  const thr = m.tableIV.throughputMbps?.mean;
  if (thr !== undefined && Number.isFinite(thr)) target.throughputMbps[system] = thr;
  const rr = m.tableVII.transactionsPerS?.mean;
  if (rr !== undefined && Number.isFinite(rr)) target.rrTransactionsPerS[system] = rr;
  const d = m.tableV.perDomain;
  const val = (k: string): number | undefined => {
    const v = d[k]?.mean;
    return v !== undefined && Number.isFinite(v) ? v : undefined;
  };
  const driver = val('driver');
  const guest = val('guest');
  // the measured total is driver + guest already, as the paper's and the simulator's are
  const total = val('total');
  const hyp = m.tableV.hypervisor?.mean ?? 0;
  if (driver !== undefined) target.cyclesPerByte.driver[system] = driver;
  if (guest !== undefined) target.cyclesPerByte.guest[system] = guest;
  if (total !== undefined) {
    target.cyclesPerByte.total[system] = total;
    if (hyp > 0) notes.push(`${system}: hypervisor ${hyp.toFixed(2)} cycles/B not in the total (the simulator reports Xen cycles apart)`);
  }
  const cells = [thr, rr, driver, guest, total].filter((x) => x !== undefined).length;
  if (cells === 0) notes.push(`${system}: the files give no throughput, transaction rate or cycles/byte; nothing to fit`);
  for (const w of m.warnings) notes.push(`${system}: ${w}`);
}

/** "your measured Xen row", "your measured Xen, LRO rows": what a target of measured tables is called. */
export function measuredLabel(systems: string[]): string {
  return `your measured ${systems.join(', ')} row${systems.length === 1 ? '' : 's'}`;
}

/** The target tables of several systems' measured tables (notes say what was left out and why). */
export function targetFromMeasured(sources: { system: SystemName; tables: MeasuredTables }[], notes: string[]): TargetTables {
  if (sources.length === 0) throw new Error('no measured sources: give at least one SYSTEM=FILE_ID,… group');
  const target = emptyTarget();
  for (const s of sources) addToTarget(target, s.system, s.tables, notes);
  if (targetCells(target).length === 0) throw new Error('the measured logs give no throughput, transaction rate or cycles/byte to fit');
  return target;
}

export interface CalibrationToLogs {
  name: string;
  target: TargetTables;
  /** Residuals of the current calibrated set and of the fitted set, cell by cell (same seeds and durations). */
  before: Cell[];
  after: Cell[];
  multipliers: Record<string, number>;
  /** Each cost group of the fitted set beside the paper's calibration (both × prior): what your testbed costs differently. */
  groups: GroupAgainstPaper[];
  /** The fitted parameter set itself (also what `saved` holds when it was saved). */
  params: Record<string, KnobValue>;
  modelVersion: string;
  objective: number;
  evaluations: number;
  notes: string[];
  /** The saved set, or why it could not be saved (e.g. the parameter_set table is missing). */
  saved: ParameterSet | null;
  saveError?: string;
}

export interface GroupAgainstPaper {
  /** A fitted multiplier's name (core/contract/multipliers.ts FITTED_MULTIPLIERS). */
  group: string;
  /** × prior (geometric mean over the group's costs), in the calibration to the paper and in this fit. */
  paper: number;
  yours: number;
}

/**
 * Where a fitted set puts each cost group against the calibration to the paper. The fit's own
 * multipliers are relative to its stage-B start, which already moved the domain costs, so they do
 * not say this; × prior does, for both sets alike.
 */
export function groupsAgainstPaper(fitted: Params): GroupAgainstPaper[] {
  const paper = groupScales(calibratedParams());
  const yours = groupScales(fitted);
  return Object.keys(paper).map((group) => ({ group, paper: paper[group] as number, yours: yours[group] as number }));
}

export interface CalibrateOptions extends Pick<FitOptions, 'seeds' | 'durationS' | 'warmupS' | 'maxEvals' | 'onProgress'> {
  runner?: Runner;
  /** Which runs come next: stage B's, the fit's search and final check (FitOptions.onPhase), then the "before" column's. */
  onPhase?: (phase: 'stage-b' | 'search' | 'final' | 'before') => void;
  replace?: boolean;
}

/**
 * The logs a set was fitted to, by name and SHA-256 as well as id: ids are reused after a delete
 * (imported_file has no AUTOINCREMENT), so "fitted to file #7" alone came to name another log.
 * Ids this database does not hold (a Slurm task's fit from a targets file) are left out.
 */
export function sourceFiles(db: Db, ids: number[]): { id: number; fileName: string; sha256: string }[] {
  const rows = db.prepare('SELECT id, file_name AS fileName, sha256 FROM imported_file WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id').all(JSON.stringify(ids));
  return rows as { id: number; fileName: string; sha256: string }[];
}

export async function calibrateToLogs(db: Db, name: string, sources: MeasuredSource[], opts: CalibrateOptions = {}): Promise<CalibrationToLogs> {
  return calibrateToTables(db, name, sources.map((s) => ({ ...s, tables: measuredFor(db, s) })), opts);
}

/**
 * The fit itself, from measured tables already derived (the API derives them in the worker pool, so
 * a large log is never parsed on the thread that serves the UI).
 */
export async function calibrateToTables(db: Db, name: string, sources: (MeasuredSource & { tables: MeasuredTables })[], opts: CalibrateOptions = {}): Promise<CalibrationToLogs> {
  const notes: string[] = [];
  const target = targetFromMeasured(sources, notes);
  const fitOpts: FitOptions = {};
  if (opts.seeds) fitOpts.seeds = opts.seeds;
  if (opts.durationS !== undefined) fitOpts.durationS = opts.durationS;
  if (opts.warmupS !== undefined) fitOpts.warmupS = opts.warmupS;
  if (opts.maxEvals !== undefined) fitOpts.maxEvals = opts.maxEvals;
  if (opts.onProgress) fitOpts.onProgress = opts.onProgress;
  if (opts.runner) fitOpts.runner = opts.runner;
  const onPhase = opts.onPhase;
  if (onPhase) fitOpts.onPhase = onPhase;
  const runner: Runner =
    opts.runner ??
    (async (reqs) => {
      const { runMany } = await import('../sim/pool.js');
      return runMany('sim', reqs);
    });
  if (targetCells(target).some((c) => c.table === 'V')) {
    // Stage B (as in `rxlab calibrate`): price the domain costs your Table V sees at the model's
    // event counts, then let the closed-loop fit scale the groups from there.
    onPhase?.('stage-b');
    const b = await applyImplied(calibratedParams(), target, runner, fitOpts.seeds ?? [11, 12]);
    fitOpts.base = b.params;
    const moved = b.implied.filter((c) => c.constrained).length;
    notes.push(`stage B: ${moved} domain costs set to what your Table V implies at the model's event counts before the fit`);
  }
  const fit = await fitParameters(target, fitOpts);
  // "Before": the current calibrated set on the same seeds and durations as the fit's final check.
  const base: Params = { ...calibratedParams(), duration_s: fit.report.duration_s, warmup_s: fit.report.warmup_s };
  onPhase?.('before');
  const before = compareCells(target, await simulateTables(base, target, fit.report.seeds, runner));
  const out: CalibrationToLogs = {
    name,
    target,
    before,
    after: fit.report.cells,
    multipliers: fit.report.multipliers,
    groups: groupsAgainstPaper(fit.params),
    params: fit.params as unknown as Record<string, KnobValue>,
    modelVersion: MODEL_VERSION,
    objective: fit.report.objective,
    evaluations: fit.report.evaluations,
    notes,
    saved: null,
  };
  try {
    out.saved = saveParameterSet(
      db,
      {
        name,
        params: out.params,
        report: { sources: sources.map((x) => ({ system: x.system, fileIds: x.fileIds, files: sourceFiles(db, x.fileIds) })), target, before, after: fit.report.cells, multipliers: fit.report.multipliers, objective: fit.report.objective, seeds: fit.report.seeds },
        modelVersion: MODEL_VERSION,
      },
      { replace: opts.replace ?? false },
    );
  } catch (e) {
    out.saveError = e instanceof Error ? e.message : String(e);
  }
  return out;
}

export function formatCalibration(r: CalibrationToLogs): string {
  const f = (x: number | null | undefined, d = 2): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(d));
  const lines = [`Calibration "${r.name}" to your logs: ${r.evaluations} evaluations, objective ${f(r.objective)}`, ''];
  lines.push(`  ${'table'.padEnd(5)} ${'system'.padEnd(6)} ${'metric'.padEnd(22)} ${'measured'.padStart(10)} ${'before'.padStart(10)} ${'err %'.padStart(8)} ${'after'.padStart(10)} ${'err %'.padStart(8)}`);
  r.after.forEach((a, i) => {
    const b = r.before[i];
    lines.push(
      `  ${a.table.padEnd(5)} ${a.system.padEnd(6)} ${a.metric.padEnd(22)} ${f(a.paper).padStart(10)} ${f(b?.simulated).padStart(10)} ${f(b?.error_pct, 1).padStart(8)} ${f(a.simulated).padStart(10)} ${f(a.error_pct, 1).padStart(8)}`,
    );
  });
  lines.push('', "  cost groups, × prior (the paper's calibration → yours = ratio):");
  for (const g of r.groups) lines.push(`    ${knobWords(g.group).padEnd(46)} ${f(g.paper, 3).padStart(8)} → ${f(g.yours, 3).padStart(8)} = ×${f(g.yours / g.paper, 2)}`);
  lines.push(`  stage C multipliers (× its stage-B start): ${Object.entries(r.multipliers).map(([k, v]) => `${k} ×${v.toFixed(3)}`).join(', ')}`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  lines.push(r.saved ? `  saved as parameter set "${r.saved.name}" (use: rxlab sweep … --params ${r.saved.name})` : `  NOT saved: ${r.saveError ?? 'unknown reason'}`);
  return `${lines.join('\n')}\n`;
}
