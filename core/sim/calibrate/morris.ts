/**
 * Morris screening (elementary effects; model-notes §6 "Morris screening of parameters against each
 * output") of the reproduced tables over a wide range of the fitted multipliers, where the local
 * elasticities (sensitivity.ts) see only ×/÷ 1.1 around the calibrated set.
 *
 * Each fitted multiplier moves on a 4-level grid in log space over ×/÷ `range` (default 2). A
 * trajectory starts at a random grid point and changes one multiplier at a time, in random order, by
 * two thirds of the range (up, or down where up would leave the grid); each step's change of ln(cell)
 * per unit of ln(multiplier) is one elementary effect, in the elasticities' units. Per cell and
 * multiplier: μ* = mean |effect| (importance), μ = mean effect (its sign), σ = their standard
 * deviation (σ comparable to μ* means the effect changes with where the others are: nonlinear, or
 * interacting — the scheduling regimes of this model). Seed means with common random numbers at every
 * point; the trajectories come from a seeded generator, so a re-run gives the same numbers.
 */
import { compareCells, type Cell, type TargetTables } from '../compare-tables.js';
import { Rng } from '../engine/rng.js';
import type { Params } from '../params.js';
import { calibratedParams } from '../systems.js';
import { MODEL_VERSION } from '../version.js';
import { applyFitVector, FIT_KNOBS, simulateTables, type Runner } from './fit.js';
import { cellLabel, knobTable } from './sensitivity.js';

const LEVELS = 4;
/** Grid jump in level units: p / (2 (p − 1)) of the [0, 1] range, Morris's recommended Δ. */
const JUMP = LEVELS / (2 * (LEVELS - 1));

export interface MorrisOptions {
  seeds: number[];
  /** Trajectories (each: one point per multiplier plus one). Default 8. */
  trajectories?: number;
  /** Each multiplier ranges over ×/÷ this factor. Default 2. */
  range?: number;
  knobs?: readonly string[];
  base?: Params;
  /** Seed of the trajectory generator (default 1). */
  designSeed?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface MorrisEffect {
  mu_star: number;
  mu: number;
  sigma: number;
  /** Elementary effects that had a value on both sides of their step. */
  n: number;
}

export interface MorrisCell extends Cell {
  label: string;
  effects: Record<string, MorrisEffect | null>;
}

export interface MorrisReport {
  model_version: string;
  seeds: number[];
  trajectories: number;
  range: number;
  knobs: string[];
  /** Cells at the calibrated set (the centre of the ranges), with their effects. */
  cells: MorrisCell[];
}

/** One trajectory: grid positions (0 … LEVELS − 1 in units of 1/(LEVELS − 1)), the order of steps and their signs. */
export function trajectory(k: number, rng: Rng): { start: number[]; order: number[]; up: boolean[] } {
  const start = Array.from({ length: k }, () => rng.int(LEVELS) / (LEVELS - 1));
  const order = Array.from({ length: k }, (_, i) => i);
  for (let i = k - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const up = start.map((u) => u + JUMP <= 1 + 1e-12);
  return { start, order, up };
}

/** Mean |x|, mean x and sample standard deviation of the effects (null for none). */
export function summarize(effects: number[]): MorrisEffect | null {
  const n = effects.length;
  if (n === 0) return null;
  let s = 0;
  let sa = 0;
  for (const e of effects) {
    s += e;
    sa += Math.abs(e);
  }
  const mu = s / n;
  let ss = 0;
  for (const e of effects) ss += (e - mu) ** 2;
  return { mu_star: sa / n, mu, sigma: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, n };
}

export async function morris(target: Partial<TargetTables>, runner: Runner, opts: MorrisOptions): Promise<MorrisReport> {
  const r = opts.trajectories ?? 8;
  const range = opts.range ?? 2;
  if (!(range > 1)) throw new Error(`range must be above 1 (a factor), got ${range}`);
  if (!Number.isInteger(r) || r < 2) throw new Error(`trajectories must be a whole number ≥ 2, got ${r}`);
  const knobs = [...(opts.knobs ?? FIT_KNOBS)];
  for (const k of knobs) if (!FIT_KNOBS.includes(k)) throw new Error(`unknown knob "${k}" (one of ${FIT_KNOBS.join(', ')})`);
  const base = opts.base ?? calibratedParams();
  const L = Math.log(range);
  const k = knobs.length;
  const at = async (u: number[]): Promise<Cell[]> => {
    const byKnob = new Map(knobs.map((name, i) => [name, -L + 2 * L * (u[i] as number)]));
    const x = FIT_KNOBS.map((name) => byKnob.get(name) ?? 0);
    return compareCells(target, await simulateTables(applyFitVector(base, x), target, opts.seeds, runner));
  };
  const total = 1 + r * (k + 1);
  let done = 0;
  const centre = await at(knobs.map(() => 0.5));
  opts.onProgress?.(++done, total);
  const effects: number[][][] = centre.map(() => knobs.map(() => []));
  const rng = new Rng(opts.designSeed ?? 1);
  for (let t = 0; t < r; t++) {
    const { start, order, up } = trajectory(k, rng);
    const u = [...start];
    let prev = await at(u);
    opts.onProgress?.(++done, total);
    for (const i of order) {
      const step = up[i] ? JUMP : -JUMP;
      u[i] = (u[i] as number) + step;
      const next = await at(u);
      opts.onProgress?.(++done, total);
      const dx = 2 * L * step;
      next.forEach((c, j) => {
        const a = prev[j]?.simulated ?? null;
        const b = c.simulated;
        if (a !== null && b !== null && a > 0 && b > 0) effects[j]?.[i]?.push((Math.log(b) - Math.log(a)) / dx);
      });
      prev = next;
    }
  }
  const cells: MorrisCell[] = centre.map((c, j) => {
    const e: Record<string, MorrisEffect | null> = {};
    knobs.forEach((name, i) => {
      e[name] = summarize(effects[j]?.[i] ?? []);
    });
    return { ...c, label: cellLabel(c), effects: e };
  });
  return { model_version: MODEL_VERSION, seeds: opts.seeds, trajectories: r, range, knobs, cells };
}

function fmtMu(e: MorrisEffect | null | undefined): string {
  if (e === null || e === undefined) return '·';
  if (e.mu_star < 0.02) return '';
  // ~ marks an effect whose size varies with the other multipliers as much as it is large
  return `${e.mu_star.toFixed(2)}${e.sigma >= e.mu_star ? '~' : ''}`;
}

export function formatMorris(r: MorrisReport & { target?: string; parameterSet?: string }): string {
  const lines: string[] = [];
  lines.push(
    `rxlab calibrate --sensitivity --morris — against ${r.target ?? 'the paper'}${r.parameterSet ? `, around parameter set ${r.parameterSet}` : ''}; model ${r.model_version}, seeds ${r.seeds.join(', ')}, ` +
      `${r.trajectories} trajectories over ×/÷${r.range} per multiplier (${1 + r.trajectories * (r.knobs.length + 1)} points)`,
  );
  lines.push('μ*: mean |% change of the cell per +1 % of the multiplier| over the range (blank: below 0.02; ~: σ ≥ μ*, the effect depends on the others).');
  lines.push('');
  lines.push(...knobTable(r.cells, r.knobs, 'Cell', (c) => c.label, (c, k) => fmtMu(c.effects[k])));
  lines.push('(* outside tolerance at the calibrated set)');
  return lines.join('\n');
}
