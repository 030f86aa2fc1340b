import { describe, expect, it } from 'vitest';
import type { ProfileOutcome } from '../../../core/contract/index.js';
import { knobWords } from '../../../core/contract/multipliers.js';
import { centreObjective, profileChart } from './objective-profile.js';

const pt = (factor: number, objective: number, inside: number, misfits: string[] = []): ProfileOutcome['profiles'][number]['points'][number] => ({
  factor,
  multiplier: factor * 3,
  objective,
  within_tolerance: inside,
  cells: 25,
  misfits,
});

const outcome: ProfileOutcome = {
  model_version: 'm',
  rounds: 220,
  seeds: [11, 12, 13, 14],
  flat_within: 2,
  profiles: [
    { knob: 'pirq', points: [pt(0.5, 142.1, 16, ['V DA driver']), pt(1, 99, 20), pt(2, 185.8, 11)], verdict: 'pinned' },
    { knob: 'gcopy', points: [pt(0.5, 112.7, 20), pt(1, 99, 20), pt(Math.SQRT2, 106.9, 18)], verdict: 'flat' },
  ],
};

describe('the profile chart', () => {
  it('draws one line per knob on a log axis of factors, labelled with the cells inside', () => {
    const f = profileChart(outcome);
    expect(f.data.map((d) => d['name'])).toEqual(['pirq', 'gcopy']);
    expect(f.data[0]?.['x']).toEqual([0.5, 1, 2]);
    expect(f.data[0]?.['y']).toEqual([142.1, 99, 185.8]);
    expect(f.data[0]?.['text']).toEqual(['16', '20', '11']);
    expect(f.data[0]?.['customdata']).toEqual([[16, 25, 'V DA driver'], [20, 25, 'none'], [11, 25, 'none']]);
    const x = f.layout['xaxis'] as Record<string, unknown>;
    expect(x['type']).toBe('log');
    expect(x['ticktext']).toEqual(['×0.50', '×1.00', '×1.41', '×2.00']);
    // the committed objective, and the band within one misfit's penalty of it
    const shapes = f.layout['shapes'] as Record<string, unknown>[];
    expect(shapes.map((s) => [s['type'], s['y0'], s['y1']])).toEqual([
      ['rect', 99, 101],
      ['line', 99, 99],
    ]);
  });

  it('names the fitted multipliers in words', () => {
    expect(knobWords('pirq')).toBe('pirq (physical IRQ)');
    expect(knobWords('l_ext_us')).toBe('l_ext_us (TCP_RR client turnaround)');
    expect(knobWords('other')).toBe('other');
    expect(centreObjective({ ...outcome, profiles: [] })).toBeNull();
    expect(profileChart({ ...outcome, profiles: [] }).layout['shapes']).toEqual([]);
  });
});
