/**
 * Nelder–Mead simplex minimiser (standard coefficients 1, 2, 0.5, 0.5), deterministic. Used on
 * seed-averaged simulator outputs with common random numbers, so the objective is a fixed function
 * of the parameters and a derivative-free method is enough for a handful of dimensions.
 *
 * maxEvals is a hard budget after the first simplex (n + 1 evaluations, always made): a step that
 * would pass it stops where it is (`sweep calibrate --evals 20` made up to 31, a shrink's n more).
 */
export interface NelderMeadResult {
  x: number[];
  f: number;
  evaluations: number;
}

export async function nelderMead(
  f: (x: number[]) => Promise<number>,
  x0: number[],
  opts: { step: number; maxEvals: number; tol?: number; onStep?: (best: number, evals: number) => void },
): Promise<NelderMeadResult> {
  const n = x0.length;
  let evals = 0;
  const ev = async (x: number[]): Promise<number> => {
    evals++;
    return f(x);
  };
  const pts: number[][] = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const p = x0.slice();
    p[i] = (p[i] as number) + opts.step;
    pts.push(p);
  }
  const vals: number[] = [];
  // The first simplex alone is n + 1 evaluations (12 for the fit's knobs): report the best so far
  // through it too, so a progress bar has an objective to show before the first step.
  for (const p of pts) {
    vals.push(await ev(p));
    if (vals.length <= n) opts.onStep?.(Math.min(...vals), evals);
  }
  const tol = opts.tol ?? 1e-4;
  while (evals < opts.maxEvals) {
    const order = vals.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const sortedPts = order.map(([, i]) => pts[i] as number[]);
    const sortedVals = order.map(([v]) => v);
    pts.splice(0, pts.length, ...sortedPts);
    vals.splice(0, vals.length, ...sortedVals);
    opts.onStep?.(vals[0] as number, evals);
    if (Math.abs((vals[n] as number) - (vals[0] as number)) < tol * (1 + Math.abs(vals[0] as number))) break;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] = (centroid[j] as number) + ((pts[i] as number[])[j] as number) / n;
    const worst = pts[n] as number[];
    const along = (t: number): number[] => centroid.map((c, j) => c + t * (c - (worst[j] as number)));
    const xr = along(1);
    const fr = await ev(xr);
    if (fr < (vals[0] as number)) {
      if (evals >= opts.maxEvals) {
        // no budget to try the expansion: the reflected point, better than every vertex, is kept
        pts[n] = xr;
        vals[n] = fr;
        break;
      }
      const xe = along(2);
      const fe = await ev(xe);
      if (fe < fr) {
        pts[n] = xe;
        vals[n] = fe;
      } else {
        pts[n] = xr;
        vals[n] = fr;
      }
      continue;
    }
    if (fr < (vals[n - 1] as number)) {
      pts[n] = xr;
      vals[n] = fr;
      continue;
    }
    if (evals >= opts.maxEvals) break;
    const outside = fr < (vals[n] as number);
    const xc = along(outside ? 0.5 : -0.5);
    const fc = await ev(xc);
    if (fc < (outside ? fr : (vals[n] as number))) {
      pts[n] = xc;
      vals[n] = fc;
      continue;
    }
    // Shrink towards the best point.
    const best = pts[0] as number[];
    for (let i = 1; i <= n && evals < opts.maxEvals; i++) {
      // a vertex moves only with its value: one the budget leaves out stays where it was
      const moved = (pts[i] as number[]).map((v, j) => (best[j] as number) + 0.5 * (v - (best[j] as number)));
      vals[i] = await ev(moved);
      pts[i] = moved;
    }
  }
  let bi = 0;
  for (let i = 1; i < vals.length; i++) if ((vals[i] as number) < (vals[bi] as number)) bi = i;
  return { x: (pts[bi] as number[]).slice(), f: vals[bi] as number, evaluations: evals };
}
