import { describe, it, expect } from 'vitest';
import { Rng, logOneMinusU32 } from './rng.js';

// First three nextU32() outputs for seed 1; bench/mm1.c's copy of the generator gives the same.
const FIRST_U32_SEED1 = [2136107675, 3432576859, 2485146867];

function take(r: Rng, n: number): number[] {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(r.next());
  return xs;
}

const minOf = (xs: number[]): number => xs.reduce((m, x) => Math.min(m, x), Infinity);
const maxOf = (xs: number[]): number => xs.reduce((m, x) => Math.max(m, x), -Infinity);

function moments(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

describe('Rng', () => {
  it('is reproducible for a seed and differs across seeds', () => {
    expect(take(new Rng(1), 100)).toEqual(take(new Rng(1), 100));
    expect(take(new Rng(1), 100)).not.toEqual(take(new Rng(2), 100));
    expect(take(new Rng(-1), 10)).not.toEqual(take(new Rng(1), 10));
    expect(take(new Rng(2 ** 40), 10)).not.toEqual(take(new Rng(0), 10));
  });

  it('pins the first outputs so the stream stays stable across platforms and releases', () => {
    // Same numbers are produced by bench/mm1.c's implementation (xoshiro128** with this seeding).
    const r = new Rng(1);
    const first = [r.nextU32(), r.nextU32(), r.nextU32()];
    expect(first).toEqual(FIRST_U32_SEED1);
  });

  it('next() stays in [0, 1) with uniform moments', () => {
    const xs = take(new Rng(3), 200000);
    expect(minOf(xs)).toBeGreaterThanOrEqual(0);
    expect(maxOf(xs)).toBeLessThan(1);
    const m = moments(xs);
    expect(m.mean).toBeCloseTo(0.5, 2);
    expect(m.variance).toBeCloseTo(1 / 12, 2);
  });

  it('exp(mean) has the right mean and variance', () => {
    const r = new Rng(4);
    const xs = Array.from({ length: 200000 }, () => r.exp(2));
    const m = moments(xs);
    expect(Math.abs(m.mean - 2) / 2).toBeLessThan(0.01);
    expect(Math.abs(m.variance - 4) / 4).toBeLessThan(0.03);
    expect(minOf(xs)).toBeGreaterThanOrEqual(0);
  });

  it('normal(mean, sd) has the right mean and sd', () => {
    const r = new Rng(5);
    const xs = Array.from({ length: 200000 }, () => r.normal(10, 3));
    const m = moments(xs);
    expect(Math.abs(m.mean - 10)).toBeLessThan(0.03);
    expect(Math.abs(Math.sqrt(m.variance) - 3)).toBeLessThan(0.03);
  });

  it('logOneMinusU32(r) is Math.log(1 - r / 2^32) bit for bit', () => {
    const same = (r: number): boolean => Object.is(logOneMinusU32(r), Math.log(1 - r / 2 ** 32));
    const bad: number[] = [];
    const check = (r: number): void => {
      if (!same(r) && bad.length < 10) bad.push(r);
    };
    // A stride through all 2^32 inputs (an odd step, so every residue class of low bits is hit).
    for (let r = 0; r < 2 ** 32; r += 4093) check(r);
    // Near x = 1 (r small: |f| < 2^-20, k = 0) and x -> 0 (r near 2^32: large |k|).
    for (let r = 0; r < 50_000; r++) check(r);
    for (let r = 2 ** 32 - 50_000; r < 2 ** 32; r++) check(r);
    // x near every power of two (f = 0, tiny |f| on both sides) and near fdlibm's thresholds
    // sqrt(2) (x or x/2) and the two accuracy branches (hx = 0x6147a, 0x6b851).
    for (let e = 0; e <= 32; e++) {
      for (const mant of [0, 0x6a09e, 0x6147a, 0x6b851, 0x95f64, 0xfffff]) {
        const base = e >= 20 ? (2 ** 20 + mant) * 2 ** (e - 20) : Math.floor((2 ** 20 + mant) / 2 ** (20 - e));
        for (let d = -300; d <= 300; d++) {
          const m = base + d; // x = m / 2^32
          if (m >= 1 && m <= 2 ** 32) check(2 ** 32 - m === 2 ** 32 ? 0 : 2 ** 32 - m);
        }
      }
    }
    expect(bad).toEqual([]);
    expect(Object.is(logOneMinusU32(0), 0)).toBe(true);
  });

  it('exp() and normal() draw exactly what the Math.log formulas give', () => {
    // Reference: the textbook expressions on a twin generator's raw outputs.
    const r = new Rng(11);
    const twin = new Rng(11);
    for (let i = 0; i < 20_000; i++) {
      expect(r.exp(1.7)).toBe(-1.7 * Math.log(1 - twin.nextU32() / 2 ** 32));
    }
    for (let i = 0; i < 5_000; i++) {
      const u1 = 1 - twin.nextU32() / 2 ** 32;
      const u2 = twin.nextU32() / 2 ** 32;
      const rad = Math.sqrt(-2 * Math.log(u1));
      expect(r.normal(3, 2)).toBe(3 + 2 * (rad * Math.cos(2 * Math.PI * u2)));
      expect(r.normal(3, 2)).toBe(3 + 2 * (rad * Math.sin(2 * Math.PI * u2)));
    }
  });

  it('draws the same sequence whatever mix of methods consumes it (outputs come in blocks)', () => {
    // Reference: the raw stream of a twin generator consumed only by nextU32(), mapped through
    // the textbook formulas of each method.
    const raw = new Rng(12);
    const rawOut: number[] = Array.from({ length: 5000 }, () => raw.nextU32());
    let k = 0;
    const u = (): number => rawOut[k++]! / 2 ** 32;
    const r = new Rng(12);
    const pick = new Rng(99); // decides the mix, so calls straddle block boundaries at random
    while (k < 4900) {
      const op = pick.int(5);
      if (op === 0) expect(r.nextU32()).toBe(rawOut[k++]);
      else if (op === 1) expect(r.next()).toBe(u());
      else if (op === 2) expect(r.exp(0.5)).toBe(-0.5 * Math.log(1 - u()));
      else if (op === 3) expect(r.int(1000)).toBe(Math.floor(u() * 1000));
      else {
        const u1 = 1 - u();
        const u2 = u();
        const rad = Math.sqrt(-2 * Math.log(u1));
        expect(r.normal(0, 1)).toBe(0 + 1 * (rad * Math.cos(2 * Math.PI * u2)));
        expect(r.normal(0, 1)).toBe(0 + 1 * (rad * Math.sin(2 * Math.PI * u2)));
      }
    }
    // Pinned values across the first block boundaries (outputs 61-68 and 1000 of seed 1, exp
    // draws 64, 65 and 200 of seed 2), recorded from the one-output-at-a-time implementation.
    const one = new Rng(1);
    const first1000 = Array.from({ length: 1000 }, () => one.nextU32());
    expect(first1000.slice(60, 68)).toEqual([
      722283587, 3331521589, 1662545095, 40781093, 1440153847, 3247417724, 1241571424, 1205656301,
    ]);
    expect(first1000[999]).toBe(264094370);
    const two = new Rng(2);
    const exps = Array.from({ length: 200 }, () => two.exp(1));
    expect([exps[63], exps[64], exps[199]]).toEqual([0.023351585339135797, 0.005821237892475793, 1.6272821784303682]);
    // Forking does not consume or depend on buffered outputs.
    const a = new Rng(13);
    const b = new Rng(13);
    b.exp(1); // b now holds a block of precomputed outputs
    expect(take(a.fork(4), 100)).toEqual(take(b.fork(4), 100));
  });

  it('int(n) covers [0, n) evenly and rejects bad n', () => {
    const r = new Rng(6);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 100000; i++) {
      const k = r.int(10);
      counts[k] = (counts[k] ?? 0) + 1; // a non-integer or out-of-range k would add a key
    }
    expect(counts.length).toBe(10);
    expect(Object.keys(counts).length).toBe(10);
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(500);
    expect(() => r.int(0)).toThrow(RangeError);
    expect(() => r.int(2.5)).toThrow(RangeError);
    expect(() => new Rng(Number.NaN)).toThrow(RangeError);
  });

  it('fork(stream) depends only on seed and stream, not on prior draws', () => {
    const a = new Rng(9);
    const b = new Rng(9);
    take(b, 1000); // advancing the parent must not change its forks
    expect(take(a.fork(1), 50)).toEqual(take(b.fork(1), 50));
    expect(take(a.fork(1), 50)).not.toEqual(take(a.fork(2), 50));
    expect(take(a.fork(1), 50)).not.toEqual(take(new Rng(10).fork(1), 50));
    // Nested forks are distinct from single-level ones.
    expect(take(a.fork(1).fork(1), 50)).not.toEqual(take(a.fork(1), 50));
    // Forked streams are uncorrelated with each other.
    const x = take(a.fork(3), 50000);
    const y = take(a.fork(4), 50000);
    let cov = 0;
    for (let i = 0; i < x.length; i++) cov += (x[i]! - 0.5) * (y[i]! - 0.5);
    expect(Math.abs(cov / x.length / (1 / 12))).toBeLessThan(0.02);
  });
});
