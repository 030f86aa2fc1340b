import { describe, expect, it } from 'vitest';
import { SkbQueue } from './skb-queue.js';

describe('SkbQueue', () => {
  it('a device queue refuses past its capacity; a staging queue grows and keeps its order across the wrap', () => {
    const dev = new SkbQueue(2);
    expect([dev.push(1, 1, 1, 0, 0), dev.push(2, 1, 1, 0, 0), dev.push(3, 1, 1, 0, 0)]).toEqual([true, true, false]);
    const st = new SkbQueue(4, true);
    for (let i = 0; i < 3; i++) st.push(i, 1, 10 + i, 0, 100 + i);
    st.pop();
    st.pop(); // head is now in the middle, so the next pushes wrap around
    for (let i = 3; i < 12; i++) expect(st.push(i, 1, 10 + i, 0, 100 + i)).toBe(true);
    const out: number[][] = [];
    while (st.len > 0) {
      out.push([st.headSeq(), st.headBytes(), st.headAux()]);
      st.pop();
    }
    expect(out).toEqual(Array.from({ length: 10 }, (_, k) => [k + 2, k + 12, k + 102]));
  });
});
