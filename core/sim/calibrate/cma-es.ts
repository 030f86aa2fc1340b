/**
 * Separable CMA-ES (Ros & Hansen 2008, "A simple modification in CMA-ES achieving linear time and
 * space complexity"): an evolution strategy with a diagonal covariance, seeded, deterministic.
 *
 * Why this and not only Nelder–Mead: the calibration objective is rugged where the model's
 * scheduling regime switches (packets per poll, who runs after an IRQ) and is piecewise constant in
 * its count of cells outside tolerance. A simplex contracts onto the first basin it finds; a
 * population of λ samples per generation averages over that ruggedness and can step across it.
 * Diagonal, because the dozen fit knobs are group multipliers in log space whose scales differ
 * but whose couplings a budget of about a thousand evaluations could not estimate anyway.
 *
 * The λ points of a generation are independent, so they are handed to `f` together (the
 * calibration evaluates them as one batch of simulations on the worker pool).
 */
import { Rng } from '../engine/rng.js';

export interface CmaEsOptions {
  /** Initial step size (standard deviation, in the units of x). */
  sigma: number;
  /** Evaluation budget; whole generations only. */
  maxEvals: number;
  /** Seed of the sampling stream: the same seed and objective give the same run. */
  seed: number;
  /** Population size (default 4 + ⌊3 ln n⌋). */
  lambda?: number;
  /** After each generation: the best value so far and the evaluations used. */
  onGeneration?: (best: number, evals: number) => void;
}

export interface CmaEsPoint {
  x: number[];
  f: number;
}

export interface CmaEsResult {
  /** Best evaluated point. */
  x: number[];
  f: number;
  evaluations: number;
  /** Every evaluated point, best first (ties: earlier first). */
  ranked: CmaEsPoint[];
}

export async function cmaEs(
  f: (xs: number[][]) => Promise<number[]>,
  x0: readonly number[],
  opts: CmaEsOptions,
): Promise<CmaEsResult> {
  const n = x0.length;
  const lambda = opts.lambda ?? 4 + Math.floor(3 * Math.log(n));
  const mu = Math.floor(lambda / 2);
  const rawW = Array.from({ length: mu }, (_, i) => Math.log(mu + 0.5) - Math.log(i + 1));
  const sumW = rawW.reduce((a, b) => a + b, 0);
  const w = rawW.map((v) => v / sumW);
  const mueff = 1 / w.reduce((a, b) => a + b * b, 0);
  // Standard CMA-ES constants (Hansen's tutorial), covariance rates scaled by (n + 2) / 3 for the
  // diagonal model as in Ros & Hansen.
  const cs = (mueff + 2) / (n + mueff + 5);
  const ds = 1 + 2 * Math.max(0, Math.sqrt((mueff - 1) / (n + 1)) - 1) + cs;
  const cc = (4 + mueff / n) / (n + 4 + (2 * mueff) / n);
  const c1 = Math.min(1, ((n + 2) / 3) * (2 / ((n + 1.3) ** 2 + mueff)));
  const cmu = Math.min(1 - c1, ((n + 2) / 3) * ((2 * (mueff - 2 + 1 / mueff)) / ((n + 2) ** 2 + mueff)));
  const chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));

  const rng = new Rng(opts.seed);
  let mean = x0.slice();
  let sigma = opts.sigma;
  const diag = new Array<number>(n).fill(1);
  const pc = new Array<number>(n).fill(0);
  const ps = new Array<number>(n).fill(0);
  const all: Array<CmaEsPoint & { order: number }> = [];
  let evals = 0;
  let gen = 0;
  let best = Infinity;

  while (evals + lambda <= opts.maxEvals) {
    const zs: number[][] = [];
    const xs: number[][] = [];
    for (let k = 0; k < lambda; k++) {
      const z = Array.from({ length: n }, () => rng.normal(0, 1));
      zs.push(z);
      xs.push(mean.map((m, i) => m + sigma * Math.sqrt(diag[i] as number) * (z[i] as number)));
    }
    const fs = await f(xs);
    if (fs.length !== lambda) throw new Error(`cmaEs: objective returned ${fs.length} values for ${lambda} points`);
    // A failed evaluation (NaN) ranks last instead of poisoning the sort.
    const vals = fs.map((v) => (Number.isFinite(v) ? v : Infinity));
    const idx = vals.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (let k = 0; k < lambda; k++) {
      const v = vals[k] as number;
      all.push({ x: xs[k] as number[], f: v, order: evals + k });
      if (v < best) best = v;
    }
    evals += lambda;
    gen++;

    const old = mean;
    const sel = idx.slice(0, mu).map(([, i]) => i);
    mean = old.map((_, i) => sel.reduce((a, k, j) => a + (w[j] as number) * ((xs[k] as number[])[i] as number), 0));
    const zMean = old.map((_, i) => sel.reduce((a, k, j) => a + (w[j] as number) * ((zs[k] as number[])[i] as number), 0));
    for (let i = 0; i < n; i++) ps[i] = (1 - cs) * (ps[i] as number) + Math.sqrt(cs * (2 - cs) * mueff) * (zMean[i] as number);
    const psNorm = Math.sqrt(ps.reduce((a, b) => a + b * b, 0));
    const hsig = psNorm / Math.sqrt(1 - (1 - cs) ** (2 * gen)) < (1.4 + 2 / (n + 1)) * chiN ? 1 : 0;
    for (let i = 0; i < n; i++) {
      const step = ((mean[i] as number) - (old[i] as number)) / sigma;
      pc[i] = (1 - cc) * (pc[i] as number) + hsig * Math.sqrt(cc * (2 - cc) * mueff) * step;
      const rankMu = sel.reduce((a, k, j) => a + (w[j] as number) * ((((xs[k] as number[])[i] as number) - (old[i] as number)) / sigma) ** 2, 0);
      const d = (1 - c1 - cmu) * (diag[i] as number) + c1 * ((pc[i] as number) ** 2 + (1 - hsig) * cc * (2 - cc) * (diag[i] as number)) + cmu * rankMu;
      diag[i] = Math.max(d, 1e-12);
    }
    sigma *= Math.exp((cs / ds) * (psNorm / chiN - 1));
    opts.onGeneration?.(best, evals);
  }
  if (all.length === 0) throw new Error(`cmaEs: a budget of ${opts.maxEvals} evaluations is less than one generation (${lambda})`);
  all.sort((a, b) => a.f - b.f || a.order - b.order);
  const ranked = all.map(({ x, f: v }) => ({ x, f: v }));
  const top = ranked[0] as CmaEsPoint;
  return { x: top.x.slice(), f: top.f, evaluations: evals, ranked };
}
