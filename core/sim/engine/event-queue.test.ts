import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { EventQueue } from './event-queue.js';

/** Pops everything, returning [time, kind, a, b] of live entries. */
function drain(q: EventQueue): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  while (q.size + q.staged > 0) {
    q.pop();
    if (!q.wasCancelled) out.push([q.time, q.kind, q.a, q.b]);
  }
  return out;
}

/** Checks the heap invariant over (time, seq) for every parent/child pair. */
function heapOk(q: EventQueue): boolean {
  for (let i = 1; i < q.size; i++) {
    const p = (i - 1) >> 1;
    const pt = q.h[3 * p] as number;
    const ct = q.h[3 * i] as number;
    if (pt > ct || (pt === ct && (q.h[3 * p + 1] as number) > (q.h[3 * i + 1] as number))) return false;
  }
  return true;
}

describe('EventQueue', () => {
  it('pops in time order and equal times in insertion order', () => {
    const q = new EventQueue(4);
    q.push(2, 0, 0, 0);
    for (let i = 0; i < 10; i++) q.push(1, 1, i, -i);
    q.push(0.5, 2, 0.25, 0);
    const got = drain(q);
    expect(got[0]).toEqual([0.5, 2, 0.25, 0]);
    expect(got.slice(1, 11).map((e) => e[2])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(got.slice(1, 11).map((e) => e[3])).toEqual([-0, -1, -2, -3, -4, -5, -6, -7, -8, -9]);
    expect(got[11]).toEqual([2, 0, 0, 0]);
  });

  it('hands out slots lowest first, reuses freed ones first, and keeps doing so after growing', () => {
    const SLOT = 2 ** 24;
    const q = new EventQueue(16);
    const slots = (ids: number[]): number[] => ids.map((id) => id % SLOT);
    const first = Array.from({ length: 20 }, (_, i) => q.push(i, 0, 0, 0)); // grows at 16
    expect(slots(first)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    q.pop(); // frees slot 0 (time 0)
    q.pop(); // frees slot 1
    const next = [q.push(30, 0, 0, 0), q.push(31, 0, 0, 0), q.push(32, 0, 0, 0)];
    expect(slots(next)).toEqual([1, 0, 20]);
    // A reused slot gets a new generation, so its old id stays stale.
    expect(next[0]).not.toBe(first[1]);
    expect(q.cancel(first[1]!)).toBe(false);
    expect(q.cancel(next[0]!)).toBe(true);
  });

  it('grows past its initial capacity without losing entries', () => {
    const q = new EventQueue(16);
    for (let i = 0; i < 1000; i++) q.push(1000 - i, i, i, 0);
    expect(q.capacity).toBeGreaterThanOrEqual(1000);
    const got = drain(q);
    expect(got.length).toBe(1000);
    expect(got[0]).toEqual([1, 999, 999, 0]);
    expect(got[999]).toEqual([1000, 0, 0, 0]);
  });

  it('cancels lazily; stale and bogus ids are ignored', () => {
    const q = new EventQueue();
    const a = q.push(1, 1, 0, 0);
    const b = q.push(2, 2, 0, 0);
    const c = q.push(3, 3, 0, 0);
    expect(q.cancel(b)).toBe(true);
    expect(q.cancel(b)).toBe(false); // already cancelled
    expect(q.length).toBe(2);
    expect(q.size).toBe(3);
    q.pop(); // a fires
    expect(q.time).toBe(1);
    // a's slot is now recycled by d; cancelling the stale id a must not touch d.
    const d = q.push(4, 4, 0, 0);
    expect(d).not.toBe(a);
    expect(q.cancel(a)).toBe(false);
    expect(q.cancel(0)).toBe(false);
    expect(q.cancel(-5)).toBe(false);
    expect(q.cancel(1.5)).toBe(false);
    expect(q.cancel(Number.NaN)).toBe(false);
    expect(drain(q).map((e) => e[1])).toEqual([3, 4]);
    expect(q.length).toBe(0);
    expect(q.cancelledCount).toBe(0);
    void c;
  });

  it('staged entries count as pending, can be cancelled, and flush in staging order', () => {
    const q = new EventQueue(16);
    q.push(1, 0, 0, 0);
    const ids = [q.stage(1, 1, 0, 0), q.stage(0.5, 2, 0, 0), q.stage(1, 3, 0, 0)];
    expect(q.staged).toBe(3);
    expect(q.size).toBe(1);
    expect(q.length).toBe(4);
    expect(q.cancel(ids[1]!)).toBe(true);
    expect(q.length).toBe(3);
    expect(q.peekTime()).toBe(0.5); // peek flushes; the cancelled entry is still the top
    expect(q.staged).toBe(0);
    // pop() flushes on its own too.
    q.stage(0.75, 4, 0, 0);
    expect(drain(q).map((e) => e[1])).toEqual([4, 0, 1, 3]);
    expect(q.length).toBe(0);
  });

  it('keeps the heap property and pops a sorted, stable sequence under random push/pop/cancel', () => {
    type Op = { op: 'push'; t: number } | { op: 'pop' } | { op: 'cancel'; k: number };
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      // Few distinct times so equal-time ties are frequent.
      { weight: 5, arbitrary: fc.integer({ min: 0, max: 20 }).map((t) => ({ op: 'push' as const, t: t / 4 })) },
      { weight: 3, arbitrary: fc.constant({ op: 'pop' as const }) },
      { weight: 1, arbitrary: fc.nat(1000).map((k) => ({ op: 'cancel' as const, k })) },
    );
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 400 }), (ops) => {
        const q = new EventQueue(16);
        // Reference model: a list of live entries, popped by (time, seq).
        const ref: Array<{ t: number; seq: number; id: number }> = [];
        const ids: number[] = [];
        let seq = 0;
        const refPop = (): { t: number; seq: number; id: number } | undefined => {
          let best = -1;
          for (let i = 0; i < ref.length; i++) {
            const e = ref[i]!;
            const b = best >= 0 ? ref[best]! : undefined;
            if (!b || e.t < b.t || (e.t === b.t && e.seq < b.seq)) best = i;
          }
          return best >= 0 ? ref.splice(best, 1)[0] : undefined;
        };
        for (const o of ops) {
          if (o.op === 'push') {
            // Alternate immediate pushes and staged ones (flushed lazily by pop/peek).
            const id = seq % 2 === 0 ? q.push(o.t, 0, seq, 0) : q.stage(o.t, 0, seq, 0);
            ids.push(id);
            ref.push({ t: o.t, seq: seq++, id });
          } else if (o.op === 'cancel') {
            if (ids.length === 0) continue;
            const id = ids[o.k % ids.length]!;
            const idx = ref.findIndex((e) => e.id === id);
            expect(q.cancel(id)).toBe(idx >= 0);
            if (idx >= 0) ref.splice(idx, 1);
          } else {
            // Skip cancelled entries as the engine does.
            let live = false;
            while (q.size + q.staged > 0 && !live) {
              q.pop();
              live = !q.wasCancelled;
            }
            const want = refPop();
            expect(live).toBe(want !== undefined);
            if (want) {
              expect(q.time).toBe(want.t);
              expect(q.a).toBe(want.seq);
            }
          }
          if (seq % 3 === 0) q.peekTime(); // flush now and then so the heap check sees staged entries
          if (!heapOk(q)) return false;
          expect(q.length).toBe(ref.length);
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});
