/**
 * Local sensitivity of the reproduced tables to the fitted knobs (model-notes §6; the wide-range
 * counterpart, Morris screening, is morris.ts), and what closing each misfit would cost the other cells.
 *
 * Elasticity e[cell][knob] = d ln(cell) / d ln(knob multiplier), by central differences in log space
 * (multipliers (1 + h) and 1 / (1 + h) around the calibrated set) on seed means with common random
 * numbers: the same seeds at every point, so most of the run-to-run noise cancels. A knob that a run
 * never reads gives exactly 0 (the runs are byte-identical).
 *
 * For each cell outside tolerance, two moves, each predicted log-linearly from the elasticities and
 * then SIMULATED (the model is not linear: scheduling regimes and batching shift):
 *   - the single lever: the one knob that brings the cell closest to the paper (none beyond ×/÷ 3);
 *   - the joint move: every knob at once, closing the cell (to first order) while the other cells
 *     move as little as possible, in units of their tolerance, with no multiplier beyond ×/÷ 3.
 * If the joint move costs other cells their tolerance, no combination of the fitted multipliers
 * reaches that cell without giving up others: the misfit is structural at this level of the model.
 */
import { fmtMultipliers } from '../../contract/multipliers.js';
import { compareCells, type Cell, type TargetTables } from '../compare-tables.js';
import type { Params } from '../params.js';
import { calibratedParams } from '../systems.js';
import { MODEL_VERSION } from '../version.js';
import { applyFitVector, FIT_KNOBS, simulateTables, type Runner } from './fit.js';
import { solve } from './solve.js';

/** Smallest ridge weight: a ×e change of one multiplier costs as much as another cell moving √0.1 ≈ 0.32 tolerances. */
export const CLOSURE_RIDGE = 0.1;
/** Weight of the misfit cell against the others: closing it is practically a constraint. */
const CLOSE_WEIGHT = 1e4;
/** A joint move changes no multiplier by more than this factor either way (the fit's prior σ = ln 3). */
export const MAX_MULTIPLIER = 3;

export interface SensitivityOptions {
  seeds: number[];
  /** Relative step h: the knob is evaluated at × (1 + h) and ÷ (1 + h). Default 0.1. */
  step?: number;
  /** Knobs to perturb (default: every FIT_KNOBS entry, the multipliers `rxlab calibrate` fits). */
  knobs?: readonly string[];
  base?: Params;
  onProgress?: (done: number, total: number) => void;
}

export interface SensitivityCell extends Cell {
  label: string;
  /** Elasticity per knob (null where the cell has no value at one of the points). */
  elasticity: Record<string, number | null>;
}

export interface MoveCheck {
  /** Multiplier per knob (knobs not listed stay at 1). */
  multipliers: Record<string, number>;
  predicted: { target_error_pct: number; within_tolerance: number };
  simulated: { target_error_pct: number | null; within_tolerance: number; newly_outside: string[]; newly_inside: string[] };
}

export interface ClosureCheck {
  cell: string;
  error_pct: number;
  /** null when no knob moves the cell (every elasticity below 0.02 in magnitude). */
  single: (MoveCheck & { knob: string }) | null;
  joint: MoveCheck | null;
}

export interface SensitivityReport {
  model_version: string;
  seeds: number[];
  step: number;
  knobs: string[];
  within_tolerance: number;
  cells: SensitivityCell[];
  closures: ClosureCheck[];
}

const SHORT: Record<string, string> = { throughput_mbps: 'Mbit/s', driver: 'driver', guest: 'guest', total: 'total', lro_rate: 'LRO rate', rr_transactions_per_s: 'TCP_RR' };

/** What one point of an analysis simulates, for progress messages. */
export function pointRuns(seeds: number): string {
  return `the systems of the tables on ${seeds} seed${seeds === 1 ? '' : 's'}`;
}

/** "V DA driver", "IV Xen Mbit/s", "VII Linux TCP_RR". */
export function cellLabel(c: Pick<Cell, 'table' | 'system' | 'metric'>): string {
  return `${c.table} ${c.system} ${SHORT[c.metric] ?? c.metric}`;
}

/** Central log-difference; null where either side (or the step) gives no positive value. */
export function elasticity(plus: number | null, minus: number | null, step: number): number | null {
  if (plus === null || minus === null || !(plus > 0) || !(minus > 0)) return null;
  return (Math.log(plus) - Math.log(minus)) / (2 * Math.log(1 + step));
}

function logTol(c: Cell): number {
  return Math.log(1 + c.tolerance_pct / 100);
}

function logErr(c: Cell): number | null {
  return c.simulated === null || !(c.simulated > 0) ? null : Math.log(c.simulated / c.paper);
}

/** Predicted (log-linear) cells after a log move dx of the knobs; returns per-cell error in %. */
export function predictErrors(cells: SensitivityCell[], knobs: readonly string[], dx: readonly number[]): Array<number | null> {
  return cells.map((c) => {
    const r = logErr(c);
    if (r === null) return null;
    let move = 0;
    knobs.forEach((k, j) => {
      move += (c.elasticity[k] ?? 0) * (dx[j] ?? 0);
    });
    return (Math.exp(r + move) - 1) * 100;
  });
}

function countWithin(cells: Cell[], errs: Array<number | null>): number {
  return errs.filter((e, i) => e !== null && Math.abs(e) <= (cells[i] as Cell).tolerance_pct).length;
}

/**
 * The one knob that brings cell m closest to the paper (log-linear) within ×/÷ MAX_MULTIPLIER,
 * the smaller change winning a tie (a cell two knobs can close is closed by the cheaper one); null
 * when no knob moves the cell.
 */
export function singleLever(cells: SensitivityCell[], knobs: readonly string[], m: number): { knob: string; dx: number[] } | null {
  const c = cells[m] as SensitivityCell;
  const r = logErr(c);
  if (r === null) return null;
  const bound = Math.log(MAX_MULTIPLIER);
  let best: { knob: string; dx: number[] } | null = null;
  let bestLeft = Infinity;
  let bestAbs = Infinity;
  knobs.forEach((k, j) => {
    const e = c.elasticity[k];
    if (e === null || e === undefined || Math.abs(e) < 0.02) return;
    const d = Math.max(-bound, Math.min(bound, -r / e));
    const left = Math.abs(r + e * d);
    if (left < bestLeft - 1e-12 || (Math.abs(left - bestLeft) <= 1e-12 && Math.abs(d) < bestAbs)) {
      bestLeft = left;
      bestAbs = Math.abs(d);
      const dx = knobs.map(() => 0);
      dx[j] = d;
      best = { knob: k, dx };
    }
  });
  return best;
}

/**
 * The joint move for cell m: min  W·((J_m·dx + r_m) / t_m)² + Σ_{i≠m} (J_i·dx / t_i)² + λ·|dx|²,
 * i.e. close cell m (W large: practically a constraint) while the other cells stay where they are,
 * in units of their tolerance. Linear predictions are only local, so the move is kept inside
 * ×/÷ MAX_MULTIPLIER per knob (the fit's own prior width) by raising the ridge λ until it fits;
 * the cell may then stay short of the paper, which the prediction shows.
 */
export function jointMove(cells: SensitivityCell[], knobs: readonly string[], m: number): number[] | null {
  const target = cells[m] as SensitivityCell;
  const r = logErr(target);
  if (r === null) return null;
  const n = knobs.length;
  const row = (c: SensitivityCell): number[] => knobs.map((k) => c.elasticity[k] ?? 0);
  const jm = row(target);
  if (jm.every((v) => Math.abs(v) < 0.02)) return null;
  const G = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  cells.forEach((c, i) => {
    const w = (i === m ? CLOSE_WEIGHT : 1) / logTol(c) ** 2;
    const ji = row(c);
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) (G[a] as number[])[b] = (G[a] as number[])[b]! + w * ji[a]! * ji[b]!;
  });
  const rhs = jm.map((v) => (-CLOSE_WEIGHT * v * r) / logTol(target) ** 2);
  const bound = Math.log(MAX_MULTIPLIER);
  for (let ridge = CLOSURE_RIDGE; ridge < 1e12; ridge *= 2) {
    const A = G.map((rowA, a) => rowA.map((v, b) => (a === b ? v + ridge : v)));
    const dx = solve(A, rhs);
    if (dx.every((v) => Math.abs(v) <= bound)) return dx;
  }
  return null;
}

/** Elasticities around `base` (default the calibrated set), then the closure checks of each misfit. */
export async function sensitivity(target: Partial<TargetTables>, runner: Runner, opts: SensitivityOptions): Promise<SensitivityReport> {
  const step = opts.step ?? 0.1;
  const knobs = [...(opts.knobs ?? FIT_KNOBS)];
  for (const k of knobs) if (!FIT_KNOBS.includes(k)) throw new Error(`unknown knob "${k}" (one of ${FIT_KNOBS.join(', ')})`);
  const base = opts.base ?? calibratedParams();
  const vec = (mult: Record<string, number>): number[] => FIT_KNOBS.map((k) => Math.log(mult[k] ?? 1));
  const at = async (mult: Record<string, number>): Promise<Cell[]> =>
    compareCells(target, await simulateTables(applyFitVector(base, vec(mult)), target, opts.seeds, runner));

  const baseCells = await at({});
  const misfits = baseCells.map((c, i) => (c.within_tolerance ? -1 : i)).filter((i) => i >= 0);
  const total = 1 + 2 * knobs.length + 2 * misfits.length;
  let done = 1;
  opts.onProgress?.(done, total);

  const cells: SensitivityCell[] = baseCells.map((c) => ({ ...c, label: cellLabel(c), elasticity: {} }));
  for (const k of knobs) {
    const plus = await at({ [k]: 1 + step });
    const minus = await at({ [k]: 1 / (1 + step) });
    done += 2;
    opts.onProgress?.(done, total);
    cells.forEach((c, i) => {
      c.elasticity[k] = elasticity(plus[i]?.simulated ?? null, minus[i]?.simulated ?? null, step);
    });
  }

  const inside = baseCells.filter((c) => c.within_tolerance).length;
  const check = async (m: number, dx: number[]): Promise<MoveCheck> => {
    const multipliers: Record<string, number> = {};
    knobs.forEach((k, j) => {
      if ((dx[j] ?? 0) !== 0) multipliers[k] = Math.exp(dx[j] as number);
    });
    const pred = predictErrors(cells, knobs, dx);
    const sim = await at(multipliers);
    done += 1;
    opts.onProgress?.(done, total);
    return {
      multipliers,
      predicted: { target_error_pct: pred[m] as number, within_tolerance: countWithin(cells, pred) },
      simulated: {
        target_error_pct: sim[m]?.error_pct ?? null,
        within_tolerance: sim.filter((c) => c.within_tolerance).length,
        newly_outside: sim.filter((c, i) => !c.within_tolerance && baseCells[i]?.within_tolerance === true).map(cellLabel),
        newly_inside: sim.filter((c, i) => c.within_tolerance && baseCells[i]?.within_tolerance !== true).map(cellLabel),
      },
    };
  };
  const closures: ClosureCheck[] = [];
  for (const m of misfits) {
    const lever = singleLever(cells, knobs, m);
    const jdx = jointMove(cells, knobs, m);
    const single = lever === null ? null : { knob: lever.knob, ...(await check(m, lever.dx)) };
    const joint = jdx === null ? null : await check(m, jdx);
    if (lever === null) done += 1;
    if (jdx === null) done += 1;
    closures.push({ cell: cellLabel(baseCells[m] as Cell), error_pct: baseCells[m]?.error_pct ?? NaN, single, joint });
  }
  return { model_version: MODEL_VERSION, seeds: opts.seeds, step, knobs, within_tolerance: inside, cells, closures };
}

function fmtE(e: number | null | undefined): string {
  if (e === null || e === undefined) return '·';
  if (Math.abs(e) < 0.02) return '';
  return e.toFixed(2);
}

/**
 * A text table of cells × knobs (the CLI's elasticities and Morris μ*): each cell's label and error
 * (* outside tolerance), then one column per knob, names cut to 7 characters.
 */
export function knobTable<C extends Cell>(cells: C[], knobs: string[], head: string, label: (c: C) => string, value: (c: C, knob: string) => string): string[] {
  const w = 8;
  const top = `${head.padEnd(24)}${'error'.padStart(9)}  ${knobs.map((k) => k.slice(0, w - 1).padStart(w)).join('')}`;
  return [
    top,
    '-'.repeat(top.length),
    ...cells.map((c) => `${label(c).padEnd(24)}${`${fmtSigned(c.error_pct)}${c.within_tolerance ? ' ' : '*'}`.padStart(9)}  ${knobs.map((k) => value(c, k).padStart(w)).join('')}`),
  ];
}

/** "+1.9 %", "—" for no value: the CLI tables' signed error. */
export function fmtSigned(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  return `${v >= 0 ? '+' : ''}${v.toFixed(1)} %`;
}

export function formatSensitivity(r: SensitivityReport & { target?: string; parameterSet?: string }): string {
  const n = r.cells.length;
  const lines: string[] = [];
  lines.push(
    `rxlab calibrate --sensitivity — against ${r.target ?? 'the paper'}${r.parameterSet ? `, around parameter set ${r.parameterSet}` : ''}; model ${r.model_version}, seeds ${r.seeds.join(', ')}, each multiplier ×${(1 + r.step).toFixed(2)} and ÷${(1 + r.step).toFixed(2)}`,
  );
  lines.push('Elasticity: % change of each cell per +1 % of a fitted multiplier (blank: below 0.02; · no value).');
  lines.push('');
  lines.push(
    ...knobTable(
      r.cells,
      r.knobs,
      'Table System Metric',
      (c) => `${c.table.padEnd(6)}${c.system.padEnd(7)}${SHORT[c.metric] ?? c.metric}`,
      (c, k) => fmtE(c.elasticity[k]),
    ),
  );
  lines.push('(* outside tolerance)');
  lines.push('');
  lines.push(`${r.within_tolerance} of ${n} cells within tolerance at the calibrated set. What closing each misfit would take:`);
  for (const cl of r.closures) {
    lines.push(`  ${cl.cell} (${fmtSigned(cl.error_pct)}):`);
    const show = (name: string, m: MoveCheck | null): void => {
      if (m === null) {
        lines.push(`    ${name}: no fitted multiplier moves this cell`);
        return;
      }
      lines.push(`    ${name}: ${fmtMultipliers(m.multipliers)}`);
      lines.push(
        `      predicted (linear): cell ${fmtSigned(m.predicted.target_error_pct)}, ${m.predicted.within_tolerance} of ${n} within tolerance; ` +
          `simulated: cell ${fmtSigned(m.simulated.target_error_pct)}, ${m.simulated.within_tolerance} of ${n}`,
      );
      if (m.simulated.newly_outside.length > 0) lines.push(`      leaves tolerance: ${m.simulated.newly_outside.join(', ')}`);
      if (m.simulated.newly_inside.length > 0) lines.push(`      comes inside: ${m.simulated.newly_inside.join(', ')}`);
    };
    show(`single lever (within ×/÷${MAX_MULTIPLIER})`, cl.single);
    show(`joint move (others held, each multiplier within ×/÷${MAX_MULTIPLIER})`, cl.joint);
  }
  return lines.join('\n');
}
