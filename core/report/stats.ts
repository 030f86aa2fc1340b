/** Mean and 95 % Student-t interval, the same summary the sweep API reports (core/stats/interval.ts). */
import { studentT95 } from '../stats/interval.js';
import { meanPlusMinus } from '../contract/interval-text.js';
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

/** "713.0 ± 0.5" as the app prints an interval: the mean to the decimal place of its rounded half-width. */
export function intervalText(s: Summary): string {
  if (s.n < 2) return `${fmtNum(s.mean)} (n = 1)`;
  // seeds that agree to rounding leave float noise (3e-13) in the half-width: say 0
  if (!(s.halfWidth > Math.abs(s.mean) * 1e-9)) return `${fmtNum(s.mean)} ± 0`;
  return meanPlusMinus(s.mean, s.halfWidth, (m, hw) => `${fmtNum(m)} ± ${Number(hw.toPrecision(2))}`);
}
