import { describe, expect, it } from 'vitest';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- parity test only: the notebook's intervals must equal the backend's
import { tInterval } from '../../../core/stats/interval.js';
import { interval, deltaPct, fmtDelta, fmtInterval } from './stats.js';

describe('interval', () => {
  it('gives mean ± t·s/√n with t from the t table (t_{0.975,2} = 4.302652730)', () => {
    const s = interval([1, 2, 3]);
    expect(s?.mean).toBe(2);
    expect(s?.halfWidth).toBeCloseTo(4.30265273 * (1 / Math.sqrt(3)), 8);
    expect(s?.n).toBe(3);
  });

  it('equals core/stats/interval.ts (what the backend reports) for every n and level', () => {
    // deterministic, uneven samples
    const sample = (n: number): number[] => Array.from({ length: n }, (_, i) => 500 + 37 * Math.sin(i * 1.7 + n) + (i % 3) * 4.5);
    for (const n of [2, 3, 4, 5, 10, 30, 100]) {
      for (const level of [0.95, 0.9, 0.99]) {
        const xs = sample(n);
        const mine = interval(xs, level);
        const core = tInterval(xs, level);
        expect(mine).toEqual({ mean: core.mean, lo: core.lo, hi: core.hi, halfWidth: core.halfWidth, n: core.n });
      }
    }
  });

  it('has no interval for one value and nothing for none; drops non-finite values', () => {
    expect(interval([5])).toEqual({ mean: 5, lo: null, hi: null, halfWidth: null, n: 1 });
    expect(interval([])).toBeNull();
    expect(interval([1, Number.NaN, 3, Infinity])).toEqual(interval([1, 3]));
  });

  it('deltas', () => {
    expect(deltaPct(110, 100)).toBeCloseTo(10);
    expect(deltaPct(1, null)).toBeNull();
    expect(fmtDelta(-2.345)).toBe('−2.3 %');
  });
});

describe('fmtInterval', () => {
  it('shows float noise in a half-width as ± 0 and real spreads as printed', () => {
    expect(fmtInterval({ mean: 731.3, lo: 731.3, hi: 731.3, halfWidth: 3.46e-13, n: 3 })).toBe('731.3 ± 0');
    expect(fmtInterval({ mean: 14.85, lo: 14.77, hi: 14.93, halfWidth: 0.0772, n: 3 })).toBe('14.85 ± 0.0772');
    expect(fmtInterval({ mean: 2, lo: null, hi: null, halfWidth: null, n: 1 })).toBe('2 (n=1)');
  });
});
