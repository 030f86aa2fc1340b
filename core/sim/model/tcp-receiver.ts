/**
 * Receiver-side TCP (Linux 2.6.18 tcp_rcv_established / __tcp_ack_snd_check / tcp_cleanup_rbuf),
 * reduced to what decides throughput and ACK counts. Sequence numbers count segments.
 *
 * ACK rule: ACK at once when more than one receive-MSS of data is unacknowledged (so every
 * aggregate of ≥ 2 MSS, or every second full segment, is ACKed), in quick-ACK mode (the first
 * 16 ACKs), or for out-of-order data (duplicate ACK); otherwise arm the delayed-ACK timer.
 * Out-of-order data is discarded (no out-of-order queue: the sender goes back to snd_una).
 *
 * Left out on purpose: the kernel's second condition for an immediate ACK, that the window's right
 * edge would not retreat (`__tcp_select_window(sk) >= tp->rcv_wnd`). With it, a saturated guest
 * leaves data unread and ACKs only from recvmsg (≈ 0.09 ACKs per segment in every Xen-based
 * system); recalibrated, 19 of 25 cells fit but Xen ran 19 % fast and above LRO (README, stop 14).
 */
export const ACK_NONE = 0;
export const ACK_NOW = 1;
export const ACK_DELAYED = 2;
export const ACK_DUP = 3;

const TCP_MAX_QUICKACKS = 16;

export class TcpReceiver {
  rcvNxt = 0;
  /** Bytes received since the last ACK was sent. */
  unackedBytes = 0;
  rcvMss: number;
  quick = TCP_MAX_QUICKACKS;
  delackArmed = false;
  /** Unread bytes in the socket receive queue. */
  queued = 0;
  /** Of `queued`, bytes that arrived as chained fragments (BO layout). */
  queuedChained = 0;
  readonly rcvbuf: number;
  /** Window (bytes) advertised in the last ACK. */
  lastWindow: number;
  oooDrops = 0;
  /** lro_gso_size off: rcv_mss follows aggregate lengths (see onData). */
  aggLen = false;
  private lastSegSize = 0;
  private pushed = false;

  constructor(rcvbuf: number, mss: number) {
    this.rcvbuf = rcvbuf;
    this.rcvMss = mss;
    this.lastWindow = rcvbuf;
  }

  /** A delivered skb (one segment or an aggregate). Returns the ACK decision. */
  onData(seq: number, nsegs: number, bytes: number, chained: boolean, mssSeen: number): number {
    if (seq !== this.rcvNxt) {
      this.oooDrops += nsegs;
      return ACK_DUP;
    }
    this.rcvNxt += nsegs;
    this.queued += bytes;
    if (chained) this.queuedChained += bytes;
    this.unackedBytes += bytes;
    // tcp_measure_rcv_mss: aggregates carry gso_size = MSS, so rcv_mss follows the segment size.
    if (mssSeen > this.rcvMss) this.rcvMss = mssSeen;
    else if (this.aggLen) {
      // without gso_size: a smaller skb sets ICSK_ACK_PUSHED; two equal ones in a row lower rcv_mss
      if (mssSeen < this.rcvMss) {
        if (mssSeen === this.lastSegSize) this.rcvMss = mssSeen;
        this.pushed = true;
      }
      this.lastSegSize = mssSeen;
    }
    if (this.quick > 0 || this.unackedBytes > this.rcvMss) return ACK_NOW;
    return ACK_DELAYED;
  }

  /** Advertised receive window in bytes. */
  window(): number {
    const w = this.rcvbuf - this.queued;
    return w > 0 ? w : 0;
  }

  /** Bookkeeping when an ACK (or data carrying one) leaves. */
  onAckSent(): void {
    if (this.quick > 0) this.quick--;
    this.unackedBytes = 0;
    this.delackArmed = false;
    this.lastWindow = this.window();
  }

  /**
   * The application consumed `bytes`. Returns true when tcp_cleanup_rbuf would send a window
   * update: the window was at most half open and has at least doubled, or data is still unacked
   * beyond one MSS.
   */
  onRead(bytes: number): boolean {
    const chainedShare = this.queued > 0 ? this.queuedChained / this.queued : 0;
    this.queued -= bytes;
    this.queuedChained -= bytes * chainedShare;
    if (this.queued <= 0) {
      this.queued = 0;
      this.queuedChained = 0;
    }
    if (this.unackedBytes > this.rcvMss) return true;
    // tcp_cleanup_rbuf: ICSK_ACK_PUSHED and the receive queue drained → ACK now
    if (this.aggLen && this.pushed && this.queued === 0 && this.unackedBytes > 0) {
      this.pushed = false;
      return true;
    }
    const now = this.window();
    return 2 * this.lastWindow <= this.rcvbuf && now >= 2 * this.lastWindow + this.rcvMss;
  }
}
