import { describe, expect, it } from 'vitest';
import { RecordSpill } from './record-spill.js';
import type { LogRecord } from './types.js';

/** Keys in RECORD_FIELDS order, the order every stored record has. */
function sample(i: number): LogRecord {
  return {
    line: i + 1,
    test: i % 2 === 0 ? 'TCP_STREAM' : 'UDP_STREAM',
    banner: 'TCP STREAM TEST from 0.0.0.0 (0.0.0.0) port 0 AF_INET to h (10.0.0.2) port 0 AF_INET',
    migrated: i % 3 === 0,
    throughput: i % 5 === 0 ? -0 : 1234.56 + i,
    throughput_text: `${1234.56 + i}`,
    elapsed_s: 10,
    message_bytes: 2 ** 40 + i,
    cpu_local_pct: Number.NaN,
    confidence: { achieved_pct: { throughput: 2.5 }, warning: true },
    interim: { throughput_units: '10^6bits/s', throughput: [1.5, -2, 3e300], seconds: [1, 1, 1], line: i + 2, ending_at: [1327963880.565] },
    tag: `t\u00e9\ud800${i}`,
    extra: { command: `netperf -H 10.0.0.${i % 250}`, '10': 'ten', field2: 7, __proto__x: 'k' },
    histogram: { HIST_TOTAL: [35391] },
    error: i % 7 === 0 ? 'run cut off\nsecond line' : undefined,
  } as LogRecord;
}

describe('record spill', () => {
  it('gives back records that print as the originals, in order, from memory and from its file', () => {
    // A small memory bound so most records go through the temporary file.
    const spill = new RecordSpill(4096);
    const n = 20_000;
    for (let i = 0; i < n; i++) spill.add(sample(i));
    expect(spill.count).toBe(n);
    for (let pass = 0; pass < 2; pass++) {
      let i = 0;
      for (const r of spill) {
        const want = sample(i++);
        expect(JSON.stringify(r)).toBe(JSON.stringify(want));
        expect(Object.is(r.throughput, want.throughput)).toBe(true);
        expect(r.tag).toBe(want.tag);
      }
      expect(i).toBe(n);
    }
    spill.dispose();
    expect(() => [...spill]).toThrow(/disposed/);
  });
  it('writes a field named as last after the others', () => {
    const spill = new RecordSpill();
    spill.add({ line: 1, test: 'UNKNOWN', histogram: { A: [1] }, error: 'x' }, 'histogram');
    expect(Object.keys([...spill][0] ?? {})).toEqual(['line', 'test', 'error', 'histogram']);
    spill.dispose();
  });
  it('objects by shape: many alternating key lists, wide objects, integer keys, an own "__proto__" key, null prototypes', () => {
    const spill = new RecordSpill(4096);
    const extra = (i: number): Record<string, string | number> => {
      const kind = i % 9;
      if (kind < 6) {
        // Six shapes in turn: more than the encoder tries before looking a shape up by its keys.
        const e: Record<string, string | number> = {};
        for (let k = 0; k <= kind; k++) e[`k${k}`] = i * 10 + k;
        return e;
      }
      if (kind === 6) {
        const wide: Record<string, string | number> = {};
        for (let k = 0; k < 40; k++) wide[`w${(k * 7) % 40}`] = k;
        return wide;
      }
      if (kind === 7) {
        const p: Record<string, string | number> = { b: 1, 10: 'ten', 2: 'two', a: `x${i}` };
        Object.defineProperty(p, '__proto__', { value: i, enumerable: true, writable: true, configurable: true });
        return p;
      }
      const bare = Object.create(null) as Record<string, string | number>;
      bare['z'] = i;
      bare['y'] = 'y';
      return bare;
    };
    const n = 3000;
    for (let i = 0; i < n; i++) spill.add({ line: i, test: 'OMNI', extra: extra(i) });
    let i = 0;
    for (const r of spill) {
      const want = extra(i);
      expect(Object.keys(r.extra ?? {})).toEqual(Object.keys(want));
      expect(JSON.stringify(r)).toBe(JSON.stringify({ line: i, test: 'OMNI', extra: want }));
      expect(Object.getPrototypeOf(r.extra)).toBe(Object.prototype);
      i++;
    }
    expect(i).toBe(n);
    spill.dispose();
  });
  it('key lists that would join to the same text are different shapes (keys may hold any character)', () => {
    const spill = new RecordSpill();
    // ["a", "b"] and ["a\u0000b"] joined with NUL are the same string; with more than the recent
    // shapes in between, the second is looked up by its key list and must not match the first.
    const extras: Record<string, number>[] = [{ a: 1, b: 2 }, { x: 1 }, { y: 1 }, { z: 1 }, { w: 1 }, { 'a\u0000b': 3 }, { a: 4, b: 5 }];
    extras.forEach((extra, i) => spill.add({ line: i + 1, test: 'UNKNOWN', extra } as LogRecord));
    expect([...spill].map((r) => r.extra)).toEqual(extras);
    spill.dispose();
  });
  it('keeps a record larger than a chunk whole', () => {
    const spill = new RecordSpill(1 << 20);
    const big: LogRecord = { line: 1, test: 'TCP_STREAM', interim: { throughput_units: 'x', throughput: new Array<number>(300_000).fill(1.25), seconds: [], line: 2 } };
    spill.add({ line: 0, test: 'A' });
    spill.add(big);
    spill.add({ line: 3, test: 'B' });
    expect([...spill].map((r) => JSON.stringify(r))).toEqual([{ line: 0, test: 'A' }, big, { line: 3, test: 'B' }].map((r) => JSON.stringify(r)));
    spill.dispose();
  });
});
