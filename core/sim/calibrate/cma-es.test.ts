import { describe, expect, it } from 'vitest';
import { cmaEs } from './cma-es.js';

const batch =
  (g: (x: number[]) => number) =>
  async (xs: number[][]): Promise<number[]> =>
    xs.map(g);

/** Ill-conditioned, shifted ellipsoid: scales 1 … 1000 along the axes, minimum 0 at x = 1 + i. */
const ellipsoid = (x: number[]): number => x.reduce((a, v, i) => a + 10 ** ((3 * i) / (x.length - 1)) * (v - 1 - i) ** 2, 0);
const rosenbrock = (x: number[]): number => {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += 100 * ((x[i + 1] as number) - (x[i] as number) ** 2) ** 2 + (1 - (x[i] as number)) ** 2;
  return s;
};
/** Piecewise constant (like a count of cells outside tolerance): flat steps down to 0 near x = 3. */
const staircase = (x: number[]): number => x.reduce((a, v) => a + Math.floor(Math.abs(v - 3) * 4), 0);

describe('separable CMA-ES', () => {
  it('finds the minimum of an ill-conditioned ellipsoid (the diagonal adapts to the scales)', async () => {
    const r = await cmaEs(batch(ellipsoid), new Array(6).fill(0), { sigma: 2, maxEvals: 4000, seed: 1 });
    expect(r.f).toBeLessThan(1e-8);
    r.x.forEach((v, i) => expect(v).toBeCloseTo(1 + i, 3));
  });

  it('crosses flat steps that stop a simplex (a piecewise-constant objective)', async () => {
    const r = await cmaEs(batch(staircase), [0, 0, 0, 0, 0], { sigma: 1, maxEvals: 1500, seed: 5 });
    expect(r.f).toBe(0);
    for (const v of r.x) expect(Math.abs(v - 3)).toBeLessThan(0.25);
  });

  it('is deterministic for a seed, and the seed matters', async () => {
    const a = await cmaEs(batch(rosenbrock), [0, 0, 0], { sigma: 0.3, maxEvals: 200, seed: 7 });
    const b = await cmaEs(batch(rosenbrock), [0, 0, 0], { sigma: 0.3, maxEvals: 200, seed: 7 });
    const c = await cmaEs(batch(rosenbrock), [0, 0, 0], { sigma: 0.3, maxEvals: 200, seed: 8 });
    expect(b).toEqual(a);
    expect(c.x).not.toEqual(a.x);
  });

  it('evaluates whole generations within the budget and ranks every point, best first', async () => {
    const sizes: number[] = [];
    const r = await cmaEs(
      async (xs) => {
        sizes.push(xs.length);
        return xs.map(ellipsoid);
      },
      [0, 0, 0, 0],
      { sigma: 1, maxEvals: 50, seed: 2, lambda: 8 },
    );
    expect(sizes).toEqual([8, 8, 8, 8, 8, 8]);
    expect(r.evaluations).toBe(48);
    expect(r.ranked).toHaveLength(48);
    for (let i = 1; i < r.ranked.length; i++) expect(r.ranked[i]!.f).toBeGreaterThanOrEqual(r.ranked[i - 1]!.f);
    expect(r.f).toBe(r.ranked[0]!.f);
  });

  it('ranks failed evaluations last and refuses a budget below one generation', async () => {
    let calls = 0;
    const r = await cmaEs(
      async (xs) => xs.map((x) => (calls++ % 3 === 0 ? NaN : ellipsoid(x))),
      [0, 0],
      { sigma: 1, maxEvals: 60, seed: 4 },
    );
    expect(Number.isFinite(r.f)).toBe(true);
    expect(r.ranked.at(-1)!.f).toBe(Infinity);
    await expect(cmaEs(batch(ellipsoid), [0, 0], { sigma: 1, maxEvals: 3, seed: 1 })).rejects.toThrow(/less than one generation/);
  });
});
