import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { describe, expect, it } from 'vitest';
import { studentT95 } from '../stats/interval.js';
import { welchDifference } from './welch.js';

describe('welchDifference: simulated against measured', () => {
  it('matches a Welch interval computed from the raw values (textbook arithmetic)', () => {
    const sim = [712.9, 713.4, 712.7];
    const meas = [690.1, 702.5, 695.3, 688.0, 699.9];
    const s = studentT95(sim);
    const m = studentT95(meas);
    const d = welchDifference(s, m, tQuantile)!;
    // by hand: variances of the means, Welch–Satterthwaite df, t quantile
    const vs = s.sd ** 2 / 3;
    const vm = m.sd ** 2 / 5;
    const df = (vs + vm) ** 2 / (vs ** 2 / 2 + vm ** 2 / 4);
    const half = (tQuantile(0.975, df) * Math.sqrt(vs + vm) * 100) / m.mean;
    expect(d.df).toBeCloseTo(df, 9);
    expect(d.pct).toBeCloseTo(((s.mean - m.mean) / m.mean) * 100, 12);
    expect(d.hi! - d.pct).toBeCloseTo(half, 9);
    expect(d.differs).toBe(true); // about +2.4 %, well outside the spread
  });

  it('calls overlapping spreads consistent', () => {
    const d = welchDifference({ mean: 101, halfWidth: 5, n: 4 }, { mean: 100, halfWidth: 4, n: 5 }, tQuantile)!;
    expect(d.pct).toBeCloseTo(1, 12);
    expect(d.lo!).toBeLessThan(0);
    expect(d.hi!).toBeGreaterThan(0);
    expect(d.differs).toBe(false);
  });

  it('gives the difference without an interval when a side has one value, and nothing against a zero mean', () => {
    expect(welchDifference({ mean: 110, halfWidth: null, n: 1 }, { mean: 100, halfWidth: 3, n: 4 }, tQuantile)).toEqual({ pct: 10, lo: null, hi: null, df: null, differs: null });
    expect(welchDifference({ mean: 1, halfWidth: 0.1, n: 3 }, { mean: 0, halfWidth: 0.1, n: 3 }, tQuantile)).toBeNull();
    // seeds that agree exactly on both sides: the interval is the point
    expect(welchDifference({ mean: 105, halfWidth: 0, n: 3 }, { mean: 100, halfWidth: 0, n: 3 }, tQuantile)).toMatchObject({ pct: 5, lo: 5, hi: 5, differs: true });
  });
});
