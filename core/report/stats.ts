/** Mean and 95 % Student-t interval, the same summary the sweep API reports (core/stats/interval.ts). */
import { studentT95 } from '../stats/interval.js';

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
