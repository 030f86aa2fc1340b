import { describe, expect, it } from 'vitest';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- parity test only: the notebook must take the backend's cycle events
import { isCycleEvent as backendIsCycleEvent } from '../../../core/logs/measured/tables.js';
import { isCycleEvent, measuredFromDocs, type DocLike } from './measured.js';

// The notebook's own arithmetic (for backends without measured.tables) counts as the backend does.
const np = { fileName: 'np.txt', doc: { records: [{ test: 'TCP_STREAM', throughput: 800, throughput_units: '10^6bits/sec', elapsed_s: 10 }] } };
const bytes = (800e6 * 10) / 8;
const profile = (event: string, totals: { domain: string; samples: number[] }[]): { fileName: string; doc: DocLike } => ({
  fileName: 'op.txt',
  doc: { profiles: [{ events: [{ name: event, count: 100000 }], domain_totals: totals }] },
});

describe('measured column from the documents (notebook fallback)', () => {
  it('Table V total is driver + guest; the hypervisor is shown apart, not added to the driver', () => {
    const m = measuredFromDocs([
      np,
      profile('GLOBAL_POWER_EVENTS', [
        { domain: 'hypervisor', samples: [500] },
        { domain: 'driver', samples: [350] },
        { domain: 'guest1', samples: [200] },
      ]),
    ]);
    expect(m.cyclesPerByte.driver?.mean).toBeCloseTo((350 * 1e5) / bytes, 12);
    expect(m.cyclesPerByte.guest?.mean).toBeCloseTo((200 * 1e5) / bytes, 12);
    expect(m.cyclesPerByte.total?.mean).toBeCloseTo((550 * 1e5) / bytes, 12);
    expect(m.arithmetic.join('\n')).toMatch(/ {2}total = driver \+ guest: 550 samples .*; hypervisor 500 samples → 0\.05 cycles\/B not in the paper's total/);
  });

  it('takes no cycles from an event that does not count them', () => {
    const m = measuredFromDocs([np, profile('BUS_IO_WAIT', [{ domain: 'driver', samples: [3] }])]);
    expect(m.cyclesPerByte).toEqual({ driver: null, guest: null, total: null });
    expect(m.arithmetic).toContain('Table V: no cycle-counting event in op.txt (counted BUS_IO_WAIT): Table V is left empty');
  });

  it('knows the same cycle events as the backend', () => {
    for (const e of ['CPU_CLK_UNHALTED', 'GLOBAL_POWER_EVENTS', 'cpu_clk_unhalted', 'CYCLES', 'cycles:pp', 'cpu-clock', 'BUS_IO_WAIT', 'INSTRUCTIONS', 'stalled-cycles-backend', 'bus-cycles']) {
      expect(isCycleEvent(e), e).toBe(backendIsCycleEvent(e));
    }
  });
});
