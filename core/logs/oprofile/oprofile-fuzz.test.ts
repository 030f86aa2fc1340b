import { describe, it } from 'vitest';
import { fuzzParser } from '../fuzz-check.js';

describe('oprofile parser on generated and mutated input', () => {
  it('10,000 inputs: no crash, no hang over 1 s, every error names FILE:LINE', () => {
    fuzzParser('oprofile', 10_000, 2);
  }, 60_000);
});
