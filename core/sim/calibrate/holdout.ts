/**
 * Cross-validation of the calibration (model-notes §6: "leave-one-config-out cross-validation").
 * `rxlab reproduce` shows how well one shared parameter set can *fit* Tables IV–VII: every cell it
 * prints was also a target of the fit. Here the whole calibration (stage B, then stage C) is re-run
 * with some cells left out of its target — all of one system's cells, or one table — and the set it
 * finds is run on reproduce's seeds, so each held-out cell is a prediction of a cell the fit never
 * saw. The gap between the in-sample and the held-out errors is how much of the table the model
 * explains rather than absorbs.
 */
import { UsageError } from '../../cli-args.js';
import type { CrossValidationOutcome } from '../../contract/index.js';
import { PAPER } from '../../reference/paper.js';
import { compareCells, type Cell, type TargetTables } from '../compare-tables.js';
import { COST_GROUPS, DEFAULT_PARAMS, PARAM_SPECS, type Params } from '../params.js';
import { calibratedParams } from '../systems.js';
import { SYSTEM_NAMES, type SystemName } from '../types.js';
import { MODEL_VERSION } from '../version.js';
import { simulateTables, type Runner } from './fit.js';
import { fitFromStart, STAGE_C_EVALS } from './run-calibration.js';
import { cellLabel, fmtSigned } from './sensitivity.js';

type Table = Cell['table'];
const TABLES: readonly Table[] = ['IV', 'V', 'VI', 'VII'];

/** Cells matching any selector are held out; a selector names a table, a system, or both. */
export interface HoldoutSelector {
  table?: Table;
  system?: SystemName;
}

export interface Fold {
  name: string;
  /** What `--holdout` takes for this fold (a Slurm task runs it so). */
  spec: string;
  selectors: HoldoutSelector[];
}

export type FoldKind = 'systems' | 'tables';

/** Leave one system out (the notes' leave-one-config-out), or one table out. */
export function foldsFor(kind: FoldKind): Fold[] {
  return kind === 'systems'
    ? SYSTEM_NAMES.map((system) => ({ name: system, spec: system, selectors: [{ system }] }))
    : TABLES.map((table) => ({ name: `Table ${table}`, spec: table, selectors: [{ table }] }));
}

/**
 * `--holdout DA`, `--holdout VI`, `--holdout V:DA,VII`: systems, tables (IV–VII) or TABLE:SYSTEM
 * cells, comma-separated; the fold holds out their union.
 */
export function parseHoldout(spec: string): Fold {
  const parts = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0) throw new UsageError('--holdout: name a system (Linux, Xen, LRO, BO, DA), a table (IV, V, VI, VII) or TABLE:SYSTEM');
  const selectors = parts.map((p): HoldoutSelector => {
    const [a, b, extra] = p.split(':');
    const table = (s: string | undefined): Table | undefined => TABLES.find((t) => t === s?.toUpperCase());
    const system = (s: string | undefined): SystemName | undefined => SYSTEM_NAMES.find((n) => n.toLowerCase() === s?.toLowerCase());
    if (b === undefined) {
      const t = table(a);
      if (t !== undefined) return { table: t };
      const s = system(a);
      if (s !== undefined) return { system: s };
    } else if (extra === undefined) {
      const t = table(a);
      const s = system(b);
      if (t !== undefined && s !== undefined) return { table: t, system: s };
    }
    throw new UsageError(`--holdout: "${p}" is not a system (${SYSTEM_NAMES.join(', ')}), a table (${TABLES.join(', ')}) or TABLE:SYSTEM such as V:DA`);
  });
  const fold = { name: parts.join(','), spec: parts.join(','), selectors };
  const held = compareCells(PAPER, {}).filter((c) => isHeldOut(fold, c));
  if (held.length === 0) throw new UsageError(`--holdout ${spec}: the paper has no such cells (Table VI has only LRO and DA; Table V has only Linux's total)`);
  return fold;
}

export function isHeldOut(fold: Fold, c: Pick<Cell, 'table' | 'system'>): boolean {
  return fold.selectors.some((s) => (s.table === undefined || s.table === c.table) && (s.system === undefined || s.system === c.system));
}

/** `target` with the fold's cells removed (absent entries are not targets: compare-tables.ts). */
export function withoutHeldOut(target: TargetTables, fold: Fold): TargetTables {
  const keep = <T>(table: Table, rec: Partial<Record<SystemName, T>>): Partial<Record<SystemName, T>> => {
    const out: Partial<Record<SystemName, T>> = {};
    for (const [s, v] of Object.entries(rec) as [SystemName, T][]) if (!isHeldOut(fold, { table, system: s })) out[s] = v;
    return out;
  };
  return {
    throughputMbps: keep('IV', target.throughputMbps),
    cyclesPerByte: {
      driver: keep('V', target.cyclesPerByte.driver),
      guest: keep('V', target.cyclesPerByte.guest),
      total: keep('V', target.cyclesPerByte.total),
    },
    lroRate: keep('VI', target.lroRate),
    rrTransactionsPerS: keep('VII', target.rrTransactionsPerS),
  };
}

/**
 * Where a fit put each cost group, × the prior (geometric mean over the group's costs), plus m_align
 * and the TCP_RR client turnaround. Stage C's multipliers are relative to each fit's own stage-B set,
 * so they cannot be compared across folds; these can.
 */
export function groupScales(p: Params): Record<string, number> {
  const out: Record<string, number> = {};
  for (const g of COST_GROUPS) {
    const logs = PARAM_SPECS.filter((s) => s.group === g).map((s) => Math.log((p[s.name] as number) / (DEFAULT_PARAMS[s.name] as number)));
    out[g] = Math.exp(logs.reduce((a, b) => a + b, 0) / Math.max(1, logs.length));
  }
  out.m_align = p.m_align / DEFAULT_PARAMS.m_align;
  out.l_ext_us = p.l_ext_us / DEFAULT_PARAMS.l_ext_us;
  return out;
}

/** One fold: stage C's evaluations and best objective, its cost groups, its fitted and held-out cells (the contract spells it out for the renderer). */
export type FoldReport = CrossValidationOutcome['folds'][number];

export interface LabelledCell extends Cell {
  /** "V DA driver": as the sensitivity tables and the CLI name cells. */
  label: string;
}

export interface CrossValidatedCell extends LabelledCell {
  /** The fold that held this cell out (null: no fold did). */
  fold: string | null;
  held_out_simulated: number | null;
  held_out_error_pct: number | null;
  held_out_within: boolean | null;
}

export interface CrossValidationReport {
  model_version: string;
  /** 'systems' / 'tables', or the --holdout spec. */
  folds_by: string;
  seeds: number[];
  rounds: number;
  /** The committed calibration (all cells fitted), on the same seeds: `rxlab reproduce`. */
  in_sample_groups: Record<string, number>;
  folds: FoldReport[];
  /** Every paper cell: its in-sample error and, when a fold held it out, its held-out error. */
  cells: CrossValidatedCell[];
  summary: CrossValidationSummary;
}

/** Over the cells a fold held out: how many are within tolerance, and the median |error|, each way. */
export type CrossValidationSummary = CrossValidationOutcome['summary'];

export interface CrossValidationOptions {
  /** Stage C budget per fold (default STAGE_C_EVALS, as the committed calibration). */
  rounds?: number;
  /** Evaluation seeds (default 1–3, rxlab reproduce's; the fits use their own, fit.ts). */
  seeds?: number[];
  /** The set the in-sample column uses (default: the committed calibration). */
  inSample?: Params;
  onProgress?: (fold: number, folds: number, name: string, evals: number, budget: number, best: number) => void;
}

export async function crossValidate(folds: Fold[], runner: Runner, opts: CrossValidationOptions = {}, foldsBy = 'systems'): Promise<CrossValidationReport> {
  const seeds = opts.seeds ?? [1, 2, 3];
  const rounds = opts.rounds ?? STAGE_C_EVALS;
  const inSample = opts.inSample ?? calibratedParams();
  const inCells = compareCells(PAPER, await simulateTables(inSample, PAPER, seeds, runner));
  const reports: FoldReport[] = [];
  const heldBy = new Map<string, { fold: string; cell: Cell }>();
  for (const [i, fold] of folds.entries()) {
    const target = withoutHeldOut(PAPER, fold);
    const { fit } = await fitFromStart(target, rounds, runner, (evals, best) => opts.onProgress?.(i + 1, folds.length, fold.name, evals, rounds, best));
    const cells = compareCells(PAPER, await simulateTables(fit.params, PAPER, seeds, runner));
    const fitted = cells.filter((c) => !isHeldOut(fold, c));
    const held = cells.filter((c) => isHeldOut(fold, c)).map((c) => ({ ...c, label: cellLabel(c) }));
    for (const c of held) heldBy.set(c.label, { fold: fold.name, cell: c });
    reports.push({
      fold: fold.name,
      evaluations: fit.report.evaluations,
      objective: fit.report.objective,
      groups: groupScales(fit.params),
      fitted_within: fitted.filter((c) => c.within_tolerance).length,
      fitted_cells: fitted.length,
      fitted_misfits: fitted.filter((c) => !c.within_tolerance).map(cellLabel),
      held_out: held,
    });
  }
  const cells = inCells.map((c): CrossValidatedCell => {
    const label = cellLabel(c);
    const h = heldBy.get(label);
    return {
      ...c,
      label,
      fold: h?.fold ?? null,
      held_out_simulated: h?.cell.simulated ?? null,
      held_out_error_pct: h?.cell.error_pct ?? null,
      held_out_within: h === undefined ? null : h.cell.within_tolerance,
    };
  });
  return { model_version: MODEL_VERSION, folds_by: foldsBy, seeds, rounds, in_sample_groups: groupScales(inSample), folds: reports, cells, summary: summarise(cells) };
}

function fmtVal(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  return Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(2);
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

export function summarise(cells: CrossValidatedCell[]): CrossValidationSummary {
  const held = cells.filter((c) => c.fold !== null);
  return {
    cells: held.length,
    in_sample_within: held.filter((c) => c.within_tolerance).length,
    held_out_within: held.filter((c) => c.held_out_within === true).length,
    in_sample_median_abs_pct: median(held.map((c) => Math.abs(c.error_pct ?? 100))),
    held_out_median_abs_pct: median(held.map((c) => Math.abs(c.held_out_error_pct ?? 100))),
  };
}

export function formatCrossValidation(r: CrossValidationReport): string {
  const seeds = r.seeds.join(', ');
  const lines: string[] = [
    `rxlab calibrate --${r.folds_by === 'systems' || r.folds_by === 'tables' ? `cross-validate ${r.folds_by}` : `holdout ${r.folds_by}`} — model ${r.model_version}`,
    `Each fold re-runs the calibration (stage B, then stage C: ${r.rounds} evaluations) without its held-out cells; every cell is then run on seed${r.seeds.length === 1 ? '' : 's'} ${seeds}.`,
    'In sample: the committed calibration, which was fitted on every cell (rxlab reproduce). Held out: the fit that never saw the cell. * outside tolerance.',
    '',
  ];
  const head = `${'cell'.padEnd(24)}${'paper'.padStart(9)}${'in sample'.padStart(20)}${'held out'.padStart(20)}  fold`;
  lines.push(head, '-'.repeat(head.length + 8));
  for (const c of r.cells) {
    const ins = `${fmtVal(c.simulated)} ${fmtSigned(c.error_pct).padStart(8)}${c.within_tolerance ? ' ' : '*'}`;
    const out = c.fold === null ? '' : `${fmtVal(c.held_out_simulated)} ${fmtSigned(c.held_out_error_pct).padStart(8)}${c.held_out_within === true ? ' ' : '*'}`;
    lines.push(`${c.label.padEnd(24)}${fmtVal(c.paper).padStart(9)}${ins.padStart(20)}${out.padStart(20)}  ${c.fold ?? ''}`.trimEnd());
  }
  const s = r.summary;
  const pct = (v: number | null): string => (v === null ? '—' : `${v.toFixed(1)} %`);
  lines.push(
    '',
    `Held-out cells within tolerance: ${s.held_out_within} of ${s.cells} (in sample ${s.in_sample_within} of ${s.cells}); median |error| ${pct(s.held_out_median_abs_pct)} held out, ${pct(s.in_sample_median_abs_pct)} in sample.`,
    '',
    'Each fit: the cells it was fitted on within tolerance, and where it put the cost groups (× prior, geometric mean over a group):',
  );
  const keys = Object.keys(r.in_sample_groups);
  const w = 9;
  const top = `${'fit'.padEnd(22)}${'fitted'.padStart(8)}  ${keys.map((k) => k.slice(0, w - 1).padStart(w)).join('')}`;
  lines.push(top, '-'.repeat(top.length));
  const row = (name: string, within: string, g: Record<string, number>): string =>
    `${name.padEnd(22)}${within.padStart(8)}  ${keys.map((k) => (g[k] ?? NaN).toPrecision(3).padStart(w)).join('')}`;
  const inAll = r.cells.filter((c) => c.within_tolerance).length;
  lines.push(row('all cells (committed)', `${inAll}/${r.cells.length}`, r.in_sample_groups));
  for (const f of r.folds) lines.push(row(`without ${f.fold}`, `${f.fitted_within}/${f.fitted_cells}`, f.groups));
  lines.push('', 'Fitted cells outside tolerance:');
  for (const f of r.folds) lines.push(`  without ${f.fold}: ${f.fitted_misfits?.length ? f.fitted_misfits.join(', ') : 'none'}`);
  return lines.join('\n');
}
