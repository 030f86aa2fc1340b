import { describe, expect, it } from 'vitest';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- parity test only: the notebook's intervals must equal the backend's
import { tInterval } from '../../../core/stats/interval.js';
import { interval, deltaClass, deltaPct, differenceTitle, fmtDelta, fmtDifference, fmtInterval, fmtShare } from './stats.js';

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
    expect(fmtInterval({ mean: 14.85, lo: 14.77, hi: 14.93, halfWidth: 0.0772, n: 3 })).toBe('14.85 ± 0.08');
    expect(fmtInterval({ mean: 2, lo: null, hi: null, halfWidth: null, n: 1 })).toBe('2 (n=1)');
  });

  it('rounds the half-width as the PDG does and the mean to the same decimal place', () => {
    const iv = (mean: number, halfWidth: number): string => fmtInterval({ mean, lo: mean - halfWidth, hi: mean + halfWidth, halfWidth, n: 3 });
    expect(iv(713.0464, 0.508)).toBe('713.0 ± 0.5'); // 508: one digit
    expect(iv(5471.1, 19.1)).toBe('5471 ± 19'); // 191: two digits
    expect(iv(2.2351, 0.0152)).toBe('2.235 ± 0.015');
    expect(iv(17.7757, 0.00515)).toBe('17.776 ± 0.005');
    expect(iv(39.17, 0.723)).toBe('39.2 ± 0.7');
    expect(iv(720.83, 4.38)).toBe('721 ± 4');
    expect(iv(568.12, 0.97)).toBe('568.1 ± 1.0'); // 970: rounds up to two digits
    expect(iv(5133, 287)).toBe('5130 ± 290'); // 287: two digits, to the tens
    expect(iv(5133, 456)).toBe('5100 ± 500');
    expect(iv(12345, 1234)).toBe('12300 ± 1200');
    expect(iv(1.92e-5, 8.01e-5)).toBe('0.00002 ± 0.00008'); // a nearly idle CPU share
    expect(iv(0.0004, 0.0001)).toBe('0.00040 ± 0.00010');
    expect(iv(3e-9, 1e-9)).toBe('3.00e-9 ± 1.00e-9');
  });
});

describe('simulated against measured, as the Compare cell prints it', () => {
  it('shows the difference with its interval, or says n=1, and explains what the interval means', () => {
    expect(fmtDifference({ pct: 2.44, lo: 1.06, hi: 3.81, df: 4.2, differs: true })).toBe('+2.4 % [+1.1, +3.8]');
    expect(fmtDifference({ pct: -0.4, lo: -3.1, hi: 2.3, df: 3.1, differs: false })).toBe('−0.4 % [−3.1, +2.3]');
    expect(fmtDifference({ pct: 4.5, lo: null, hi: null, df: null, differs: null })).toBe('+4.5 % (n=1)');
    expect(fmtDifference(null)).toBe('—');
    expect(fmtDifference({ pct: 3689630818.9, lo: null, hi: null, df: null, differs: null })).toBe('×3.69e+7 (n=1)');
    expect(fmtDifference({ pct: 1.2e12, lo: 1e12, hi: 1.4e12, df: 3, differs: true })).toBe('×1.20e+10');
    expect(fmtDifference({ pct: 1150, lo: 1000, hi: 1300, df: 3, differs: true })).toBe('×12.5');
    expect(differenceTitle({ pct: 2.44, lo: 1.06, hi: 3.81, df: 4.2, differs: true })).toContain('excludes 0');
    expect(differenceTitle({ pct: -0.4, lo: -3.1, hi: 2.3, df: 3.1, differs: false })).toContain('includes 0');
  });
});

describe('deltaClass', () => {
  it('colours an error inside its tolerance, within 10 %, beyond, and nothing without a value', () => {
    expect(deltaClass(-2.9, 3)).toBe('good');
    expect(deltaClass(4.5, 5)).toBe('good');
    expect(deltaClass(-3.1, 3)).toBe('meh');
    expect(deltaClass(10, 3)).toBe('meh');
    expect(deltaClass(134.2, 3)).toBe('bad');
    expect(deltaClass(null, 3)).toBe('');
  });
});

describe('shares in percent', () => {
  it('print to one decimal in every row, so a column lines up (xenoprof: 91.4286 / 93.75 / 0 and 91.43, 8.571, 0 before)', () => {
    expect([91.4286, 93.75, 0].map(fmtShare)).toEqual(['91.4', '93.8', '0.0']);
    expect([91.43, 8.571, 2.857, 0].map(fmtShare)).toEqual(['91.4', '8.6', '2.9', '0.0']);
    expect([100, 48.15].map(fmtShare)).toEqual(['100.0', '48.1']);
    // not 0.0 for a share that is there, however small; nothing for none
    expect(fmtShare(0.01)).toBe('<0.1');
    expect([null, undefined, NaN].map(fmtShare)).toEqual(['—', '—', '—']);
  });
});
