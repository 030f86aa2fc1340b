/**
 * Implied costs (model-notes §6, stage B): which per-function costs would make the simulated
 * Table V equal a target Table V, with the model's event counts held fixed?
 *
 * Every cycles/byte figure is linear in the named costs once the event counts are known:
 * driver = Σ_k uses_dom0[k]/bytes · cost_k, guest likewise (the ledger in model/accounting.ts). So,
 * from the current model's runs, this solves a small regularised least-squares problem in
 * log-cost space: each Table V cell pulls with a robust (Cauchy) loss scaled to 1.5 %, and each cost
 * is held towards its prior in params.ts with a log-normal prior (σ = ln 2.5). The answer is an
 * open-loop diagnostic, not a calibrated set: new costs change the timing (packets per poll, LRO
 * rate, scheduling), hence the counts, and iterating this to a fixed point does not converge in
 * this model (tried; the batching swings between rounds). It tells a researcher what the tables say
 * about each function's cost at the model's batching, and which cells no positive costs can reach.
 */
import { COSTS, type CostName } from '../model/accounting.js';
import { DEFAULT_PARAMS, type Params } from '../params.js';
import { calibratedParams } from '../systems.js';
import { SYSTEM_NAMES, type RunRequest, type RunResult, type SystemName } from '../types.js';
import { MODEL_VERSION } from '../version.js';
import { targetCells, type TargetTables } from '../compare-tables.js';
import { solve } from './solve.js';

export type Runner = (reqs: RunRequest[]) => Promise<RunResult[]>;

/** Cost knobs the solve may move: the costs plus m_align (k_user_chained = k_user × m_align). */
export const IMPLIED_KNOBS = [...COSTS.filter((c) => c !== 'k_user_chained'), 'm_align'] as const;
type Knob = (typeof IMPLIED_KNOBS)[number];

/** Value of each ledger cost under parameters p (k_user_chained costs k_user × m_align per byte). */
export function costValue(p: Params, k: CostName): number {
  return k === 'k_user_chained' ? p.k_user * p.m_align : (p[k] as number);
}

/** Use counts per transferred byte for one system, averaged over seeds: [domain][cost]. */
export interface UsesPerByte {
  dom0: Partial<Record<CostName, number>>;
  guest: Partial<Record<CostName, number>>;
}

export interface ImpliedCell {
  system: SystemName;
  metric: 'driver' | 'guest' | 'total';
  target: number;
  /** At the current costs (what `rxlab reproduce` shows, same runs). */
  current: number;
  /** At the implied costs, same event counts. */
  implied: number;
  error_current_pct: number;
  error_implied_pct: number;
}

export interface ImpliedCost {
  name: Knob;
  prior: number;
  current: number;
  implied: number;
  /** implied ÷ prior */
  ratio_to_prior: number;
  /** false when no target cell depends on it (it stays at its prior). */
  constrained: boolean;
}

export interface ImpliedReport {
  model_version: string;
  seeds: number[];
  cells: ImpliedCell[];
  costs: ImpliedCost[];
  note: string;
}

const CELL_SIGMA = 0.015;
const CAUCHY_K = 3;
const PRIOR_SIGMA = Math.log(2.5);

interface Row {
  cell: Omit<ImpliedCell, 'current' | 'implied' | 'error_current_pct' | 'error_implied_pct'>;
  /** Coefficient of each ledger cost in this cell (uses per byte). */
  coef: Partial<Record<CostName, number>>;
}

function rowsFor(target: Partial<TargetTables>, uses: Partial<Record<SystemName, UsesPerByte>>): Row[] {
  const rows: Row[] = [];
  for (const c of targetCells(target)) {
    if (c.table !== 'V') continue;
    const u = uses[c.system];
    if (u === undefined) continue;
    const metric = c.metric as 'driver' | 'guest' | 'total';
    const coef: Partial<Record<CostName, number>> = {};
    const add = (src: Partial<Record<CostName, number>>): void => {
      for (const [k, v] of Object.entries(src) as [CostName, number][]) coef[k] = (coef[k] ?? 0) + v;
    };
    if (metric === 'driver' || metric === 'total') add(u.dom0);
    if (metric === 'guest' || metric === 'total') add(u.guest);
    rows.push({ cell: { system: c.system, metric, target: c.paper }, coef });
  }
  return rows;
}

function predict(row: Row, v: (k: CostName) => number): number {
  let s = 0;
  for (const [k, n] of Object.entries(row.coef) as [CostName, number][]) s += n * v(k);
  return s;
}

/**
 * The solve itself (pure; tests drive it with known costs). z = ln(cost / prior) per knob;
 * Levenberg–Marquardt on the weighted residuals, with Cauchy weights refreshed between passes.
 */
export function solveImplied(
  target: Partial<TargetTables>,
  uses: Partial<Record<SystemName, UsesPerByte>>,
  current: Params,
  prior: Params = DEFAULT_PARAMS,
): { cells: ImpliedCell[]; costs: ImpliedCost[] } {
  const rows = rowsFor(target, uses);
  const knobs = IMPLIED_KNOBS;
  const idx = new Map<string, number>(knobs.map((k, i) => [k, i]));
  const pri = knobs.map((k) => prior[k] as number);
  let z = knobs.map((k, i) => Math.log(Math.max(1e-12, current[k] as number) / (pri[i] as number)));
  const valueAt = (zz: number[]) => (k: CostName): number =>
    k === 'k_user_chained'
      ? (pri[idx.get('k_user')!] as number) * Math.exp(zz[idx.get('k_user')!]!) * (pri[idx.get('m_align')!] as number) * Math.exp(zz[idx.get('m_align')!]!)
      : (pri[idx.get(k)!] as number) * Math.exp(zz[idx.get(k)!]!);
  // d(cell)/d(z_j): each ledger cost's contribution, routed to the knobs it is made of.
  const grad = (row: Row, v: (k: CostName) => number): number[] => {
    const g = new Array<number>(knobs.length).fill(0);
    for (const [k, n] of Object.entries(row.coef) as [CostName, number][]) {
      const part = n * v(k);
      if (k === 'k_user_chained') {
        g[idx.get('k_user')!]! += part;
        g[idx.get('m_align')!]! += part;
      } else g[idx.get(k)!]! += part;
    }
    return g;
  };
  const constrained = knobs.map((k) => rows.some((r) => (k === 'm_align' ? (r.coef.k_user_chained ?? 0) > 0 : (r.coef[k as CostName] ?? 0) > 0)));
  let weights = rows.map(() => 1);
  const cost = (zz: number[], w: number[]): number => {
    const v = valueAt(zz);
    let f = 0;
    rows.forEach((r, i) => {
      const e = (predict(r, v) / r.cell.target - 1) / CELL_SIGMA;
      f += (w[i] as number) * e * e;
    });
    for (const zi of zz) f += (zi / PRIOR_SIGMA) ** 2;
    return f;
  };
  for (let pass = 0; pass < 6; pass++) {
    let lambda = 1e-3;
    let f = cost(z, weights);
    for (let it = 0; it < 100; it++) {
      const v = valueAt(z);
      const n = knobs.length;
      const JtJ = Array.from({ length: n }, () => new Array<number>(n).fill(0));
      const Jtr = new Array<number>(n).fill(0);
      rows.forEach((r, i) => {
        const w = weights[i] as number;
        const y = r.cell.target;
        const res = (predict(r, v) / y - 1) / CELL_SIGMA;
        const g = grad(r, v).map((x) => x / y / CELL_SIGMA);
        for (let a = 0; a < n; a++) {
          if (g[a] === 0) continue;
          Jtr[a]! += w * (g[a] as number) * res;
          for (let b = 0; b < n; b++) JtJ[a]![b]! += w * (g[a] as number) * (g[b] as number);
        }
      });
      for (let a = 0; a < n; a++) {
        JtJ[a]![a]! += 1 / PRIOR_SIGMA ** 2;
        Jtr[a]! += (z[a] as number) / PRIOR_SIGMA ** 2;
      }
      const A = JtJ.map((r, a) => r.map((x, b) => (a === b ? x * (1 + lambda) : x)));
      const step = solve(A, Jtr.map((x) => -x));
      const zNew = z.map((zi, a) => zi + (step[a] as number));
      const fNew = cost(zNew, weights);
      if (fNew < f) {
        const done = f - fNew < 1e-10 * (1 + f);
        z = zNew;
        f = fNew;
        lambda = Math.max(1e-9, lambda / 3);
        if (done) break;
      } else {
        lambda *= 4;
        if (lambda > 1e9) break;
      }
    }
    // Robust reweighting: a cell no positive costs can reach (e.g. DA driver) stops bending the rest.
    const v = valueAt(z);
    weights = rows.map((r) => {
      const e = (predict(r, v) / r.cell.target - 1) / CELL_SIGMA / CAUCHY_K;
      return 1 / (1 + e * e);
    });
  }
  const vNow = (k: CostName): number => costValue(current, k);
  const vImp = valueAt(z);
  const cells = rows.map((r) => {
    const cur = predict(r, vNow);
    const imp = predict(r, vImp);
    return {
      ...r.cell,
      current: cur,
      implied: imp,
      error_current_pct: (cur / r.cell.target - 1) * 100,
      error_implied_pct: (imp / r.cell.target - 1) * 100,
    };
  });
  const costs = knobs.map((k, i) => {
    const implied = (pri[i] as number) * Math.exp(z[i] as number);
    return { name: k, prior: pri[i] as number, current: current[k] as number, implied, ratio_to_prior: implied / (pri[i] as number), constrained: constrained[i] as boolean };
  });
  return { cells, costs };
}

/** Runs the systems the target's Table V needs (STREAM, ledger on) and averages uses per byte. */
export async function measureUses(params: Params, target: Partial<TargetTables>, seeds: number[], runner: Runner): Promise<Partial<Record<SystemName, UsesPerByte>>> {
  const systems = SYSTEM_NAMES.filter((s) => targetCells(target).some((c) => c.table === 'V' && c.system === s));
  const reqs: RunRequest[] = [];
  for (const system of systems) for (const seed of seeds) reqs.push({ system, seed, workload: 'stream', parameterSet: params, costUses: true });
  const results = await runner(reqs);
  const out: Partial<Record<SystemName, UsesPerByte>> = {};
  results.forEach((r) => {
    const bytes = (r.throughput_mbps * 1e6 * r.simulated_s) / 8;
    const u = r.cost_uses;
    if (u === undefined || bytes <= 0) return;
    const row = (out[r.system] ??= { dom0: {}, guest: {} });
    for (const dom of ['dom0', 'guest'] as const) {
      for (const [k, n] of Object.entries(u[dom]) as [CostName, number][]) row[dom][k] = (row[dom][k] ?? 0) + n / bytes / seeds.length;
    }
  });
  return out;
}

/**
 * Calibration stage B: `start` with every domain cost the target's Table V sees replaced by its
 * implied value at start's event counts (the costs Table V cannot see are left as they are).
 */
export async function applyImplied(start: Params, target: Partial<TargetTables>, runner: Runner, seeds: number[]): Promise<{ params: Params; implied: ImpliedCost[] }> {
  const uses = await measureUses(start, target, seeds, runner);
  const { costs } = solveImplied(target, uses, start);
  const params: Params = { ...start };
  const rec = params as unknown as Record<string, number>;
  for (const c of costs) if (c.constrained) rec[c.name] = c.implied;
  return { params, implied: costs };
}

/** `rxlab calibrate --implied`: the implied costs for the target (default: the paper's tables). */
export async function impliedCosts(target: Partial<TargetTables>, runner: Runner, seeds: number[] = [1, 2, 3], base?: Params): Promise<ImpliedReport> {
  const current = base ?? calibratedParams();
  if (current.xen_cycles_in_domains) throw new Error('implied costs assume hypervisor cycles in their own bucket (xen_cycles_in_domains=off), as Xenoprof reports them');
  const uses = await measureUses(current, target, seeds, runner);
  const { cells, costs } = solveImplied(target, uses, current);
  return {
    model_version: MODEL_VERSION,
    seeds,
    cells,
    costs,
    note: 'Open loop: event counts are those of the current calibrated model; costs that change the timing would change the counts, so these values are a diagnostic, not a calibrated set. Hypervisor costs are not seen by Table V and stay at their priors.',
  };
}

export function formatImplied(r: ImpliedReport): string {
  const f = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3));
  const lines = [
    `implied costs — model ${r.model_version}, seeds ${r.seeds.join(', ')}; Table V cells at the current costs vs the implied ones (same event counts)`,
    '',
    'Table V cell              target   current   error    implied   error',
    ...r.cells.map(
      (c) =>
        `  ${c.system.padEnd(6)} ${c.metric.padEnd(7)}        ${f(c.target).padStart(7)} ${f(c.current).padStart(9)} ${c.error_current_pct.toFixed(1).padStart(6)} % ${f(c.implied).padStart(9)} ${c.error_implied_pct.toFixed(1).padStart(6)} %${Math.abs(c.error_implied_pct) > 3 ? '  (still outside ±3 %)' : ''}`,
    ),
    '',
    'cost            prior    current    implied  implied/prior',
    ...r.costs.map(
      (c) =>
        `  ${c.name.padEnd(12)} ${f(c.prior).padStart(8)} ${f(c.current).padStart(10)} ${f(c.implied).padStart(10)} ${`×${c.ratio_to_prior.toFixed(2)}`.padStart(9)}${c.constrained ? '' : '  (not seen by Table V)'}`,
    ),
    '',
    r.note,
  ];
  return lines.join('\n');
}
