/**
 * inet_lro (Linux 2.6.24, skb mode) for one flow, with a pluggable flush policy.
 *
 * Admission (lro_tcp_ip_check + __lro_proc_skb): a packet is aggregated only if it has payload,
 * carries no refused flags/options, and is exactly in sequence with the held aggregate. A mismatch
 * flushes the held aggregate and passes the packet up unaggregated. An aggregate is also flushed
 * once it holds max_aggr packets or its length exceeds 65535 − MTU. PSH does not stop aggregation.
 *
 * The flushed aggregate is written to the out* fields (no allocation); callers check `outReady`.
 */
import { F_CHAINED, F_NOLRO, F_SHORT, F_RR } from './skb-queue.js';

export const LRO_HELD = 0;
export const LRO_PASS = 1;

/** Policy codes (ints on the hot path). */
export const POL_EVERY_K = 0;
export const POL_TIMEOUT = 1;
export const POL_ADAPTIVE = 2;

const HDR_BYTES = 52; // IPv4 + TCP with timestamps: parent->len counts them once
const LAT_BIN_US = 0.5;
const LAT_BINS = 40000; // 0–20 ms in 0.5 µs bins

export class LroAggregator {
  // configuration
  policy: number;
  k: number;
  timeoutS: number;
  flushPush: boolean;
  maxAggr: number;
  mtu: number;
  mss: number;
  /**
   * skb mode chains merged packets on frag_list (a chained aggregate, F_CHAINED). An instance in
   * netfront merges skbs whose data already sits in guest pages: the merge does not change the
   * layout, so the aggregate is chained only if a part was (chainOnMerge false).
   */
  chainOnMerge: boolean;

  // held aggregate
  active = false;
  seq0 = 0;
  nextSeq = 0;
  count = 0;
  /** Segments held (count is skbs, as inet_lro's pkt_aggr_cnt; an skb may itself be an aggregate). */
  segs = 0;
  bytes = 0;
  chainedIn = false;
  lastShort = false;
  rr = false;
  t0 = 0;
  pollsHeld = 0;
  /**
   * The adaptive policy's estimate of the gap between the flow's packets (s): an EWMA (gain 1/8, as
   * TCP's srtt) over the arrivals seen here, and when the last one came (−1: none yet).
   */
  gapS = 0;
  lastArrivalS = -1;
  /** Bumped on every new aggregate so a stale hold timer can be recognised. */
  generation = 0;

  // flushed aggregate (valid when outReady)
  outReady = false;
  outSeq = 0;
  outNsegs = 0;
  outBytes = 0;
  outFlags = 0;

  // statistics (inet_lro's aggregated / flushed, plus hold-latency histogram)
  aggregated = 0;
  flushed = 0;
  latSumS = 0;
  latMinS = Infinity;
  latMaxS = 0;
  readonly latHist = new Float64Array(LAT_BINS);
  readonly latLong: number[] = [];

  constructor(policy: number, k: number, timeoutS: number, flushPush: boolean, maxAggr: number, mtu: number, chainOnMerge = true) {
    this.policy = policy;
    this.k = k;
    this.timeoutS = timeoutS;
    this.flushPush = flushPush;
    this.maxAggr = maxAggr;
    this.mtu = mtu;
    this.mss = mtu - HDR_BYTES;
    this.chainOnMerge = chainOnMerge;
  }

  /** lro_receive_skb for one received skb of `nsegs` segments. Returns LRO_HELD or LRO_PASS. */
  receive(seq: number, len: number, flags: number, now: number, nsegs = 1): number {
    this.outReady = false;
    if (this.policy === POL_ADAPTIVE) {
      // only the adaptive policy reads the estimate
      if (this.lastArrivalS >= 0) this.gapS += (now - this.lastArrivalS - this.gapS) / 8;
      this.lastArrivalS = now;
    }
    const eligible = len > 0 && (flags & F_NOLRO) === 0;
    if (!this.active) {
      if (!eligible) return LRO_PASS;
      this.active = true;
      this.generation++;
      this.seq0 = seq;
      this.nextSeq = seq + nsegs;
      this.count = 1;
      this.segs = nsegs;
      this.bytes = len;
      this.chainedIn = (flags & F_CHAINED) !== 0;
      this.lastShort = (flags & F_SHORT) !== 0;
      this.rr = (flags & F_RR) !== 0;
      this.t0 = now;
      this.pollsHeld = 0;
      this.aggregated++;
      this.checkLimits(now);
      return LRO_HELD;
    }
    // An skb that would take the aggregate past an IP packet's 65,535 bytes goes up on its own, as a
    // mismatch does. With MTU-sized frames the check after each merge (checkLimits) already stops
    // short of that; netfront's skbs can themselves be aggregates of up to 64 KB (86 segments, 124 KB,
    // were merged before).
    if (seq !== this.nextSeq || !eligible || HDR_BYTES + this.bytes + len > 0xffff) {
      this.flush(now);
      return LRO_PASS;
    }
    this.count++;
    this.segs += nsegs;
    this.bytes += len;
    this.nextSeq = seq + nsegs;
    if ((flags & F_CHAINED) !== 0) this.chainedIn = true;
    this.lastShort = (flags & F_SHORT) !== 0;
    this.aggregated++;
    this.checkLimits(now);
    return LRO_HELD;
  }

  private checkLimits(now: number): void {
    if (this.count >= this.maxAggr || HDR_BYTES + this.bytes > 0xffff - this.mtu) this.flush(now);
  }

  /**
   * End of a NAPI poll: apply the flush policy. `ringEmpty` = no frame was left in the RX ring.
   * Returns true if the held aggregate was flushed (out* set).
   */
  pollEnd(now: number, ringEmpty: boolean): boolean {
    this.outReady = false;
    if (!this.active) return false;
    this.pollsHeld++;
    let flush = this.flushPush && this.lastShort;
    if (!flush) {
      switch (this.policy) {
        case POL_EVERY_K:
          flush = this.pollsHeld >= this.k;
          break;
        case POL_TIMEOUT:
          flush = now - this.t0 >= this.timeoutS;
          break;
        default:
          // adaptive: also flush at once when the ring is empty and the flow's next packet is expected
          // only after the aggregate would be past its timeout — holding it would add latency and
          // nothing else (sparse traffic such as TCP_RR: its gaps are far longer than any timeout)
          flush = this.pollsHeld >= this.k || now - this.t0 >= this.timeoutS || (ringEmpty && now + this.gapS - this.t0 >= this.timeoutS);
      }
    }
    if (flush) this.flush(now);
    return flush;
  }

  /** lro_flush: hand the held aggregate up (gso_size = MSS), record its hold latency. */
  flush(now: number): void {
    if (!this.active) return;
    this.active = false;
    this.flushed++;
    const lat = now - this.t0;
    this.latSumS += lat;
    if (lat < this.latMinS) this.latMinS = lat;
    if (lat > this.latMaxS) this.latMaxS = lat;
    const bin = Math.floor((lat * 1e6) / LAT_BIN_US);
    if (bin < LAT_BINS) this.latHist[bin] = (this.latHist[bin] as number) + 1;
    else this.latLong.push(lat * 1e6); // past 20 ms (long timeouts, the hold timer): kept exactly
    this.outReady = true;
    this.outSeq = this.seq0;
    this.outNsegs = this.segs;
    this.outBytes = this.bytes;
    const chained = this.chainOnMerge ? this.count > 1 : this.chainedIn;
    this.outFlags = (this.lastShort ? F_SHORT : 0) | (chained ? F_CHAINED : 0) | (this.rr ? F_RR : 0);
  }

  /**
   * The start of the measured window. An aggregate held across it is counted where it is flushed, in
   * the window, so its packets are too (zeroing them with the rest once gave LRO rates below 1).
   */
  resetStats(): void {
    this.aggregated = this.active ? this.count : 0;
    this.flushed = 0;
    this.latSumS = 0;
    this.latMinS = Infinity;
    this.latMaxS = 0;
    this.latHist.fill(0);
    this.latLong.length = 0;
  }

  /** Packets per flushed aggregate (inet_lro aggregated / flushed). */
  rate(): number {
    return this.flushed > 0 ? this.aggregated / this.flushed : 0;
  }

  /** Hold latency (first packet in → flush) in µs: mean and quantiles from the histogram. */
  latencyUs(): { mean: number; p50: number; p99: number } | null {
    const n = this.flushed;
    if (n === 0) return null;
    return { mean: (this.latSumS / n) * 1e6, p50: this.quantile(0.5), p99: this.quantile(0.99) };
  }

  /**
   * The q-quantile from the histogram, interpolated within its 0.5 µs bin and kept within the smallest
   * and largest latency seen (every sample 0.41 µs gives 0.41, not the bin's middle); past 20 ms, exact.
   */
  private quantile(q: number): number {
    const target = q * this.flushed;
    const lo = this.latMinS * 1e6;
    const hi = this.latMaxS * 1e6;
    const clamp = (v: number): number => (v < lo ? lo : v > hi ? hi : v);
    let acc = 0;
    for (let i = 0; i < LAT_BINS; i++) {
      const c = this.latHist[i] as number;
      if (c > 0 && acc + c >= target) return clamp((i + (target - acc) / c) * LAT_BIN_US);
      acc += c;
    }
    const long = this.latLong.sort((a, b) => a - b);
    const k = Math.min(long.length - 1, Math.max(0, Math.ceil(target - acc) - 1));
    return clamp(long[k] ?? hi);
  }
}
