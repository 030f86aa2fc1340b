import { describe, expect, it } from 'vitest';
import { buildProfile, profileEvent, profileWhat } from './compare.js';
import type { ProfileCompare, SimGroup } from './notebook.js';

const group = { system: 'DA', workload: 'stream', functions: [{ function: 'pit_read_counter', domain: 'xen', share: 1 }, { function: 'f', domain: 'dom0', share: 3 }] } as unknown as SimGroup;
const rows = [{ samples: [32, 5], percent: [91.4286, 10], symbol: 'pit_read_counter', image: 'xen-syms', domain: 'hypervisor', depth: 0 }];
const totals = [{ domain: 'hypervisor', samples: [32, 5] }, { domain: 'driver', samples: [3, 45] }];

describe('the profile comparison says which event the measured shares count', () => {
  it('a BUS_IO_WAIT profile: named, not cycles, and the captions say so', () => {
    const p = buildProfile({ profiles: [{ events: [{ name: 'BUS_IO_WAIT', count: 500 }], domain_totals: totals, rows }] }, 'x.txt', group);
    expect(p).toMatchObject({ measuredEvent: 'BUS_IO_WAIT', measuredCycles: false });
    const ev = profileEvent(p as ProfileCompare);
    expect(ev).toEqual({ name: 'BUS_IO_WAIT', cycles: false });
    const w = profileWhat(ev);
    expect(w.measured).toBe('Measured: share of BUS_IO_WAIT samples');
    expect(w.caption('domain')).toMatch(/BUS_IO_WAIT samples, not cycles/);
    expect(w.caption('domain')).not.toMatch(/^Share of cycles/);
  });
  it('takes the cycles column when the profile counted one beside other events, as Table V does', () => {
    const p = buildProfile({ profiles: [{ events: [{ name: 'BUS_IO_WAIT', count: 500 }, { name: 'CPU_CLK_UNHALTED', count: 100000 }], domain_totals: totals, rows }] }, 'x.txt', group);
    expect(p).toMatchObject({ measuredEvent: 'CPU_CLK_UNHALTED', measuredCycles: true });
    expect(p?.domains.find((d) => d.domain === 'driver')?.measuredPct).toBe(90);
    expect(p?.functions[0]?.measuredPct).toBe(10);
    expect(profileWhat(profileEvent(p as ProfileCompare)).caption('function')).toBe('Share of cycles by function (%), measured as CPU_CLK_UNHALTED samples');
  });
  it('a perf report with Children and Self: a function’s own share is its Self column, the hottest first', () => {
    const perfRows = [
      { samples: [], percent: [82.61, 0.42], symbol: 'cpu_startup_entry', image: '[kernel.kallsyms]', domain: 'native', depth: 0 },
      { samples: [], percent: [53.5, 53.46], symbol: 'intel_idle', image: '[kernel.kallsyms]', domain: 'native', depth: 0 },
    ];
    const p = buildProfile({ profiles: [{ events: [{ name: 'cycles:pp', count: 8895026685 }], columns: ['Children', 'Self'], domain_totals: [{ domain: 'native', samples: [99.53] }], rows: perfRows }] }, 'perf.txt', group);
    expect(p?.functions.slice(0, 2).map((f) => [f.name, f.measuredPct])).toEqual([
      ['intel_idle', 53.46],
      ['cpu_startup_entry', 0.42],
    ]);
  });
  it('a profile naming no event, and an output saved before the event was recorded', () => {
    const p = buildProfile({ profiles: [{ domain_totals: totals, rows }] }, 'x.txt', group);
    expect(profileEvent(p as ProfileCompare)).toEqual({ name: null, cycles: false });
    expect(profileWhat({ name: null, cycles: false }).caption('domain')).toMatch(/does not name, not cycles/);
    const old: ProfileCompare = { simSystem: 'DA', measuredFile: 'x', domains: [], functions: [] };
    expect(profileEvent(old)).toBeUndefined();
    expect(profileWhat(undefined).caption('domain')).toBe('Share by domain (%)');
  });
});
