import { describe, expect, it } from 'vitest';
import { nelderMead } from './nelder-mead.js';

/** A bowl with its floor at (1, −2, 3, 0.5): NM walks downhill, reflecting, expanding and shrinking. */
const bowl = (x: number[]): Promise<number> => Promise.resolve(x.reduce((s, v, i) => s + (v - ([1, -2, 3, 0.5][i] as number)) ** 2 * (i + 1), 0));

describe('Nelder–Mead', () => {
  it('finds the floor of a bowl', async () => {
    const r = await nelderMead(bowl, [0, 0, 0, 0], { step: 0.5, maxEvals: 2000, tol: 1e-12 });
    expect(r.f).toBeLessThan(1e-6);
  });

  it('never passes its budget: every budget from the first simplex up is kept exactly', async () => {
    for (let budget = 5; budget <= 60; budget++) {
      let calls = 0;
      const counted = (x: number[]): Promise<number> => {
        calls++;
        return bowl(x);
      };
      const r = await nelderMead(counted, [0, 0, 0, 0], { step: 0.5, maxEvals: budget, tol: 0 });
      expect(calls, `budget ${budget}`).toBe(budget);
      expect(r.evaluations).toBe(budget);
    }
  });

  it('returns a point it evaluated, with its value', async () => {
    const seen = new Map<string, number>();
    const f = async (x: number[]): Promise<number> => {
      const v = await bowl(x);
      seen.set(JSON.stringify(x), v);
      return v;
    };
    for (const budget of [7, 13, 29]) {
      const r = await nelderMead(f, [0, 0, 0, 0], { step: 0.5, maxEvals: budget, tol: 0 });
      expect(seen.get(JSON.stringify(r.x))).toBe(r.f);
      expect(r.f).toBe(Math.min(...seen.values()));
      seen.clear();
    }
  });
});
