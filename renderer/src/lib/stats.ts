// The same quantile as core/stats/interval.ts (stats.test.ts checks the intervals agree). It adds
// about 100 kB (38 kB gzipped) to the renderer bundle, beside a 4.7 MB Plotly chunk, loaded from disk.
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { meanPlusMinus } from '../../../core/contract/interval-text.js';
import { signedPct, type Difference } from '../../../core/contract/welch.js';

/** Mean and 95 % Student-t interval; halfWidth is null when there are fewer than two values. */
export interface Interval {
  mean: number;
  lo: number | null;
  hi: number | null;
  halfWidth: number | null;
  n: number;
}

export function interval(values: readonly number[], level = 0.95): Interval | null {
  const xs = values.filter((v) => Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, lo: null, hi: null, halfWidth: null, n };
  // the same arithmetic, in the same order, as core's tInterval: equal inputs give equal bits
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (n - 1));
  const halfWidth = (tQuantile((1 + level) / 2, n - 1) * sd) / Math.sqrt(n);
  return { mean, lo: mean - halfWidth, hi: mean + halfWidth, halfWidth, n };
}

/** Significant-digit formatting that keeps tables readable (no exponent for ordinary lab values). */
export function fmt(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1000) return v.toFixed(0);
  if (a >= 1e-3) return Number(v.toPrecision(digits + 1)).toString();
  return v.toExponential(2);
}

/**
 * A share in percent, always to one decimal, so a column reads 91.4 / 8.6 / 0.0 rather than
 * 91.43 / 8.571 / 0 (fmt's significant digits give each row its own number of decimals). A share
 * too small to show at one decimal says so rather than printing 0.0.
 */
export function fmtShare(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v > 0 && v < 0.05) return '<0.1';
  return v.toFixed(1);
}

export function fmtInterval(s: Interval | null | undefined, digits = 3): string {
  if (!s) return '—';
  if (s.halfWidth === null) return `${fmt(s.mean, digits)} (n=1)`;
  // Seeds that agree to rounding (e.g. a sender-capped run) leave float noise like 3e-13: say 0.
  if (s.halfWidth <= Math.abs(s.mean) * 1e-9) return `${fmt(s.mean, digits)} ± 0`;
  // the mean to the decimal place of its rounded half-width, as the PDF report prints it
  return meanPlusMinus(s.mean, s.halfWidth, (m, hw) => `${fmt(m, digits)} ± ${fmt(hw, 2)}`);
}

/** Relative difference in percent, (x − ref)/ref. */
export function deltaPct(x: number | null | undefined, ref: number | null | undefined): number | null {
  if (x === null || x === undefined || ref === null || ref === undefined || !Number.isFinite(x) || !ref) return null;
  return ((x - ref) / ref) * 100;
}

export function fmtDelta(d: number | null): string {
  if (d === null) return '—';
  return `${signedPct(d)} %`;
}


/** "+2.4 % [+1.1, +3.7]": simulated against measured with its Welch 95 % interval; "(n=1)" without one. */
/** CSS class of an error in %: inside the tolerance, within 10 %, beyond (app.css: good, meh, bad). */
export function deltaClass(d: number | null, tolPct: number): string {
  return d === null ? '' : Math.abs(d) <= tolPct ? 'good' : Math.abs(d) <= 10 ? 'meh' : 'bad';
}

export function fmtDifference(d: Difference | null | undefined): string {
  if (!d) return '—';
  // against a measured value near zero a percentage says nothing readable: the ratio instead
  if (Math.abs(d.pct) >= 1000) {
    const r = 1 + d.pct / 100;
    return `×${Math.abs(r) >= 1e4 ? r.toExponential(2) : Number(r.toPrecision(3))}${d.lo === null ? ' (n=1)' : ''}`;
  }
  if (d.lo === null || d.hi === null) return `${fmtDelta(d.pct)} (n=1)`;
  return `${fmtDelta(d.pct)} [${signedPct(d.lo)}, ${signedPct(d.hi)}]`;
}

/** What the interval says, for the cell's tooltip. */
export function differenceTitle(d: Difference | null | undefined): string {
  if (!d) return '';
  if (d.differs === null) return 'simulated − measured, in % of measured; one side has a single value, so there is no interval';
  return d.differs
    ? 'simulated − measured, in % of measured, with its Welch 95 % interval: it excludes 0, so the model and this testbed differ by more than their spreads explain'
    : 'simulated − measured, in % of measured, with its Welch 95 % interval: it includes 0, so the difference is within the spread of the seeds and the measured runs';
}
