import { describe, expect, it } from 'vitest';
import { sensitivityTables } from './sensitivity-tables.js';

const move = (multipliers: Record<string, number>, err: number, inside: number): Record<string, unknown> => ({
  multipliers,
  predicted: { target_error_pct: 0, within_tolerance: inside + 1 },
  simulated: { target_error_pct: err, within_tolerance: inside, newly_outside: [], newly_inside: [] },
});

describe('sensitivity tables in the report', () => {
  it('gives the closures, then the elasticity of every cell, misfits marked', () => {
    const tables = sensitivityTables('c1', {
      seeds: [1, 2, 3],
      step: 0.1,
      knobs: ['stack', 'pirq'],
      target: 'the paper',
      cells: [
        { label: 'V Xen driver', error_pct: 1.9, within_tolerance: true, elasticity: { stack: 0.7512, pirq: -0.07 } },
        { label: 'V DA driver', error_pct: 134.2, within_tolerance: false, elasticity: { stack: 0.53, pirq: null } },
      ],
      closures: [{ cell: 'V DA driver', error_pct: 134.2, single: move({ stack: 0.2 }, 40.3, 1), joint: null }],
    });
    expect(tables.map((t) => t.id)).toEqual(['c1-closures', 'c1-elasticity']);
    expect(tables[0]?.title).toBe('What closing each misfit would take against the paper (simulated, seeds 1, 2, 3)');
    expect(tables[0]?.rows).toEqual([['V DA driver', 134.2, 'stack ×0.20', 40.3, '1 / 2', 'no joint move within ×/÷3', null, null]]);
    expect(tables[1]?.columns).toEqual(['Cell', 'Error (%)', 'stack', 'pirq']);
    expect(tables[1]?.rows).toEqual([
      ['V Xen driver', 1.9, 0.75, -0.07],
      ['V DA driver ✗', 134.2, 0.53, null],
    ]);
  });

  it('gives Morris screening as one table of μ*, marking effects that vary as much as they are large', () => {
    const [t, ...rest] = sensitivityTables('c2', {
      method: 'morris',
      seeds: [1],
      trajectories: 8,
      range: 2,
      knobs: ['stack', 'sender'],
      target: 'the paper',
      cells: [{ label: 'V DA driver', error_pct: 134.2, within_tolerance: false, effects: { stack: { mu_star: 0.46, mu: 0.46, sigma: 0.1, n: 8 }, sender: { mu_star: 0.2, mu: 0, sigma: 0.3, n: 8 } } }],
    });
    expect(rest).toEqual([]);
    expect(t?.title).toBe('Morris screening against the paper: μ* per cell and multiplier (8 trajectories over ×/÷2, seeds 1)');
    expect(t?.rows).toEqual([['V DA driver ✗', 134.2, '0.46', '0.20~']]);
  });

  it('leaves out what is not a sensitivity result', () => {
    expect(sensitivityTables('c1', undefined)).toEqual([]);
    expect(sensitivityTables('c1', { cells: 'x', knobs: [] })).toEqual([]);
    // no misfits: only the elasticities
    expect(sensitivityTables('c1', { knobs: ['a'], cells: [{ label: 'x', within_tolerance: true, elasticity: { a: 1 } }], closures: [] }).map((t) => t.id)).toEqual(['c1-elasticity']);
  });
});
