import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** A confidence interval for a mean from independent replications. */
export interface Interval {
  mean: number;
  lo: number;
  hi: number;
  /** t_{(1+c)/2, n-1} · sd / √n. */
  halfWidth: number;
  n: number;
  /** Sample standard deviation (n − 1 denominator). */
  sd: number;
}

/**
 * Student-t interval for the mean of `xs` at confidence `confidence` (0 < c < 1).
 *
 * Choices (documented because callers render them):
 * - n = 0 or non-finite values throw RangeError: an interval over nothing or over NaN is a bug
 *   upstream, not a result.
 * - n = 1: the spread is unknown, so the interval is unbounded: sd = NaN, halfWidth = Infinity,
 *   lo = −Infinity, hi = +Infinity (lo = mean − halfWidth holds in every case). UI code should
 *   show "n = 1, no interval" rather than a number.
 * - All values equal (n ≥ 2): sd = 0, halfWidth = 0, lo = hi = mean.
 */
export function tInterval(xs: number[], confidence: number): Interval {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`tInterval: confidence must be in (0, 1), got ${confidence}`);
  }
  const n = xs.length;
  if (n === 0) throw new RangeError('tInterval: no values');
  let sum = 0;
  for (const x of xs) {
    if (!Number.isFinite(x)) throw new RangeError(`tInterval: non-finite value ${x}`);
    sum += x;
  }
  const mean = sum / n;
  if (n === 1) return { mean, lo: -Infinity, hi: Infinity, halfWidth: Infinity, n, sd: NaN };
  // Two-pass variance: numerically stable enough for replication counts, and simple.
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  const sd = Math.sqrt(ss / (n - 1));
  const t = tQuantile((1 + confidence) / 2, n - 1);
  const halfWidth = (t * sd) / Math.sqrt(n);
  return { mean, lo: mean - halfWidth, hi: mean + halfWidth, halfWidth, n, sd };
}

/** 95% Student-t interval; see tInterval for the n = 0 / n = 1 conventions. */
export function studentT95(xs: number[]): Interval {
  return tInterval(xs, 0.95);
}
