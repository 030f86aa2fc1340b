import { describe, expect, it } from 'vitest';
import { fitTables } from './fit-tables.js';

const fit = {
  name: 'lab',
  before: [{ table: 'IV', system: 'LRO', metric: 'throughput_mbps', target: 2998, simulated: 568.1, errorPct: -81.1 }],
  after: [{ table: 'IV', system: 'LRO', metric: 'throughput_mbps', target: 2998, simulated: 2900, errorPct: -3.3 }],
  evaluations: 12,
  saved: { name: 'lab' },
};

describe('a fit to your measurements in the report', () => {
  it('gives the cells before and after, then each cost group beside the paper’s calibration', () => {
    const [cells, groups, ...rest] = fitTables('c1', { ...fit, groups: [{ group: 'pirq', paper: 13.94, yours: 4.647 }, { group: 'l_ext_us', paper: 1.2, yours: 1.2 }] });
    expect(rest).toEqual([]);
    expect(cells?.title).toBe('Model fitted to these measurements: parameter set “lab” (12 evaluations)');
    expect(cells?.rows).toEqual([['IV', 'LRO', 'throughput_mbps', 2998, 568.1, -81.1, 2900, -3.3]]);
    expect(groups?.id).toBe('c1-fit-groups');
    expect(groups?.columns).toEqual(['Cost group', "Paper's calibration", 'Your fit', 'Yours ÷ paper’s']);
    expect(groups?.rows).toEqual([
      ['pirq (physical IRQ)', 13.9, 4.65, 0.333],
      ['l_ext_us (TCP_RR client turnaround)', 1.2, 1.2, 1],
    ]);
  });

  it('a result saved before groups were reported, or a damaged one, gives what it can', () => {
    expect(fitTables('c1', fit).map((t) => t.id)).toEqual(['c1-fit']);
    expect(fitTables('c1', { ...fit, groups: [{ group: 3 }, { group: 'stack', paper: 0, yours: 'x' }] })[1]?.rows).toEqual([['stack (per-skb kernel work)', 0, null, null]]);
    expect(fitTables('c1', undefined)).toEqual([]);
    expect(fitTables('c1', { after: 'x' })).toEqual([]);
  });
});
