import { describe, expect, it } from 'vitest';
import { studentTCdf, studentTQuantile, incompleteBeta } from './student-t.js';
import { interval, deltaPct, fmtDelta } from './stats.js';

describe('Student-t quantile', () => {
  // Reference values: standard t tables (two-sided 95 % → p = 0.975) and R's qt().
  const known: [number, number, number][] = [
    [0.975, 1, 12.706204736],
    [0.975, 2, 4.302652730],
    [0.975, 3, 3.182446305],
    [0.975, 4, 2.776445105],
    [0.975, 9, 2.262157163],
    [0.975, 29, 2.045229642],
    [0.975, 100, 1.983971519],
    [0.995, 5, 4.032142984],
    [0.9, 10, 1.372183641],
    [0.9995, 1, 636.619248768],
  ];
  it.each(known)('qt(%f, %d) = %f', (p, df, q) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(q, 6);
  });
  it('is symmetric and 0 at the median', () => {
    expect(studentTQuantile(0.5, 7)).toBe(0);
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.776445105, 6);
  });
  it('approaches the normal quantile for large df', () => {
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959966, 4);
  });
  it('inverts the CDF', () => {
    for (const df of [1, 2.5, 8, 30]) for (const p of [0.6, 0.9, 0.99]) expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 9);
  });
  it('rejects bad input', () => {
    expect(studentTQuantile(0, 3)).toBeNaN();
    expect(studentTQuantile(0.9, 0)).toBeNaN();
  });
  it('regularized incomplete beta matches closed forms', () => {
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(incompleteBeta(0.5, 2, 2)).toBeCloseTo(0.5, 12);
    expect(incompleteBeta(0.2, 2, 1)).toBeCloseTo(0.04, 12);
  });
});

describe('interval', () => {
  it('gives mean ± t·s/√n', () => {
    const s = interval([1, 2, 3]);
    expect(s?.mean).toBe(2);
    expect(s?.halfWidth).toBeCloseTo(4.302652730 * (1 / Math.sqrt(3)), 8);
    expect(s?.n).toBe(3);
  });
  it('has no interval for one value and nothing for none', () => {
    expect(interval([5])).toEqual({ mean: 5, lo: null, hi: null, halfWidth: null, n: 1 });
    expect(interval([])).toBeNull();
  });
  it('deltas', () => {
    expect(deltaPct(110, 100)).toBeCloseTo(10);
    expect(deltaPct(1, null)).toBeNull();
    expect(fmtDelta(-2.345)).toBe('−2.3 %');
  });
});
