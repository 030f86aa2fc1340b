import { describe, expect, it } from 'vitest';
import { LineRanges } from './line-ranges.js';

describe('LineRanges', () => {
  it('lists lines as ranges, and past 20 ranges only counts them', () => {
    const r = new LineRanges();
    r.add(7);
    expect(r.text()).toBe('line 7');
    for (const n of [8, 9, 9, 12]) r.add(n);
    expect([r.text(), r.count]).toEqual(['lines 7-9, 12', 4]);
    const many = new LineRanges();
    for (let n = 1; n <= 100; n += 2) many.add(n);
    expect(many.count).toBe(50);
    expect(many.text()).toBe('lines 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31, 33, 35, 37, 39, … (50 lines in all)');
  });
});
