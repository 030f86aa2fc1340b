/** 95 % Student-t intervals over replications, and Jain's fairness index. */
import type { IntervalSummary } from '../contract/index.js';
import { studentT95 } from '../stats/interval.js';

/**
 * Mean ± t(0.975, n−1) · s/√n (core/stats/interval.ts). Non-finite inputs are dropped before
 * counting. Sweep outcomes travel as JSON, where Infinity becomes null, so with n = 1 (no spread
 * known) this returns lo = hi = mean and halfWidth 0; n = 1 tells the reader there is no interval.
 */
export function interval95(raw: readonly number[]): IntervalSummary & { sd: number } {
  const xs = raw.filter((x) => Number.isFinite(x));
  const n = xs.length;
  if (n === 0) return { mean: Number.NaN, lo: Number.NaN, hi: Number.NaN, halfWidth: Number.NaN, n: 0, sd: Number.NaN };
  if (n === 1) {
    const mean = xs[0] as number;
    return { mean, lo: mean, hi: mean, halfWidth: 0, n, sd: 0 };
  }
  return studentT95(xs);
}

/**
 * "mean ± half-width" to d decimals for the CLI's tables; one replication has no interval, and says
 * "(n=1)" rather than a "± 0.0" that reads as no spread at all. "–" for no value.
 */
export function ivText(x: { mean: number; halfWidth: number; n: number } | null | undefined, d: number): string {
  if (x === null || x === undefined || !Number.isFinite(x.mean)) return '–';
  return x.n < 2 ? `${x.mean.toFixed(d)} (n=1)` : `${x.mean.toFixed(d)} ± ${x.halfWidth.toFixed(d)}`;
}

/** Jain's fairness index (Σx)² / (n·Σx²): 1 = perfectly fair, 1/n = one guest gets everything. */
export function jainIndex(xs: readonly number[]): number {
  const n = xs.length;
  if (n === 0) return Number.NaN;
  const s = xs.reduce((a, b) => a + b, 0);
  const s2 = xs.reduce((a, b) => a + b * b, 0);
  return s2 === 0 ? 1 : (s * s) / (n * s2);
}

/** Whether a point's interval is tight enough: halfWidth ≤ pct % of |mean|. */
export function narrowEnough(iv: IntervalSummary, pct: number): boolean {
  if (iv.n < 2 || !Number.isFinite(iv.halfWidth)) return false;
  return iv.halfWidth <= (pct / 100) * Math.abs(iv.mean);
}
