import { describe, expect, it } from 'vitest';
import { integerTicks } from './plotly.js';

describe('integer axes', () => {
  it('a tick at every integer only over a small span', () => {
    expect(integerTicks([1, 2, 3, 4])).toEqual({ dtick: 1 });
    // 8192…16384 with dtick 1 asked Plotly for 8,000 ticks (the page froze ~10 s per chart)
    expect(integerTicks([8192, 16384])).toEqual({});
    expect(integerTicks([1, 2.5])).toEqual({});
    expect(integerTicks([3])).toEqual({});
    expect(integerTicks(['LRO', 'DA'])).toEqual({});
  });
});
