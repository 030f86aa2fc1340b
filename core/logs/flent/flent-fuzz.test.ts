import { describe, it } from 'vitest';
import { fuzzParser } from '../fuzz-check.js';

describe('flent parser on generated and mutated input', () => {
  it('10,000 inputs: no crash, no hang over 1 s, every error names FILE:LINE', () => {
    fuzzParser('flent', 10_000, 6);
  }, 60_000);
});
