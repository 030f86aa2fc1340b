import { describe, expect, it } from 'vitest';
import { LroAggregator, LRO_HELD, LRO_PASS, POL_ADAPTIVE, POL_EVERY_K, POL_TIMEOUT } from './lro.js';
import { F_CHAINED, F_NOLRO, F_SHORT } from './skb-queue.js';

const MSS = 1448;
const mk = (policy = POL_EVERY_K, k = 1, timeoutUs = 50, push = true, maxAggr = 64): LroAggregator =>
  new LroAggregator(policy, k, timeoutUs * 1e-6, push, maxAggr, 1500);

describe('inet_lro admission', () => {
  it('merges in-sequence segments and flushes the chain at poll end (every-poll)', () => {
    const l = mk();
    expect(l.receive(0, MSS, 0, 0)).toBe(LRO_HELD);
    expect(l.receive(1, MSS, 0, 1e-6)).toBe(LRO_HELD);
    expect(l.receive(2, MSS, 0, 2e-6)).toBe(LRO_HELD);
    expect(l.outReady).toBe(false);
    expect(l.pollEnd(5e-6, true)).toBe(true);
    expect([l.outSeq, l.outNsegs, l.outBytes]).toEqual([0, 3, 3 * MSS]);
    expect(l.outFlags & F_CHAINED).toBe(F_CHAINED);
    expect(l.rate()).toBe(3);
  });

  it('an out-of-order segment flushes the held aggregate and passes unaggregated', () => {
    const l = mk();
    l.receive(0, MSS, 0, 0);
    l.receive(1, MSS, 0, 0);
    expect(l.receive(5, MSS, 0, 0)).toBe(LRO_PASS);
    expect(l.outReady).toBe(true);
    expect(l.outNsegs).toBe(2);
    expect(l.active).toBe(false);
  });

  it('refused flags and pure ACKs are never aggregated and end the chain', () => {
    const l = mk();
    expect(l.receive(0, MSS, F_NOLRO, 0)).toBe(LRO_PASS);
    expect(l.outReady).toBe(false);
    l.receive(0, MSS, 0, 0);
    expect(l.receive(1, 0, 0, 0)).toBe(LRO_PASS);
    expect(l.outReady).toBe(true);
    expect(l.outNsegs).toBe(1);
    expect(l.outFlags & F_CHAINED).toBe(0);
  });

  it('flushes at max_aggr packets', () => {
    const l = mk(POL_EVERY_K, 1, 50, true, 4);
    for (let i = 0; i < 3; i++) l.receive(i, MSS, 0, 0);
    expect(l.outReady).toBe(false);
    l.receive(3, MSS, 0, 0);
    expect(l.outReady).toBe(true);
    expect(l.outNsegs).toBe(4);
  });

  it('flushes when the aggregate would exceed 65535 − MTU bytes (45 full segments at MTU 1500)', () => {
    const l = mk();
    let flushedAt = -1;
    for (let i = 0; i < 64 && flushedAt < 0; i++) {
      l.receive(i, MSS, 0, 0);
      if (l.outReady) flushedAt = l.outNsegs;
    }
    expect(flushedAt).toBe(45);
    expect(52 + 44 * MSS).toBeLessThanOrEqual(0xffff - 1500);
  });
});

describe('flush policies', () => {
  it('every-k holds an aggregate across k − 1 poll ends', () => {
    const l = mk(POL_EVERY_K, 2);
    l.receive(0, MSS, 0, 0);
    expect(l.pollEnd(1e-6, true)).toBe(false);
    l.receive(1, MSS, 0, 2e-6);
    expect(l.pollEnd(3e-6, true)).toBe(true);
    expect(l.outNsegs).toBe(2);
    expect(l.latencyUs()?.mean).toBeCloseTo(3, 5);
  });

  it('the push rule flushes a lone short (message-ending) segment at once, whatever k', () => {
    const l = mk(POL_EVERY_K, 4, 50, true);
    l.receive(0, 1, F_SHORT, 0);
    expect(l.pollEnd(1e-6, true)).toBe(true);
    const off = mk(POL_EVERY_K, 4, 50, false);
    off.receive(0, 1, F_SHORT, 0);
    expect(off.pollEnd(1e-6, true)).toBe(false);
  });

  it('timeout flushes only once the aggregate is old enough', () => {
    const l = mk(POL_TIMEOUT, 1, 20);
    l.receive(0, MSS, 0, 0);
    expect(l.pollEnd(10e-6, false)).toBe(false);
    expect(l.pollEnd(25e-6, false)).toBe(true);
  });

  it('adaptive holds a dense flow and flushes a sparse one at once when the ring is empty', () => {
    // dense: packets 2 µs apart, timeout 50 µs: the next one is due well inside the timeout
    const d = mk(POL_ADAPTIVE, 8, 50);
    for (let i = 0; i < 4; i++) d.receive(i, MSS, 0, i * 2e-6);
    expect(d.pollEnd(7e-6, true)).toBe(false);
    // sparse: packets 400 µs apart (TCP_RR-like): the next one is due long after the timeout
    const s = mk(POL_ADAPTIVE, 8, 50);
    for (let i = 0; i < 20; i++) {
      s.receive(i, MSS, 0, i * 400e-6);
      if (i < 19) s.flush(i * 400e-6);
    }
    expect(s.pollEnd(19 * 400e-6 + 1e-6, false)).toBe(false); // the ring still holds frames: they may merge
    expect(s.pollEnd(19 * 400e-6 + 2e-6, true)).toBe(true);
    // the k-poll cap and the timeout still apply
    const c = mk(POL_ADAPTIVE, 2, 50);
    for (let i = 0; i < 4; i++) c.receive(i, MSS, 0, i * 2e-6);
    expect(c.pollEnd(7e-6, true)).toBe(false);
    expect(c.pollEnd(8e-6, true)).toBe(true);
  });
});

describe('inet_lro in netfront (skbs that are already aggregates)', () => {
  const nf = (maxAggr = 64): LroAggregator => new LroAggregator(POL_EVERY_K, 1, 0, false, maxAggr, 1500, false);

  it('merges in-sequence skbs by their segment counts and hands up the segments, not the skbs', () => {
    const l = nf();
    expect(l.receive(10, 3 * MSS, 0, 0, 3)).toBe(LRO_HELD);
    expect(l.receive(13, 2 * MSS, 0, 0, 2)).toBe(LRO_HELD);
    expect(l.receive(16, MSS, 0, 0, 1)).toBe(LRO_PASS); // 15 expected: a gap ends the chain
    expect([l.outSeq, l.outNsegs, l.outBytes]).toEqual([10, 5, 5 * MSS]);
    expect(l.rate()).toBe(2); // inet_lro counts skbs: two merged, one aggregate flushed
  });

  it('keeps the layout of its parts: chained only if a part arrived chained (BO), not because it merged', () => {
    const lin = nf();
    lin.receive(0, 2 * MSS, 0, 0, 2);
    lin.receive(2, 2 * MSS, 0, 0, 2);
    lin.pollEnd(0, true);
    expect(lin.outFlags & F_CHAINED).toBe(0);
    const bo = nf();
    bo.receive(0, 2 * MSS, F_CHAINED, 0, 2);
    bo.receive(2, MSS, 0, 0, 1);
    bo.pollEnd(0, true);
    expect(bo.outFlags & F_CHAINED).toBe(F_CHAINED);
  });

  it('stops at max_aggr skbs and below 65535 − MTU bytes, whatever the skbs hold', () => {
    const l = nf(2);
    l.receive(0, 4 * MSS, 0, 0, 4);
    l.receive(4, 4 * MSS, 0, 0, 4);
    expect(l.outReady).toBe(true);
    expect(l.outNsegs).toBe(8);
    const big = nf();
    expect(big.receive(0, 30 * MSS, 0, 0, 30)).toBe(LRO_HELD);
    // 50 × 1448 + 52 bytes would be no IP packet: the held 30 go up, the 20 on their own
    expect(big.receive(30, 20 * MSS, 0, 0, 20)).toBe(LRO_PASS);
    expect(big.outReady).toBe(true);
    expect(big.outNsegs).toBe(30);
    // up to the limit they merge, and the check after the merge flushes them
    const fit = nf();
    fit.receive(0, 30 * MSS, 0, 0, 30);
    expect(fit.receive(30, 15 * MSS, 0, 0, 15)).toBe(LRO_HELD);
    expect(fit.outReady).toBe(true);
    expect(fit.outNsegs).toBe(45);
  });
});

describe('statistics across the start of the measured window', () => {
  it('an aggregate held when the window opens is counted with its packets where it is flushed: never a rate below 1', () => {
    const l = mk(POL_EVERY_K, 4);
    for (let i = 0; i < 3; i++) l.receive(i, MSS, 0, i * 1e-6);
    l.resetStats(); // warm-up ends with three packets held
    l.receive(3, MSS, 0, 4e-6);
    l.flush(5e-6);
    expect(l.flushed).toBe(1);
    expect(l.rate()).toBe(4);
  });

  it('latency quantiles stay within the latencies seen and are exact past the 20 ms histogram', () => {
    const l = mk(POL_EVERY_K, 1);
    for (let i = 0; i < 10; i++) {
      l.receive(i, MSS, 0, i);
      l.flush(i + 0.41e-6); // every hold 0.41 µs
    }
    expect(l.latencyUs()).toEqual({ mean: expect.closeTo(0.41, 6), p50: expect.closeTo(0.41, 6), p99: expect.closeTo(0.41, 6) });
    const long = mk(POL_EVERY_K, 1);
    for (let i = 0; i < 4; i++) {
      long.receive(i, MSS, 0, i);
      long.flush(i + 0.1); // 100 ms holds (flush_timeout_us up to 100,000)
    }
    expect(long.latencyUs()?.p50).toBeCloseTo(100_000, 3);
    expect(long.latencyUs()?.p99).toBeCloseTo(100_000, 3);
    expect(mk(POL_EVERY_K, 1).latencyUs()).toBeNull();
  });
});
