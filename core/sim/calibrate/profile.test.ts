import { afterAll, describe, expect, it } from 'vitest';
import { destroyPool, runMany } from '../pool.js';
import type { RunRequest, RunResult } from '../types.js';
import { calibratedMultipliers, formatProfile, profileObjective, verdict, type ProfilePoint } from './profile.js';

afterAll(async () => {
  await destroyPool();
});

const pt = (factor: number, objective: number): ProfilePoint => ({ factor, multiplier: factor, objective, within_tolerance: 20, cells: 25, misfits: [] });

describe('reading a profile', () => {
  it('pinned, flat on one side or both, or better away from the committed fit', () => {
    expect(verdict('pirq', [pt(0.5, 140), pt(1, 99), pt(2, 120)])).toBe('pinned: the objective rises by 41.0 at the low end and 21.0 at the high end');
    expect(verdict('copy', [pt(0.5, 100), pt(1, 99), pt(2, 100.5)])).toBe('flat over the grid (rises 1.0 and 1.5): the other multipliers stand in for copy');
    expect(verdict('stack', [pt(0.5, 100), pt(1, 99), pt(2, 130)])).toBe('flat down (rises 1.0), pinned up (rises 31.0)');
    expect(verdict('stack', [pt(0.5, 130), pt(1, 99), pt(2, 99.5)])).toBe('flat up (rises 0.5), pinned down (rises 31.0)');
    expect(verdict('sender', [pt(0.5, 130), pt(1, 99), pt(1.41, 90), pt(2, 95)])).toMatch(/^lower at ×1\.41 \(90\.0 against 99\.0, 20 cells inside\): the committed fit is not at the optimum along sender$/);
    // a dip smaller than one misfit's penalty is noise, not a better optimum
    expect(verdict('sender', [pt(0.5, 130), pt(1, 99), pt(2, 98)])).toMatch(/^flat up/);
    expect(verdict('x', [pt(2, 1)])).toBe('no centre point to compare with');
    expect(verdict('pirq', [pt(0.5, 142.1), pt(1, 99)])).toBe('pinned: the objective rises by 43.1 at the low end (only below the fit probed)');
    expect(verdict('gcopy', [pt(1, 99), pt(1.2, 99.5)])).toBe('flat over the grid (rises 0.5): the other multipliers stand in for gcopy (only above the fit probed)');
  });
});

describe('profiling the real calibration', () => {
  it('holds the knob at each grid point × the committed fit and refits the rest in the calibration frame', async () => {
    const runner = (reqs: RunRequest[]): Promise<RunResult[]> => runMany<RunRequest, RunResult>('sim', reqs);
    const seen: string[] = [];
    const rep = await profileObjective(runner, { knobs: ['pirq'], grid: [1, 0.5], rounds: 10, onProgress: (n, of, k, g) => seen.push(`${n}/${of} ${k} ${g}`) });
    expect(seen).toEqual(['1/2 pirq 0.5', '2/2 pirq 1']);
    expect(rep.seeds).toEqual([11, 12, 13, 14]);
    const [p] = rep.profiles;
    expect(p?.points.map((q) => q.factor)).toEqual([0.5, 1]);
    expect(p?.points[0]?.multiplier).toBeCloseTo((calibratedMultipliers().pirq ?? NaN) * 0.5, 12);
    for (const q of p?.points ?? []) {
      expect(q.cells).toBe(25);
      expect(q.misfits).toHaveLength(25 - q.within_tolerance);
    }
    // halving the physical-IRQ cost the Xen-based systems' saturation rests on is not free
    expect(p?.points[0]?.objective).toBeGreaterThan(p?.points[1]?.objective ?? Infinity);
    expect(formatProfile(rep)).toMatch(/^pirq +\d+\.\d \(\d+\) +\d+\.\d \(\d+\)$/m);
    await expect(profileObjective(runner, { knobs: ['nope'] })).rejects.toThrow(/unknown fitted multiplier "nope"/);
  }, 120_000);
});
