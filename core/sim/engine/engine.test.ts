import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Engine } from './engine.js';

/** FNV-1a over the decimal rendering of each event: cheap, order-sensitive trace fingerprint. */
function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A small random model (spawns, cancels, ties) whose event trace is hashed. */
function traceHash(seed: number, events = 20000): { hash: number; processed: number; now: number } {
  const eng = new Engine(seed, 16);
  const ids: number[] = [];
  let h = 2166136261;
  eng.setHandler((kind, a, b) => {
    h = fnv(h, `${eng.now}|${kind}|${a}|${b}`);
    if (eng.eventsProcessed >= events) {
      eng.stop();
      return;
    }
    const r = eng.rng;
    ids.push(eng.after(r.exp(1), 1, r.int(100), r.normal(0, 1)));
    if (r.next() < 0.3) ids.push(eng.after(0, 2, a + 1, 0)); // zero delay: same-time tie
    if (r.next() < 0.1 && ids.length > 0) eng.cancel(ids[r.int(ids.length)]!);
  });
  for (let i = 0; i < 8; i++) eng.at(i * 0.1, 0, i, 0);
  eng.run(1e9);
  return { hash: h, processed: eng.eventsProcessed, now: eng.now };
}

describe('Engine', () => {
  it('runs events in (time, insertion) order, equal times FIFO, and sets now', () => {
    const eng = new Engine(1);
    const seen: Array<[number, number, number]> = [];
    eng.setHandler((kind, a) => seen.push([eng.now, kind, a]));
    eng.at(3, 1, 0);
    eng.at(1, 2, 0);
    eng.at(1, 3, 0);
    eng.after(1, 4, 7.5);
    eng.at(2, 5, 0);
    eng.run(10);
    expect(seen).toEqual([
      [1, 2, 0],
      [1, 3, 0],
      [1, 4, 7.5],
      [2, 5, 0],
      [3, 1, 0],
    ]);
    expect(eng.now).toBe(10);
    expect(eng.eventsProcessed).toBe(5);
  });

  it('events scheduled at now from a handler run after already-queued same-time events', () => {
    const eng = new Engine(1);
    const order: number[] = [];
    eng.setHandler((kind) => {
      order.push(kind);
      if (kind === 1) eng.after(0, 9);
    });
    eng.at(1, 1);
    eng.at(1, 2);
    eng.run(5);
    expect(order).toEqual([1, 2, 9]);
  });

  it('run(until) stops at until and leaves later events pending; a second run continues', () => {
    const eng = new Engine(1);
    const seen: number[] = [];
    eng.setHandler((k) => seen.push(k));
    eng.at(1, 1);
    eng.at(2, 2); // exactly at until: included
    eng.at(2.5, 3);
    eng.run(2);
    expect(seen).toEqual([1, 2]);
    expect(eng.now).toBe(2);
    expect(eng.pending()).toBe(1);
    eng.run(3);
    expect(seen).toEqual([1, 2, 3]);
    expect(eng.pending()).toBe(0);
  });

  it('run(Infinity) drains the queue and leaves now at the last event', () => {
    const eng = new Engine(1);
    eng.setHandler(() => undefined);
    eng.at(1.5, 0);
    eng.at(4.25, 0);
    eng.run(Infinity);
    expect(eng.now).toBe(4.25);
    expect(eng.pending()).toBe(0);
    expect(() => eng.after(1, 0)).not.toThrow();
  });

  it('cancel skips the event, is not counted, and stale ids are harmless', () => {
    const eng = new Engine(1);
    const seen: number[] = [];
    eng.setHandler((k) => seen.push(k));
    const a = eng.at(1, 1);
    const b = eng.at(2, 2);
    eng.at(3, 3);
    eng.cancel(b);
    eng.cancel(b);
    expect(eng.pending()).toBe(2);
    eng.run(1.5);
    eng.cancel(a); // already fired
    expect(eng.pending()).toBe(1);
    eng.run(10);
    expect(seen).toEqual([1, 3]);
    expect(eng.eventsProcessed).toBe(2);
  });

  it('stop() ends run after the current event and keeps now at its time', () => {
    const eng = new Engine(1);
    const seen: number[] = [];
    eng.setHandler((k) => {
      seen.push(k);
      if (k === 2) eng.stop();
    });
    eng.at(1, 1);
    eng.at(2, 2);
    eng.at(3, 3);
    eng.run(10);
    expect(seen).toEqual([1, 2]);
    expect(eng.now).toBe(2);
    eng.run(10);
    expect(seen).toEqual([1, 2, 3]);
    expect(eng.now).toBe(10);
  });

  it('rejects scheduling in the past, NaN times and re-entrant run', () => {
    const eng = new Engine(1);
    eng.setHandler(() => eng.run(100));
    eng.at(5, 0);
    expect(() => eng.run(10)).toThrow(/inside a handler/);
    expect(() => eng.at(1, 0)).toThrow(RangeError);
    expect(() => eng.at(Number.NaN, 0)).toThrow(RangeError);
    expect(() => eng.after(-1, 0)).toThrow(RangeError);
    expect(() => eng.run(1)).toThrow(RangeError);
    const e2 = new Engine(1);
    e2.at(0, 0);
    expect(() => e2.run(1)).toThrow(/no handler/);
  });

  it('matches a sorted reference for random schedules (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 200 }), (times) => {
        const eng = new Engine(1, 16);
        const got: number[] = [];
        eng.setHandler((_k, a) => got.push(a));
        times.forEach((t, i) => eng.at(t, 0, i));
        eng.run(Infinity);
        const want = times.map((t, i) => ({ t, i })).sort((x, y) => x.t - y.t || x.i - y.i).map((e) => e.i);
        expect(got).toEqual(want);
      }),
      { numRuns: 200 },
    );
  });

  it('matches a reference event list when handlers schedule and cancel (fast-check)', () => {
    // Each handled event consumes the next "script" entry: how many events to schedule (delays
    // from a small set, so ties are common) and whether to cancel an earlier id.
    const step = fc.record({
      delays: fc.array(fc.constantFrom(0, 0, 0.5, 1, 1, 2.5), { maxLength: 3 }),
      cancel: fc.option(fc.nat(50), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 120 }), fc.integer({ min: 1, max: 4 }), (script, initial) => {
        // Reference: plain array, linear scan for the (time, seq) minimum.
        type Ev = { t: number; seq: number; label: number };
        const ref: Ev[] = [];
        const refIds: Array<Ev | undefined> = [];
        let seq = 0;
        let label = 0;
        const refTrace: string[] = [];
        for (let i = 0; i < initial; i++) {
          const e = { t: i * 0.5, seq: seq++, label: label++ };
          ref.push(e);
          refIds.push(e);
        }
        let k = 0;
        let now = 0;
        while (ref.length > 0 && k < script.length) {
          let bi = 0;
          for (let i = 1; i < ref.length; i++) {
            const e = ref[i]!;
            const b = ref[bi]!;
            if (e.t < b.t || (e.t === b.t && e.seq < b.seq)) bi = i;
          }
          const e = ref.splice(bi, 1)[0]!;
          now = e.t;
          refTrace.push(`${now}:${e.label}`);
          const st = script[k++]!;
          for (const d of st.delays) {
            const n = { t: now + d, seq: seq++, label: label++ };
            ref.push(n);
            refIds.push(n);
          }
          if (st.cancel !== undefined && refIds.length > 0) {
            const target = refIds[st.cancel % refIds.length];
            const at = target ? ref.indexOf(target) : -1;
            if (at >= 0) ref.splice(at, 1);
          }
        }

        const eng = new Engine(1, 16);
        const ids: number[] = [];
        const trace: string[] = [];
        let lab = 0;
        let j = 0;
        eng.setHandler((_kind, a) => {
          trace.push(`${eng.now}:${a}`);
          const st = script[j++]!;
          for (const d of st.delays) ids.push(eng.after(d, 0, lab++));
          if (st.cancel !== undefined && ids.length > 0) eng.cancel(ids[st.cancel % ids.length]!);
          if (j === script.length) eng.stop();
        });
        for (let i = 0; i < initial; i++) ids.push(eng.at(i * 0.5, 0, lab++));
        eng.run(Infinity);
        expect(trace).toEqual(refTrace);
        expect(eng.pending()).toBe(ref.length);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: same seed gives the same trace, different seeds differ', () => {
    const a = traceHash(42);
    const b = traceHash(42);
    const c = traceHash(43);
    expect(a.processed).toBe(20000);
    expect(a).toEqual(b);
    expect(c.hash).not.toBe(a.hash);
  });

  it('handles 100k pending events', () => {
    const eng = new Engine(7, 16);
    let last = -1;
    let sorted = true;
    eng.setHandler(() => {
      if (eng.now < last) sorted = false;
      last = eng.now;
    });
    for (let i = 0; i < 100000; i++) eng.at(eng.rng.next() * 100, 0);
    expect(eng.pending()).toBe(100000);
    eng.run(50);
    expect(sorted).toBe(true);
    expect(eng.pending()).toBeGreaterThan(45000);
    expect(eng.pending()).toBeLessThan(55000);
  });
});
