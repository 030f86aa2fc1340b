import { describe, expect, it } from 'vitest';
import { COSTS, FUNCS } from './accounting.js';
import { ReceivePath } from './receive-path.js';
import { presetParams } from '../systems.js';
import { costValue } from '../calibrate/implied.js';
import type { SystemName } from '../types.js';

const SHORT = { duration_s: 0.05, warmup_s: 0.01 };

/**
 * The cost ledger must explain every cycle: for each function, Σ uses × cost = charged cycles. A
 * charge added to the model without its ledger entry (or the reverse) breaks this, and with it the
 * implied-cost analysis of calibration.
 */
describe('cost ledger', () => {
  const cases: Array<[SystemName, 'stream' | 'rr', Record<string, string | number>]> = [
    ['Linux', 'stream', {}],
    ['Xen', 'stream', {}],
    ['LRO', 'stream', {}],
    ['BO', 'stream', {}],
    ['DA', 'stream', {}],
    ['Xen', 'rr', {}],
    ['Linux', 'rr', {}],
    ['LRO', 'stream', { guests: 2, flush_policy: 'adaptive', flush_every_polls: 3 }],
    ['BO', 'stream', { netfront_lro: 'on' }],
    ['Xen', 'rr', { netfront_lro: 'on' }],
  ];
  for (const [system, workload, extra] of cases) {
    it(`${system} ${workload} ${JSON.stringify(extra)}: Σ uses × cost equals the cycles of every function`, () => {
      const p = presetParams(system, undefined, { ...SHORT, ...extra });
      const raw = new ReceivePath(p, 5, workload).run();
      let total = 0;
      FUNCS.forEach(([, name], fn) => {
        let explained = 0;
        COSTS.forEach((k, i) => {
          explained += (raw.costUses[fn * COSTS.length + i] as number) * costValue(p, k);
        });
        const cycles = raw.cyclesByFunction[fn] as number;
        total += cycles;
        expect(Math.abs(explained - cycles), `${name}: ledger ${explained} vs cycles ${cycles}`).toBeLessThanOrEqual(1e-9 * Math.max(1, cycles));
      });
      expect(total).toBeGreaterThan(0);
    });
  }

  it('a use never appears without cycles (no cost is recorded twice)', () => {
    const p = presetParams('BO', undefined, SHORT);
    const raw = new ReceivePath(p, 1, 'stream').run();
    // Double the ledger of one function and the identity must fail: the test above can fail.
    const fn = FUNCS.findIndex(([, n]) => n === 'br_handle_frame');
    const k = COSTS.indexOf('c_br');
    const uses = raw.costUses[fn * COSTS.length + k] as number;
    expect(uses).toBeGreaterThan(0);
    expect(Math.abs(2 * uses * p.c_br - (raw.cyclesByFunction[fn] as number))).toBeGreaterThan(1);
  });
});
