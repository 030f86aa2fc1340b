import { describe, expect, it } from 'vitest';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- parity test only: the Compare cell must judge cells as rxlab reproduce does
import { CELL_TOLERANCE_PCT, LRO_RATE_TOLERANCE_PCT } from '../../../core/sim/compare-tables.js';
import { tolerancePct } from './compare.js';

describe('Compare cell tolerances', () => {
  it('are the ones `rxlab reproduce` judges cells by', () => {
    for (const id of ['IV', 'V', 'VII'] as const) expect(tolerancePct(id)).toBe(CELL_TOLERANCE_PCT);
    expect(tolerancePct('VI')).toBe(LRO_RATE_TOLERANCE_PCT);
  });
});
