import { describe, it, expect } from 'vitest';
import { studentT95, tInterval } from './interval.js';

describe('Student-t intervals', () => {
  it('uses the right t quantiles (t_{0.975,4} = 2.776445, t_{0.95,9} = 1.833113)', () => {
    // n = 5 symmetric values: halfWidth * sqrt(n) / sd recovers t_{0.975,4}.
    const xs = [10 - Math.sqrt(2), 10 - Math.sqrt(0.5), 10, 10 + Math.sqrt(0.5), 10 + Math.sqrt(2)];
    const iv = studentT95(xs);
    expect(iv.n).toBe(5);
    expect(iv.mean).toBeCloseTo(10, 12);
    expect(iv.sd).toBeCloseTo(Math.sqrt(5 / 4), 12); // ss = 2+0.5+0+0.5+2 = 5, /(n-1)
    expect((iv.halfWidth * Math.sqrt(5)) / iv.sd).toBeCloseTo(2.776445, 6);
    expect(iv.lo).toBeCloseTo(10 - iv.halfWidth, 12);
    expect(iv.hi).toBeCloseTo(10 + iv.halfWidth, 12);

    const ys = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const iv90 = tInterval(ys, 0.9);
    expect((iv90.halfWidth * Math.sqrt(10)) / iv90.sd).toBeCloseTo(1.833113, 6);
  });

  it('matches a hand-computed example', () => {
    // mean 5, sd = sqrt(10/3) for [2,4,6,8]; t_{0.975,3} = 3.182446
    const iv = studentT95([2, 4, 6, 8]);
    expect(iv.mean).toBe(5);
    expect(iv.sd).toBeCloseTo(Math.sqrt(20 / 3), 12);
    expect(iv.halfWidth).toBeCloseTo((3.182446 * Math.sqrt(20 / 3)) / 2, 5);
  });

  it('covers the true mean about 95% of the time', () => {
    // Deterministic LCG-based normal samples: coverage over 2000 intervals of n = 5.
    let state = 12345;
    const u = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state + 0.5) / 4294967296;
    };
    const normal = (): number => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    let covered = 0;
    const trials = 2000;
    for (let k = 0; k < trials; k++) {
      const iv = studentT95(Array.from({ length: 5 }, () => 3 + 2 * normal()));
      if (iv.lo <= 3 && 3 <= iv.hi) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.93);
    expect(covered / trials).toBeLessThan(0.97);
  });

  it('n = 1 gives an unbounded interval; constant data gives zero width', () => {
    const one = studentT95([4.2]);
    expect(one).toEqual({ mean: 4.2, lo: -Infinity, hi: Infinity, halfWidth: Infinity, n: 1, sd: NaN });
    const flat = studentT95([3, 3, 3]);
    expect(flat.halfWidth).toBe(0);
    expect(flat.lo).toBe(3);
    expect(flat.hi).toBe(3);
  });

  it('rejects empty input, non-finite values and bad confidence', () => {
    expect(() => studentT95([])).toThrow(RangeError);
    expect(() => studentT95([1, Number.NaN])).toThrow(RangeError);
    expect(() => studentT95([1, Infinity])).toThrow(RangeError);
    expect(() => tInterval([1, 2], 1)).toThrow(RangeError);
    expect(() => tInterval([1, 2], 0)).toThrow(RangeError);
  });
});
