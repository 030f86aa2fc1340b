import { describe, it, expect } from 'vitest';
import { holdRates } from './bench.js';

describe('engine benchmarks', () => {
  it('hold model reports positive, finite wall and CPU rates', () => {
    const r = holdRates(16, 20_000, 1);
    expect(Number.isFinite(r.wall)).toBe(true);
    expect(r.wall).toBeGreaterThan(10_000);
    expect(Number.isFinite(r.cpu)).toBe(true);
    expect(r.cpu).toBeGreaterThan(10_000);
  });
});
