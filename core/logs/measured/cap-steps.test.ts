import { describe, expect, it } from 'vitest';
import { capRunSteps } from './cap-steps.js';

describe('capRunSteps', () => {
  const steps = [
    ...Array.from({ length: 5 }, (_, i) => `Table IV run ${i + 1} (line ${i * 9 + 1}): ${i} Mbit/s`),
    'Table IV Xen throughput: mean 2 Mbit/s',
    ...Array.from({ length: 4 }, (_, i) => [`Table V run ${i + 1}: bytes = …`, '  driver: …', '  total: …']).flat(),
    'Table V Xen driver cycles/byte: mean …',
    'Table VII Xen TCP_RR: no TCP_RR runs',
  ];
  it('keeps the first runs of each table and every summary line, and says how much it left out', () => {
    const r = capRunSteps(steps, 2);
    expect(r.steps).toEqual([
      'Table IV run 1 (line 1): 0 Mbit/s',
      'Table IV run 2 (line 10): 1 Mbit/s',
      '… 3 more Table IV runs (3 lines; rxlab measured-tables prints every step)',
      'Table IV Xen throughput: mean 2 Mbit/s',
      'Table V run 1: bytes = …',
      '  driver: …',
      '  total: …',
      'Table V run 2: bytes = …',
      '  driver: …',
      '  total: …',
      '… 2 more Table V runs (6 lines; rxlab measured-tables prints every step)',
      'Table V Xen driver cycles/byte: mean …',
      'Table VII Xen TCP_RR: no TCP_RR runs',
    ]);
    expect(r.omitted).toBe(9);
    expect(r.steps.length + r.omitted - 2).toBe(steps.length);
  });
  it('leaves a short arithmetic as it is', () => {
    expect(capRunSteps(steps, 10)).toEqual({ steps, omitted: 0 });
  });
});
