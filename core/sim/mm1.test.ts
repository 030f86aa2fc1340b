import { describe, it, expect } from 'vitest';
import { mm1TheoryWait, runMm1 } from './mm1.js';

const C_MEAN_WAIT_100K_SEED1 = 8.5772288299974804;

describe('M/M/1 on the engine', () => {
  it('mean wait for 200k customers is within a few % of λ/(μ(μ−λ)) = 9', () => {
    expect(mm1TheoryWait(0.9, 1)).toBeCloseTo(9, 12);
    // ρ = 0.9 is heavily autocorrelated, so average a few seeds to keep the check tight but stable.
    const waits = [1, 2, 3, 4].map((seed) => runMm1({ customers: 200_000, seed }).mean_wait);
    const mean = waits.reduce((s, w) => s + w, 0) / waits.length;
    expect(Math.abs(mean - 9) / 9).toBeLessThan(0.04);
  });

  it('reports customers, events = 2 per customer, and a positive wall time', () => {
    const r = runMm1({ customers: 1000, seed: 5 });
    expect(r.customers).toBe(1000);
    expect(r.events).toBe(2000);
    expect(r.wall_s).toBeGreaterThan(0);
  });

  it('is reproducible per seed, and follows other λ, μ', () => {
    expect(runMm1({ customers: 5000, seed: 7 }).mean_wait).toBe(runMm1({ customers: 5000, seed: 7 }).mean_wait);
    expect(runMm1({ customers: 5000, seed: 7 }).mean_wait).not.toBe(runMm1({ customers: 5000, seed: 8 }).mean_wait);
    // ρ = 0.5: Wq = 0.5 / (1 · 0.5) = 1.
    const w = runMm1({ customers: 200_000, seed: 3, lambda: 0.5, mu: 1 }).mean_wait;
    expect(Math.abs(w - 1)).toBeLessThan(0.05);
  });

  it('matches the C baseline bit for bit (same RNG streams, same event order)', () => {
    // bench/mm1.c with `./mm1 100000 1` prints mean_wait 8.5772288299974804 (gcc -O2, glibc log).
    // Rng.exp's log (fdlibm's algorithm, = V8's Math.log) and glibc's log agree on these inputs,
    // so the sums are the same double; a change here means the streams or event order diverged.
    expect(runMm1({ customers: 100_000, seed: 1 }).mean_wait).toBe(C_MEAN_WAIT_100K_SEED1);
  });

  it('rejects bad options', () => {
    expect(() => runMm1({ customers: 0 })).toThrow(RangeError);
    expect(() => runMm1({ customers: 1.5 })).toThrow(RangeError);
    expect(() => runMm1({ customers: 10, lambda: -1 })).toThrow(RangeError);
  });
});
