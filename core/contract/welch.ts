/**
 * Simulated against measured: the difference of two means with its Welch 95 % interval, in % of the
 * measured mean — does the model differ from this testbed by more than the two spreads explain?
 *
 * Pure: the Student-t quantile is passed in (the renderer and the backend each have
 * @stdlib/stats-base-dists-t-quantile), so both compute the same interval from the same summaries.
 * Each side arrives as the tables carry it: mean, 95 % half-width and n (sd = hw·√n / t(0.975, n−1)).
 */

export interface MeanSummary {
  mean: number;
  halfWidth: number | null;
  n: number;
}

export interface Difference {
  /** (simulated − measured) / measured, %. */
  pct: number;
  /** Welch 95 % interval of that difference in %; null when a side has n < 2. */
  lo: number | null;
  hi: number | null;
  /** Welch–Satterthwaite degrees of freedom (null without an interval). */
  df: number | null;
  /** The interval excludes 0: the two differ by more than their spreads explain. */
  differs: boolean | null;
}

export type TQuantile = (p: number, df: number) => number;

/** A percentage as the tables print an interval's ends: sign always, one decimal ("+1.1", "−3.1"). */
export function signedPct(d: number): string {
  return `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(1)}`;
}

export function welchDifference(sim: MeanSummary, meas: MeanSummary, tq: TQuantile): Difference | null {
  if (!Number.isFinite(sim.mean) || !Number.isFinite(meas.mean) || meas.mean === 0) return null;
  const scale = 100 / Math.abs(meas.mean);
  const pct = (sim.mean - meas.mean) * scale;
  const v = (s: MeanSummary): number | null => {
    if (s.n < 2 || s.halfWidth === null || !Number.isFinite(s.halfWidth)) return null;
    const sd = (s.halfWidth * Math.sqrt(s.n)) / tq(0.975, s.n - 1);
    return (sd * sd) / s.n; // the variance of the mean
  };
  const vs = v(sim);
  const vm = v(meas);
  if (vs === null || vm === null) return { pct, lo: null, hi: null, df: null, differs: null };
  const se2 = vs + vm;
  if (se2 === 0) return { pct, lo: pct, hi: pct, df: null, differs: pct !== 0 };
  const df = (se2 * se2) / ((vs * vs) / (sim.n - 1) + (vm * vm) / (meas.n - 1));
  const half = tq(0.975, df) * Math.sqrt(se2) * scale;
  return { pct, lo: pct - half, hi: pct + half, df, differs: pct - half > 0 || pct + half < 0 };
}
