/**
 * oprofile-style cycle accounting: every unit of CPU work is charged to a named function, each
 * function belongs to one domain bucket. Exact totals (not sampled).
 */
export const DOM_DOM0 = 0;
export const DOM_GUEST = 1;
export const DOM_XEN = 2;
export const DOM_OTHER = 3;
export const DOMAIN_NAMES = ['dom0', 'guest', 'xen', 'other_guests'] as const;

/** [domain, symbol] per function id; symbols follow the real kernel / hypervisor names. */
export const FUNCS: ReadonlyArray<readonly [number, string]> = [
  [DOM_DOM0, 'rtl8169_interrupt'], // 0
  [DOM_DOM0, 'rtl8169_poll'], // 1
  [DOM_DOM0, 'rtl8169_rx_interrupt'], // 2
  [DOM_DOM0, 'lro_receive_skb'], // 3
  [DOM_DOM0, 'lro_flush'], // 4
  [DOM_DOM0, 'br_handle_frame'], // 5
  [DOM_DOM0, 'skb_copy_bits'], // 6
  [DOM_DOM0, 'netif_be_start_xmit'], // 7
  [DOM_DOM0, 'net_rx_action [netback]'], // 8
  [DOM_DOM0, 'net_tx_action [netback]'], // 9
  [DOM_DOM0, 'rtl8169_start_xmit'], // 10
  [DOM_DOM0, 'tcp_v4_rcv'], // 11
  [DOM_DOM0, 'tcp_send_ack'], // 12
  [DOM_DOM0, 'sys_recvfrom'], // 13
  [DOM_DOM0, '__copy_to_user_ll'], // 14
  [DOM_DOM0, '(cache/TLB refill after switch)'], // 15
  [DOM_GUEST, 'evtchn_do_upcall'], // 16
  [DOM_GUEST, 'netif_poll [netfront]'], // 17
  [DOM_GUEST, 'network_alloc_rx_buffers'], // 18
  [DOM_GUEST, 'network_start_xmit'], // 19
  [DOM_GUEST, 'tcp_v4_rcv'], // 20
  [DOM_GUEST, 'tcp_send_ack'], // 21
  [DOM_GUEST, 'sys_recvfrom'], // 22
  [DOM_GUEST, '__copy_to_user_ll'], // 23
  [DOM_GUEST, '(cache/TLB refill after switch)'], // 24
  [DOM_XEN, 'do_IRQ'], // 25
  [DOM_XEN, 'evtchn_send'], // 26
  [DOM_XEN, 'gnttab_copy'], // 27
  [DOM_XEN, 'context_switch'], // 28
  [DOM_OTHER, '(busy guest work)'], // 29
  [DOM_OTHER, '(cache/TLB refill after switch)'], // 30
  [DOM_DOM0, 'loopback_start_xmit [netloop]'], // 31
  [DOM_GUEST, 'lro_receive_skb [netfront]'], // 32
  [DOM_GUEST, 'lro_flush [netfront]'], // 33
];

export const FN = {
  hirq: 0,
  poll: 1,
  rxd: 2,
  lroP: 3,
  lroF: 4,
  br: 5,
  copyBits: 6,
  nbx: 7,
  nbRx: 8,
  nbTx: 9,
  ntx: 10,
  tcpRx0: 11,
  ackTx0: 12,
  recv0: 13,
  user0: 14,
  pol0: 15,
  up: 16,
  nfr: 17,
  nff: 18,
  nft: 19,
  tcpRxG: 20,
  ackTxG: 21,
  recvG: 22,
  userG: 23,
  polG: 24,
  pirq: 25,
  evs: 26,
  gop: 27,
  dsw: 28,
  hog: 29,
  polH: 30,
  netloop: 31,
  lroPG: 32,
  lroFG: 33,
} as const;

/**
 * The named costs a function's cycles are made of (the cost knobs of params.ts). `k_user_chained`
 * is not a knob: it counts bytes copied to user space from chained fragments, which cost
 * k_user × m_align each (the BO layout), so the cycles stay linear in each use count.
 */
export const COSTS = [
  'c_hirq', 'c_poll', 'c_rxd', 'c_lro_p', 'c_lro_f', 'c_tcprx', 'c_acktx', 'c_ntx', 'c_wake', 'k_user',
  'k_user_chained', 'k_warm', 'c_pirq', 'c_br', 'c_nbx', 'c_netloop', 'c_nbt', 'c_nbr', 'c_gop', 'k_gcopy',
  'c_evs', 'c_up', 'c_nbtx', 'c_dsw', 'c_pol', 'c_nfr', 'c_nff', 'c_nft', 'c_hog_chunk',
] as const;
export type CostName = (typeof COSTS)[number];
/** Index of each cost in COSTS (ints on the hot path). */
export const K = Object.fromEntries(COSTS.map((c, i) => [c, i])) as { readonly [C in CostName]: number };

export class Accounting {
  readonly cycles = new Float64Array(FUNCS.length);
  /**
   * How often each function used each named cost (calls, frames, bytes…): uses[fn·|COSTS| + k].
   * Cycles are charged as before; this ledger records what they were made of, so calibration can
   * see cycles/byte as a linear function of the costs (model-notes §6, stage B) and a test can
   * check that Σ uses × cost reproduces every function's cycles.
   */
  readonly uses = new Float64Array(FUNCS.length * COSTS.length);

  /*
   * The charges and uses of the CPU work item in flight (one dispatch), so that the part of it that
   * falls outside the measured window can be taken out: an item is charged whole when it starts, and
   * one that straddles the start or the end of the window would otherwise count time outside it
   * (CPU shares summing past 1, a busy guest's long chunk seen as idle).
   */
  private logging = false;
  private logN = 0;
  private logAt = new Int32Array(64); // cycles index, or −1 − uses index
  private logVal = new Float64Array(64);

  use(fn: number, k: number, n: number): void {
    const i = fn * COSTS.length + k;
    this.uses[i] = (this.uses[i] as number) + n;
    if (this.logging) this.log(-1 - i, n);
  }
  /** Functions that ran in hypervisor context, re-attributed when xen_cycles_in_domains is on. */
  charge(fn: number, cycles: number): void {
    this.cycles[fn] = (this.cycles[fn] as number) + cycles;
    if (this.logging) this.log(fn, cycles);
  }
  reset(): void {
    this.cycles.fill(0);
    this.uses.fill(0);
  }
  /** Starts a new work item: what is charged until endItem() is its share to pro-rate. */
  beginItem(): void {
    this.logging = true;
    this.logN = 0;
  }
  endItem(): void {
    this.logging = false;
  }
  /** Adds f × the last item's charges and uses (f < 0 takes that share away). */
  addItemShare(f: number): void {
    for (let j = 0; j < this.logN; j++) {
      const at = this.logAt[j] as number;
      const v = (this.logVal[j] as number) * f;
      if (at >= 0) this.cycles[at] = (this.cycles[at] as number) + v;
      else this.uses[-1 - at] = (this.uses[-1 - at] as number) + v;
    }
  }
  /** Adds f × the last item's cycles, by domain, to out[offset + domain] (a reading of the run over time). */
  addItemCyclesByDomain(out: Float64Array, offset: number, f: number): void {
    for (let j = 0; j < this.logN; j++) {
      const at = this.logAt[j] as number;
      if (at < 0) continue;
      const d = offset + ((FUNCS[at] as readonly [number, string])[0]);
      out[d] = (out[d] as number) + (this.logVal[j] as number) * f;
    }
  }
  private log(at: number, v: number): void {
    if (this.logN === this.logAt.length) {
      const a = new Int32Array(this.logN * 2);
      a.set(this.logAt);
      this.logAt = a;
      const b = new Float64Array(this.logN * 2);
      b.set(this.logVal);
      this.logVal = b;
    }
    this.logAt[this.logN] = at;
    this.logVal[this.logN++] = v;
  }
  byDomain(): Float64Array {
    const d = new Float64Array(DOMAIN_NAMES.length);
    for (let i = 0; i < FUNCS.length; i++) {
      const dom = (FUNCS[i] as readonly [number, string])[0];
      d[dom] = (d[dom] as number) + (this.cycles[i] as number);
    }
    return d;
  }
  total(): number {
    let s = 0;
    for (let i = 0; i < this.cycles.length; i++) s += this.cycles[i] as number;
    return s;
  }
}
