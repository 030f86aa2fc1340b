/**
 * Fixed-capacity FIFO of packet/skb records stored column-wise in typed arrays, so queueing a
 * packet allocates nothing (the hot path runs ~1M times per simulated second).
 * A record: first TCP sequence (in segments), segment count, payload bytes, flags, an auxiliary
 * number (arrival time or advertised window, depending on the queue).
 */
export class SkbQueue {
  cap: number;
  len = 0;
  private head = 0;
  private seq: Float64Array;
  private nsegs: Int32Array;
  private bytes: Int32Array;
  private flags: Int32Array;
  private aux: Float64Array;

  /** `grows`: a staging queue that doubles when full instead of refusing (a device queue refuses). */
  constructor(
    cap: number,
    private readonly grows = false,
  ) {
    this.cap = cap;
    this.seq = new Float64Array(cap);
    this.nsegs = new Int32Array(cap);
    this.bytes = new Int32Array(cap);
    this.flags = new Int32Array(cap);
    this.aux = new Float64Array(cap);
  }

  /** Appends a record; returns false (and stores nothing) when full. */
  push(seq: number, nsegs: number, bytes: number, flags: number, aux: number): boolean {
    if (this.len >= this.cap) {
      if (!this.grows) return false;
      this.grow();
    }
    let i = this.head + this.len;
    if (i >= this.cap) i -= this.cap;
    this.seq[i] = seq;
    this.nsegs[i] = nsegs;
    this.bytes[i] = bytes;
    this.flags[i] = flags;
    this.aux[i] = aux;
    this.len++;
    return true;
  }

  /** Doubles the capacity, the records kept in order from index 0. */
  private grow(): void {
    const cap = this.cap * 2;
    const order = (a: Float64Array | Int32Array, b: Float64Array | Int32Array): void => {
      for (let k = 0; k < this.len; k++) {
        let i = this.head + k;
        if (i >= this.cap) i -= this.cap;
        b[k] = a[i] as number;
      }
    };
    const seq = new Float64Array(cap);
    const nsegs = new Int32Array(cap);
    const bytes = new Int32Array(cap);
    const flags = new Int32Array(cap);
    const aux = new Float64Array(cap);
    order(this.seq, seq);
    order(this.nsegs, nsegs);
    order(this.bytes, bytes);
    order(this.flags, flags);
    order(this.aux, aux);
    this.seq = seq;
    this.nsegs = nsegs;
    this.bytes = bytes;
    this.flags = flags;
    this.aux = aux;
    this.head = 0;
    this.cap = cap;
  }

  headSeq(): number {
    return this.seq[this.head] as number;
  }
  headNsegs(): number {
    return this.nsegs[this.head] as number;
  }
  headBytes(): number {
    return this.bytes[this.head] as number;
  }
  headFlags(): number {
    return this.flags[this.head] as number;
  }
  headAux(): number {
    return this.aux[this.head] as number;
  }

  /** Removes the head record (read it first with head*()). */
  pop(): void {
    if (this.len === 0) throw new Error('SkbQueue.pop on empty queue');
    this.head++;
    if (this.head >= this.cap) this.head = 0;
    this.len--;
  }

  clear(): void {
    this.head = 0;
    this.len = 0;
  }
}

/** Packet flag bits. */
export const F_SHORT = 1; // a pushed, message-ending segment (shorter than the MSS, or a request's last)
export const F_CHAINED = 2; // aggregate passed as a frag_list chain (not linearised)
export const F_NOLRO = 4; // TCP flags or options that inet_lro refuses (SYN/FIN/RST/URG/ECE/CWR, CE, odd options)
export const F_RR = 8; // TCP_RR request/response
