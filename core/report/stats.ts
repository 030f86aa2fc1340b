/** Mean and 95 % Student-t interval, the same summary the sweep API reports (core/stats/interval.ts). */
import { studentT95 } from '../stats/interval.js';
import { fmtNum } from './escape.js';

export interface Summary {
  mean: number;
  lo: number;
  hi: number;
  /** 0 when n = 1 (no spread known: the tables print no interval then, n says why). */
  halfWidth: number;
  n: number;
}

export function summarize(values: number[]): Summary | null {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return null;
  const s = studentT95(v);
  if (s.n === 1) return { mean: s.mean, lo: s.mean, hi: s.mean, halfWidth: 0, n: 1 };
  return { mean: s.mean, lo: s.lo, hi: s.hi, halfWidth: s.halfWidth, n: s.n };
}

/**
 * Decimal places that show a half-width as the Particle Data Group rounds an uncertainty (as the
 * app's tables do, renderer/src/lib/stats.ts): leading digits 100–354 keep two significant digits,
 * 355–949 one, 950–999 round up to two (1.0). Negative when digits reach past the units.
 */
function uncertaintyDecimals(hw: number): number {
  const exp = Math.floor(Math.log10(hw));
  const lead = Math.round(hw / 10 ** (exp - 2)); // 100–1000
  const sig = lead <= 354 || lead >= 950 ? 2 : 1;
  return sig - 1 - exp + (lead >= 950 ? -1 : 0);
}

/** "713.0 ± 0.5" as the app prints an interval: the mean to the decimal place of its rounded half-width. */
export function intervalText(s: Summary): string {
  if (s.n < 2) return `${fmtNum(s.mean)} (n = 1)`;
  // seeds that agree to rounding leave float noise (3e-13) in the half-width: say 0
  if (!(s.halfWidth > Math.abs(s.mean) * 1e-9)) return `${fmtNum(s.mean)} ± 0`;
  const d = uncertaintyDecimals(s.halfWidth);
  if (d > 6) return `${fmtNum(s.mean)} ± ${Number(s.halfWidth.toPrecision(2))}`;
  if (d >= 0) return `${s.mean.toFixed(d)} ± ${s.halfWidth.toFixed(d)}`;
  const unit = 10 ** -d;
  return `${(Math.round(s.mean / unit) * unit).toFixed(0)} ± ${(Math.round(s.halfWidth / unit) * unit).toFixed(0)}`;
}
