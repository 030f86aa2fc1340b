/**
 * Discrete-event model of the Xen 3.1 / Linux 2.6.18 network receive path (model-notes §3).
 *
 * Sender (a CPU server: per segment, per send() call, per ACK) → 1 Gb/s link → r8169 RX ring →
 * IRQ (through Xen) → NAPI poll in dom0 (quota, budget, IRQ re-enable) → inet_lro with a flush
 * policy → [native: TCP in dom0] or [bridge (optional linearising copy) → netback (grant copy,
 * batching, event-channel notify) → netfront in the guest → guest TCP] → netserver recv() with
 * copy to user. ACKs / RR responses travel back (netfront → netback → bridge → NIC → link).
 *
 * One core is shared by the domains (scheduler.ts); work runs as short items whose cost is the sum
 * of named per-packet / per-byte costs charged to named functions (accounting.ts). Effects of an
 * item are applied when it starts; frames it transmits leave when it ends. No result is set
 * directly: throughput, cycles/byte, LRO rate and RR rate all come from counting events.
 */
import { Engine } from '../engine/engine.js';
import type { Rng } from '../engine/rng.js';
import type { Params } from '../params.js';
import { Accounting, DOM_DOM0, DOM_GUEST, DOM_OTHER, DOM_XEN, FN, FUNCS, K } from './accounting.js';
import { LroAggregator, LRO_PASS, POL_ADAPTIVE, POL_EVERY_K, POL_TIMEOUT } from './lro.js';
import {
  CREDITS_PER_ACCT,
  CREDITS_PER_TICK,
  pickVcpu,
  TSLICE_S,
  PRI_BOOST,
  PRI_OVER,
  PRI_UNDER,
  VCPU_DOM0,
  VCPU_GUEST,
  VCPU_HOG,
  VCPU_IDLE,
} from './scheduler.js';
import { F_CHAINED, F_RR, F_SHORT, SkbQueue } from './skb-queue.js';
import { TR_BYTES, TR_CYC, TR_LEN, TR_LRO_AGG, TR_LRO_FLUSHED, TR_RR, TraceRecorder, type RawTrace } from './trace.js';
import { ACK_DELAYED, ACK_DUP, ACK_NOW, TcpReceiver } from './tcp-receiver.js';

// ---- event kinds ----
const EV_CPU_DONE = 1;
const EV_RX_ARRIVE = 2; // a = seq, b = len * 16 + flags
const EV_ACK_AT_SENDER = 3; // a = ack seq, b = window bytes
const EV_SND_DONE = 4;
const EV_TX_WIRE = 5; // a = ack seq, b = window (stream) or payload bytes, −1 for a window update (rr)
const EV_DELACK = 6; // a = domain, b = generation
const EV_LRO_TIMER = 7; // a = aggregate generation
const EV_TICK = 8;
const EV_WARMUP_END = 9;
const EV_RR_SEND = 10;
const EV_RR_RESP = 11; // a = ack seq, b = payload bytes, −1 for a window update
const EV_RTO = 12;
const EV_TX_DONE = 13; // r8169 TxOK
const EV_TRACE = 14; // trace_ms: read the counters (changes nothing)
const EV_RR_RTO = 15; // the RR client's retransmission check, every RTO_S
const EV_IRQ_MITIGATE = 16; // rx_irq_delay_us: the IntrMitigate timer expires; a = its generation

const WIRE_OVERHEAD = 90; // Ethernet header + FCS + preamble + IFG + IPv4 + TCP(timestamps)
const HDRS = 52;
const PAGE = 4096;
const TICK_S = 0.01;
const RTO_S = 0.2;
/**
 * copy_to_user granularity of netserver's recv(), i.e. how long the guest runs before dom0 can take
 * the core after an IRQ (16 KB at ≈ 4.2 cycles/byte ≈ 23 µs). Xen would switch at once; this is a
 * simplification the fit leans on: with 2 KB the LRO rates fall to 1.87 and 4.21 and the
 * recalibrated model keeps 18 of 25 cells instead of 20 (measured, stop 13).
 */
const APP_CHUNK = 16384;
const SND_ACK = 0;
const SND_SEG = 1;
const SND_WRITE = 2; // a netperf send() call filling the socket buffer

export type Workload = 'stream' | 'rr';

/** Raw counts of a run's measurement window; run.ts turns them into the reported result. */
export interface RawRun {
  simulatedS: number;
  events: number;
  bytesDelivered: number;
  rrTransactions: number;
  cyclesByFunction: Float64Array;
  /** Accounting.uses: use count of each named cost per function (function-major). */
  costUses: Float64Array;
  xenForDom0: number;
  xenForGuest: number;
  lroAggregated: number;
  lroFlushed: number;
  /** netfront's inet_lro (netfront_lro): skbs merged and aggregates flushed; 0 when off. */
  nfLroAggregated: number;
  nfLroFlushed: number;
  flushLatencyUs: { mean: number; p50: number; p99: number } | null;
  drops: { nic_ring: number; vif_queue: number; tcp_out_of_order: number };
  /** Drops of every place during the warm-up, which `drops` leaves out (a start-up burst shows here). */
  warmupDrops: number;
  dataSegments: number;
  acksSent: number;
  irqs: number;
  polls: number;
  notifications: number;
  switches: number;
  netbackRuns: number;
  retransmits: number;
  /** Losses the sender (or TCP_RR client) recovered by three duplicate ACKs, and by its retransmission timer. */
  fastRetransmits: number;
  timeouts: number;
  hz: number;
  /** The whole run (warm-up included) in trace_ms intervals; null when trace_ms is 0. */
  trace: RawTrace | null;
}

/** Thrown by ReceivePath.run when its caller set the cancel word (see run). */
export class RunCancelled extends Error {
  constructor() {
    super('simulation cancelled');
    this.name = 'AbortError';
  }
}

export class ReceivePath {
  private readonly p: Params;
  private readonly eng: Engine;
  private readonly rng: Rng;
  private readonly rr: boolean;
  private readonly native: boolean;
  private readonly hz: number;
  private readonly mss: number;
  private readonly bitS: number;
  private readonly acct = new Accounting();
  private xenFor0 = 0;
  private xenForG = 0;

  // ---- sender (stream) ----
  private sndUna = 0;
  private sndNxt = 0;
  private cwnd = 3;
  private ssthresh = 1e9;
  private sndWndEdge: number;
  private lastWin: number;
  private dupacks = 0;
  private sndBusy = false;
  private sndJob = 0;
  private appWritten = 0;
  private sndJobSeq = 0;
  private sndJobWin = 0;
  private readonly ackQ = new SkbQueue(4096);
  private dataLinkFree = 0;
  private revLinkFree = 0;
  private rtoUna = -1;
  private retransmits = 0;
  private fastRetransmits = 0;
  private timeouts = 0;
  private maxSent = 0;

  // ---- RR client ----
  /** End of the request written so far (sequences count segments). */
  private rrSeq = 0;
  /** First sequence of the request in flight. */
  private rrReqSeq = 0;
  /** The client's TCP: the server's cumulative ACK, the next segment to send, its congestion window. */
  private rrUna = 0;
  private rrNxt = 0;
  private rrMaxSent = 0;
  private rrCwnd = 3;
  private rrSsthresh = 1e9;
  private rrDupacks = 0;
  /** A request is out and its response not all back. */
  private rrWaiting = false;
  /** rrUna at the last retransmission check. */
  private rrRtoUna = -1;
  private rrRespGot = 0;

  // ---- NIC + NAPI (dom0) ----
  private readonly ring: SkbQueue;
  private irqEnabled = true;
  private irqPending = false;
  /** rx_irq_delay_us: the moderation timer runs (a frame waits, unmasked, for the interrupt). */
  private irqTimerArmed = false;
  private irqTimerGen = 0;
  private polling = false;
  private pollNeedsStart = false;
  private pollFrames = 0;
  private softirqFrames = 0;
  private budgetYield = false;
  private readonly lro: LroAggregator;
  /** inet_lro in netfront (switch netfront_lro), flushed at the end of every netfront poll. */
  private readonly nfLro: LroAggregator | null;
  private lroGenArmed = 0;
  private lroTimerDue = false;

  // ---- netback / netfront ----
  private readonly nbQ: SkbQueue; // accepted by netif_be_start_xmit, slots reserved
  private readonly qdisc: SkbQueue; // vif queue while the guest ring lacks slots
  private nbReserved = 0;
  private gFree: number; // RX buffers posted by netfront
  private readonly gRx: SkbQueue; // responses waiting for netfront
  private guestEvtPending = false;
  private nfPolling = false;
  private nfFrames = 0;
  private nfConsumed = 0;
  private readonly nbTxQ = new SkbQueue(4096); // guest → wire (ACKs / responses)

  // ---- receiver TCP + app ----
  private readonly tcp: TcpReceiver;
  private readonly delackDue = new Uint8Array(2);
  private readonly delackGen = new Float64Array(2);
  private appInCall = false;
  private callRemaining = 0;
  private rrReadBytes = 0;

  // ---- CPU ----
  private cur = VCPU_IDLE;
  private lastRan = VCPU_IDLE;
  /** When `cur` took the core (its time slice runs from here; see pickVcpu). */
  private sliceStart = 0;
  private cpuBusy = false;
  private readonly runnable = new Uint8Array(2);
  private readonly boost = new Uint8Array(2);
  /** Credits of dom0, the guest and (per busy guest) the hogs. */
  private readonly credit = new Float64Array(3);
  private ticks = 0;
  /**
   * What one work item transmits, put on the wire when the item ends. It grows: netback TX moves its
   * whole queue (up to 4096) in one item, and a fixed 256 once lost the rest without a count.
   */
  private readonly txPending = new SkbQueue(256, true);

  // ---- counters (reset at warm-up end) ----
  private measuring = false;
  /** The CPU work item in flight: when it started and ends, and its hypervisor cycles for dom0 / the guest. */
  private itemStart = 0;
  private itemEnd = 0;
  private itemXen0 = 0;
  private itemXenG = 0;
  private bytesDelivered = 0;
  private rrTransactions = 0;
  private drops = { nic_ring: 0, vif_queue: 0, tcp_out_of_order: 0 };
  private dataSegments = 0;
  private acksSent = 0;
  private irqs = 0;
  private polls = 0;
  private notifications = 0;
  private switches = 0;
  private netbackRuns = 0;
  private oooBase = 0;
  private warmupDrops = 0;
  // ---- trace (trace_ms): counters over the whole run, read every interval ----
  private readonly trace: TraceRecorder | null;
  private readonly trCur = new Float64Array(TR_LEN);
  private bytesAll = 0;
  private rrAll = 0;

  constructor(p: Params, seed: number, workload: Workload) {
    this.p = p;
    this.eng = new Engine(seed);
    // A forked stream for the sender/client so adding receiver-side randomness later does not
    // shift the arrival process (common random numbers across systems).
    this.rng = this.eng.rng.fork(1);
    this.rr = workload === 'rr';
    this.native = p.receiver === 'dom0';
    this.hz = p.cpu_ghz * 1e9;
    this.mss = p.mtu - HDRS;
    this.bitS = 1 / (p.link_mbps * 1e6);
    this.ring = new SkbQueue(p.nic_ring);
    this.nbQ = new SkbQueue(p.guest_ring + 1);
    this.qdisc = new SkbQueue(p.vif_queue);
    this.gRx = new SkbQueue(p.guest_ring + 1);
    this.gFree = p.guest_ring;
    this.tcp = new TcpReceiver(p.rcvbuf_bytes, this.rr ? Math.min(536, this.mss) : this.mss);
    if (this.rr) this.tcp.quick = 0; // interactive (pingpong) mode: no quick ACKs
    this.tcp.aggLen = !p.lro_gso_size && !this.rr;
    this.sndWndEdge = Math.floor(p.rcvbuf_bytes / this.mss);
    this.lastWin = p.rcvbuf_bytes;
    const policy =
      p.flush_policy === 'timeout' ? POL_TIMEOUT : p.flush_policy === 'adaptive' ? POL_ADAPTIVE : POL_EVERY_K;
    const k = p.flush_policy === 'every-poll' ? 1 : p.flush_every_polls;
    this.lro = new LroAggregator(policy, k, p.flush_timeout_us * 1e-6, p.flush_push, p.lro_max_aggr, p.mtu);
    this.nfLro = p.netfront_lro ? new LroAggregator(POL_EVERY_K, 1, 0, false, p.lro_max_aggr, p.mtu, false) : null;
    this.trace = p.trace_ms > 0 ? new TraceRecorder() : null;
    this.eng.setHandler((kind, a, b) => this.handle(kind, a, b));
  }

  /**
   * @param control when given, shared with a caller on another thread: its first Int32 is set to the
   * permille of simulated time done, in 1,000 steps (the engine runs up to each step in turn: the same
   * events in the same order, so the result is the same), and a non-zero second Int32 (when there is
   * one) stops the run at the next step with a RunCancelled: within 0.1 % of the run's simulated time,
   * a fraction of a second even for a 600 s run at 100 Gbit/s (1 % had taken 2–4 s there). Cancelling this way, instead of
   * terminating the worker thread, lets the pool queue runs without abort signals and so keep them in
   * order (piscina rotates queued abortable tasks).
   */
  run(control?: Int32Array): RawRun {
    const p = this.p;
    const end = p.warmup_s + p.duration_s;
    this.eng.at(TICK_S, EV_TICK);
    if (p.warmup_s > 0) this.eng.at(p.warmup_s, EV_WARMUP_END);
    else this.startMeasuring();
    if (this.rr) {
      this.eng.at(0, EV_RR_SEND);
      this.eng.at(RTO_S, EV_RR_RTO);
    } else {
      this.eng.at(RTO_S, EV_RTO);
      this.sndKick();
    }
    if (p.guests > 0) this.dispatch();
    if (this.trace) this.nextTrace();
    if (control === undefined) this.eng.run(end);
    else {
      const cancellable = control.length > 1;
      for (let k = 1; k <= 1000; k++) {
        if (cancellable && Atomics.load(control, 1) !== 0) throw new RunCancelled();
        this.eng.run(k < 1000 ? (end * k) / 1000 : end);
        Atomics.store(control, 0, k);
      }
    }
    // the last reading first: it leaves out the part past the end itself
    if (this.trace) this.readCounters(end);
    this.shareOfItemInFlight(-this.itemAfter(end)); // its part past the end is not in the window
    return this.collect();
  }

  // ================= event handler =================
  private handle(kind: number, a: number, b: number): void {
    switch (kind) {
      case EV_CPU_DONE:
        this.cpuBusy = false;
        this.dispatch();
        break;
      case EV_RX_ARRIVE:
        this.rxArrive(a, b >> 4, b & 15);
        break;
      case EV_ACK_AT_SENDER:
        this.ackQ.push(a, 0, 0, 0, b);
        this.sndKick();
        break;
      case EV_SND_DONE:
        this.sndDone();
        break;
      case EV_TX_DONE:
        this.txDone();
        break;
      case EV_TX_WIRE:
        this.txWire(a, b);
        break;
      case EV_DELACK:
        if (this.delackGen[a] === b && this.tcp.delackArmed) {
          this.delackDue[a] = 1;
          this.wake(a);
        }
        break;
      case EV_LRO_TIMER:
        if (this.lro.active && this.lro.generation === a) {
          this.lroTimerDue = true;
          this.wake(VCPU_DOM0);
        }
        break;
      case EV_TICK:
        this.tick();
        break;
      case EV_WARMUP_END:
        this.startMeasuring();
        break;
      case EV_RR_SEND:
        this.rrSend();
        break;
      case EV_RR_RESP:
        this.rrResp(a, b);
        break;
      case EV_RTO:
        this.rtoCheck();
        break;
      case EV_RR_RTO:
        this.rrRto();
        break;
      case EV_TRACE:
        this.readCounters(this.eng.now);
        this.nextTrace();
        break;
      case EV_IRQ_MITIGATE:
        if (this.irqTimerArmed && this.irqTimerGen === a && this.irqEnabled) this.raiseIrq();
        break;
      default:
        throw new Error(`unknown event kind ${kind}`);
    }
  }

  /** csched_tick (sampled debit, BOOST cleared) and, every third tick, csched_acct. */
  private tick(): void {
    const c = this.credit;
    if (this.cur !== VCPU_IDLE) {
      const debit = this.cur === VCPU_HOG ? CREDITS_PER_TICK / this.p.guests : this.p.sched_credit_debit ? CREDITS_PER_TICK : 0;
      c[this.cur] = (c[this.cur] as number) - debit;
      if (this.cur !== VCPU_HOG) this.boost[this.cur] = 0;
    }
    if (++this.ticks % 3 === 0) {
      const share = CREDITS_PER_ACCT / (2 + this.p.guests);
      for (let i = 0; i < 3; i++) {
        const v = (c[i] as number) + share;
        c[i] = v > CREDITS_PER_ACCT ? CREDITS_PER_ACCT : v < -CREDITS_PER_ACCT ? -CREDITS_PER_ACCT : v;
      }
    }
    this.eng.after(TICK_S, EV_TICK);
  }

  private pri(v: number): number {
    if (v !== VCPU_HOG && this.boost[v] === 1) return PRI_BOOST;
    return (this.credit[v] as number) >= 0 ? PRI_UNDER : PRI_OVER;
  }

  // ================= trace (trace_ms) =================
  /** The next reading at a whole multiple of the interval; the last one is taken at the run's end. */
  private nextTrace(): void {
    const dt = this.p.trace_ms * 1e-3;
    const t = ((this.trace as TraceRecorder).samples + 1) * dt;
    if (t < (this.p.warmup_s + this.p.duration_s) * (1 - 1e-9)) this.eng.at(t, EV_TRACE);
  }

  /** The counters at time `now`: of the work item in flight only its part up to now (it is charged whole when it starts). */
  private fillCounters(now: number): Float64Array {
    const c = this.trCur;
    c[TR_BYTES] = this.bytesAll;
    c[TR_RR] = this.rrAll;
    c[TR_LRO_AGG] = this.lro.aggregated;
    c[TR_LRO_FLUSHED] = this.lro.flushed;
    const dom = this.acct.byDomain();
    for (let d = 0; d < dom.length; d++) c[TR_CYC + d] = dom[d] as number;
    const after = this.itemAfter(now);
    if (after > 0) this.acct.addItemCyclesByDomain(c, TR_CYC, -after);
    return c;
  }

  private readCounters(now: number): void {
    (this.trace as TraceRecorder).sample(now, this.fillCounters(now));
  }

  private startMeasuring(): void {
    if (this.trace) {
      // the LRO statistics and the cycle accounting are zeroed below; bytes and transactions are not.
      // They restart at what the window already holds: the part of the work item in flight after now
      // (which the reading leaves out too) and the packets of an aggregate held across (resetStats).
      const c = this.fillCounters(this.eng.now);
      c[TR_BYTES] = 0;
      c[TR_RR] = 0;
      c[TR_LRO_AGG] = (c[TR_LRO_AGG] as number) - (this.lro.active ? this.lro.count : 0);
      this.trace.rebase(c);
    }
    this.measuring = true;
    this.acct.reset();
    this.xenFor0 = 0;
    this.xenForG = 0;
    this.shareOfItemInFlight(this.itemAfter(this.eng.now));
    this.lro.resetStats();
    this.nfLro?.resetStats();
    this.bytesDelivered = 0;
    this.rrTransactions = 0;
    this.warmupDrops = this.drops.nic_ring + this.drops.vif_queue + this.tcp.oooDrops;
    this.drops = { nic_ring: 0, vif_queue: 0, tcp_out_of_order: 0 };
    this.oooBase = this.tcp.oooDrops;
    this.dataSegments = 0;
    this.acksSent = 0;
    this.irqs = 0;
    this.polls = 0;
    this.notifications = 0;
    this.switches = 0;
    this.netbackRuns = 0;
    this.retransmits = 0;
    this.fastRetransmits = 0;
    this.timeouts = 0;
  }

  // ================= sender (TCP_STREAM) =================
  /**
   * The sender's one CPU: ACK processing first, then transmitting what the window allows (so an
   * ACK releases a back-to-back burst at line rate), then netperf's send() calls filling the
   * socket send buffer.
   */
  private sndKick(): void {
    if (this.sndBusy || this.rr) return;
    const p = this.p;
    const jitter = 0.9 + 0.2 * this.rng.next();
    if (this.ackQ.len > 0) {
      this.sndJob = SND_ACK;
      this.sndJobSeq = this.ackQ.headSeq();
      this.sndJobWin = this.ackQ.headAux();
      this.ackQ.pop();
      this.sndBusy = true;
      this.eng.after(p.snd_us_per_ack * 1e-6 * jitter, EV_SND_DONE);
      return;
    }
    const limit = Math.min(this.sndUna + Math.floor(this.cwnd), this.sndWndEdge, Math.floor(this.appWritten / this.mss));
    if (this.sndNxt < limit) {
      this.sndJob = SND_SEG;
      this.sndJobSeq = this.sndNxt++;
      this.sndBusy = true;
      this.eng.after(p.snd_us_per_seg * 1e-6 * jitter, EV_SND_DONE);
      return;
    }
    if (this.appWritten - this.sndUna * this.mss < p.sndbuf_bytes) {
      this.sndJob = SND_WRITE;
      this.sndBusy = true;
      this.eng.after(p.snd_us_per_msg * 1e-6 * jitter, EV_SND_DONE);
    }
  }

  private sndDone(): void {
    this.sndBusy = false;
    if (this.sndJob === SND_ACK) this.sndAck(this.sndJobSeq, this.sndJobWin);
    else if (this.sndJob === SND_WRITE) this.appWritten += this.p.message_bytes;
    else {
      const seq = this.sndJobSeq;
      if (seq < this.maxSent) this.retransmits++;
      else this.maxSent = seq + 1;
      const t = Math.max(this.eng.now, this.dataLinkFree) + (this.mss + WIRE_OVERHEAD) * 8 * this.bitS;
      this.dataLinkFree = t;
      this.eng.at(t + this.p.link_latency_us * 1e-6, EV_RX_ARRIVE, seq, this.mss * 16);
    }
    this.sndKick();
  }

  /** tcp_ack on the sender: slow start / congestion avoidance per ACK (tcp_abc = 0), 3 dupacks → go back. */
  private sndAck(ack: number, win: number): void {
    const winSegs = Math.floor(win / this.mss);
    if (ack > this.sndUna) {
      this.sndUna = ack;
      this.dupacks = 0;
      if (this.cwnd < this.ssthresh) this.cwnd += 1;
      else this.cwnd += 1 / this.cwnd;
      if (this.cwnd > 10000) this.cwnd = 10000;
      if (this.sndNxt < this.sndUna) this.sndNxt = this.sndUna;
    } else if (ack === this.sndUna && this.sndNxt > this.sndUna && win === this.lastWin) {
      this.dupacks++;
      if (this.dupacks === 3) {
        this.fastRetransmits++;
        this.ssthresh = Math.max(2, this.cwnd / 2);
        this.cwnd = this.ssthresh;
        this.sndNxt = this.sndUna;
      }
    }
    this.lastWin = win;
    this.sndWndEdge = ack + winSegs;
  }

  private rtoCheck(): void {
    if (this.sndNxt > this.sndUna && this.sndUna === this.rtoUna) {
      this.timeouts++;
      this.ssthresh = Math.max(2, this.cwnd / 2);
      this.cwnd = 1;
      this.sndNxt = this.sndUna;
      this.sndKick();
    }
    this.rtoUna = this.sndUna;
    this.eng.after(RTO_S, EV_RTO);
  }

  // ================= RR client =================
  private rrSend(): void {
    this.rrReqSeq = this.rrSeq;
    this.rrSeq += Math.ceil(this.p.rr_request_bytes / this.mss);
    this.rrWaiting = true;
    this.rrPump();
  }

  /**
   * Puts on the wire, back to back at line rate, what of the current request the client's congestion
   * window allows (a one-segment request always goes at once). A request of many segments is ACK-clocked
   * like the stream sender: sent whole, it had overflowed a small NIC ring under consolidation again at
   * every retransmission, and the run collapsed to a transaction per timeout.
   */
  private rrPump(): void {
    const p = this.p;
    const first = this.rrReqSeq;
    const limit = Math.min(this.rrSeq, this.rrUna + Math.floor(this.rrCwnd));
    let t = Math.max(this.eng.now, this.dataLinkFree);
    while (this.rrNxt < limit) {
      const seq = this.rrNxt++;
      if (seq < this.rrMaxSent) {
        if (this.measuring) this.retransmits++;
      } else this.rrMaxSent = seq + 1;
      const left = p.rr_request_bytes - (seq - first) * this.mss;
      const len = left > this.mss ? this.mss : left;
      t += Math.max(84, len + WIRE_OVERHEAD) * 8 * this.bitS;
      // the request's last segment is pushed (PSH), whatever its length: a request of exactly k × MSS
      // must not wait in an aggregate for the next poll or the hold timer
      const flags = F_RR | (left <= this.mss ? F_SHORT : 0);
      this.eng.at(t + p.link_latency_us * 1e-6, EV_RX_ARRIVE, seq, len * 16 + flags);
    }
    this.dataLinkFree = t;
  }

  /**
   * The client's retransmission timer, checked every RTO_S like the stream sender's: when segments are
   * out and a whole period brought no new ACK, one of them was dropped on the way (NIC ring, vif queue)
   * and no duplicate ACKs told of it: the window falls to one segment and the client sends again from
   * the server's cumulative ACK. Without it one loss ended the run's transactions.
   */
  private rrRto(): void {
    if (this.rrWaiting && this.rrNxt > this.rrUna && this.rrUna === this.rrRtoUna) {
      this.timeouts++;
      this.rrSsthresh = Math.max(2, this.rrCwnd / 2);
      this.rrCwnd = 1;
      this.rrNxt = this.rrUna;
      this.rrPump();
    }
    this.rrRtoUna = this.rrUna;
    this.eng.after(RTO_S, EV_RR_RTO);
  }

  /** A segment from the server: its ACK (tcp_ack, as the stream sender's: slow start, congestion avoidance, 3 dupacks → go back), then any response bytes. */
  private rrResp(ack: number, bytes: number): void {
    if (ack > this.rrUna) {
      this.rrUna = ack;
      this.rrDupacks = 0;
      if (this.rrCwnd < this.rrSsthresh) this.rrCwnd += 1;
      else this.rrCwnd += 1 / this.rrCwnd;
      if (this.rrCwnd > 10000) this.rrCwnd = 10000;
      if (this.rrNxt < this.rrUna) this.rrNxt = this.rrUna;
      this.rrPump();
    } else if (ack === this.rrUna && bytes === 0 && this.rrNxt > this.rrUna) {
      // a duplicate ACK: no data and no window update (the server's reads of a long request send those)
      this.rrDupacks++;
      if (this.rrDupacks === 3) {
        this.fastRetransmits++;
        this.rrSsthresh = Math.max(2, this.rrCwnd / 2);
        this.rrCwnd = this.rrSsthresh;
        this.rrNxt = this.rrUna;
        this.rrPump();
      }
    }
    if (bytes <= 0) return;
    this.rrRespGot += bytes;
    if (this.rrRespGot < this.p.rr_response_bytes) return;
    this.rrRespGot = 0;
    this.rrWaiting = false;
    if (this.measuring) this.rrTransactions++;
    this.rrAll++;
    this.eng.after(this.p.l_ext_us * 1e-6 * (0.9 + 0.2 * this.rng.next()), EV_RR_SEND);
  }

  // ================= wire from the receiver =================
  private txWire(a: number, b: number): void {
    const payload = this.rr && b > 0 ? b : 0;
    const t = Math.max(this.eng.now, this.revLinkFree) + Math.max(84, payload + WIRE_OVERHEAD) * 8 * this.bitS;
    this.revLinkFree = t;
    if (this.p.tx_irq) this.eng.at(t, EV_TX_DONE);
    const arrive = t + this.p.link_latency_us * 1e-6;
    if (this.rr) this.eng.at(arrive, EV_RR_RESP, a, b);
    else this.eng.at(arrive, EV_ACK_AT_SENDER, a, b);
  }

  // ================= NIC =================
  /** TxOK: the frame has left; an unmasked NIC interrupts, and the poll that follows reaps it. */
  private txDone(): void {
    if (this.irqEnabled) this.raiseIrq();
  }

  private rxArrive(seq: number, len: number, flags: number): void {
    if (!this.ring.push(seq, 1, len, flags, this.eng.now)) {
      this.drops.nic_ring++;
      // RxOverflow is not moderated (a count above the ring size, or a long timer, had let the ring
      // overflow with no interrupt until the timer: 0 Mbit/s behind 0.2 s retransmission timeouts)
      if (this.irqEnabled) this.raiseIrq();
      return;
    }
    if (!this.irqEnabled) return;
    const delay = this.p.rx_irq_delay_us;
    // the last descriptor taken (RxDescUnavail) interrupts at once too, whatever the moderation
    if (delay <= 0 || this.ring.len >= this.p.rx_irq_frames || this.ring.len >= this.p.nic_ring) {
      this.raiseIrq();
    } else if (!this.irqTimerArmed) {
      // IntrMitigate: the first frame since the unmask starts the timer; later ones only add to the count
      this.irqTimerArmed = true;
      this.eng.after(delay * 1e-6, EV_IRQ_MITIGATE, ++this.irqTimerGen);
    }
  }

  /** The NIC asserts its interrupt: masked until the poll ends; dom0 wakes to take it. */
  private raiseIrq(): void {
    this.irqEnabled = false;
    this.irqPending = true;
    this.irqTimerArmed = false; // a timer still queued finds its generation stale
    this.irqTimerGen++;
    this.wake(VCPU_DOM0);
  }

  // ================= CPU and scheduling =================
  private hasWork0(): boolean {
    if (this.irqPending || this.lroTimerDue || this.polling) return true;
    if (this.nbTxQ.len > 0 || this.nbQ.len > 0) return true;
    if (this.native) return this.delackDue[0] === 1 || this.appRunnable();
    return false;
  }

  private hasWorkG(): boolean {
    if (this.native) return false;
    return this.guestEvtPending || this.nfPolling || this.delackDue[1] === 1 || this.appRunnable();
  }

  private appRunnable(): boolean {
    return this.appInCall || this.tcp.queued > 0;
  }

  /** Work was added for vCPU d: a blocked vCPU wakes with BOOST. */
  private wake(d: number): void {
    if (this.runnable[d] === 0) {
      this.runnable[d] = 1;
      if (this.cur !== d && (this.credit[d] as number) >= 0) this.boost[d] = 1;
    }
    if (!this.cpuBusy) this.dispatch();
  }

  private dispatch(): void {
    if (this.cpuBusy) return;
    const w0 = this.hasWork0();
    const wg = this.hasWorkG();
    if (!w0) this.runnable[0] = 0;
    if (!wg) this.runnable[1] = 0;
    // the busy guests stand for `guests` vCPUs, each with a slice of its own in the round robin
    const slice = this.cur === VCPU_HOG ? TSLICE_S * this.p.guests : TSLICE_S;
    const sliceUp = this.cur !== VCPU_IDLE && this.eng.now - this.sliceStart >= slice;
    const next = pickVcpu(this.cur, w0, wg, this.pri(VCPU_DOM0), this.pri(VCPU_GUEST), this.p.guests, this.pri(VCPU_HOG), sliceUp, this.p.dom0_first);
    if (next === this.cur && sliceUp) this.sliceStart = this.eng.now; // no one else of its priority: a new slice
    if (next === VCPU_IDLE) {
      this.cur = VCPU_IDLE;
      return;
    }
    let cycles = 0;
    this.acct.beginItem();
    this.itemXen0 = 0;
    this.itemXenG = 0;
    if (next !== this.cur) {
      cycles += this.chargeXen(FN.dsw, this.p.c_dsw, next);
      this.use(FN.dsw, K.c_dsw, 1);
      if (this.measuring) this.switches++;
      if (this.lastRan !== VCPU_IDLE && this.lastRan !== next) {
        const fn = next === VCPU_DOM0 ? FN.pol0 : next === VCPU_GUEST ? FN.polG : FN.polH;
        cycles += this.charge(fn, this.p.c_pol);
        this.use(fn, K.c_pol, 1);
      }
      this.cur = next;
      this.lastRan = next;
      this.sliceStart = this.eng.now;
    }
    this.cpuBusy = true;
    if (next === VCPU_DOM0) cycles += this.job0();
    else if (next === VCPU_GUEST) cycles += this.jobG();
    else {
      cycles += this.charge(FN.hog, this.p.c_hog_chunk);
      this.use(FN.hog, K.c_hog_chunk, 1);
    }
    this.acct.endItem();
    const end = this.eng.now + cycles / this.hz;
    this.itemStart = this.eng.now;
    this.itemEnd = end;
    while (this.txPending.len > 0) {
      this.eng.at(end, EV_TX_WIRE, this.txPending.headSeq(), this.txPending.headAux());
      this.txPending.pop();
    }
    this.eng.at(end, EV_CPU_DONE);
  }

  private charge(fn: number, cycles: number): number {
    this.acct.charge(fn, cycles);
    return cycles;
  }

  /** Records that function fn used cost k n times (calls, frames or bytes); see Accounting.uses. */
  private use(fn: number, k: number, n: number): void {
    this.acct.use(fn, k, n);
  }

  /** Hypervisor-context work done on behalf of vCPU `forV` (kept apart for xen_cycles_in_domains). */
  private chargeXen(fn: number, cycles: number, forV: number): number {
    this.acct.charge(fn, cycles);
    if (forV === VCPU_DOM0) {
      this.xenFor0 += cycles;
      this.itemXen0 += cycles;
    } else if (forV === VCPU_GUEST) {
      this.xenForG += cycles;
      this.itemXenG += cycles;
    }
    return cycles;
  }

  /**
   * Adds f × the work item in flight (charged whole when it started) to the window's accounting:
   * at the window's start its part after it, at the end (f < 0) its part past the end comes off.
   */
  private shareOfItemInFlight(f: number): void {
    this.acct.addItemShare(f);
    this.xenFor0 += this.itemXen0 * f;
    this.xenForG += this.itemXenG * f;
  }

  /** The share of the work item in flight that lies after time t (0 when the CPU is free). */
  private itemAfter(t: number): number {
    if (!this.cpuBusy || this.itemEnd <= t || this.itemEnd <= this.itemStart) return 0;
    return (this.itemEnd - Math.max(t, this.itemStart)) / (this.itemEnd - this.itemStart);
  }

  // ================= dom0 work items =================
  private job0(): number {
    const p = this.p;
    if (this.irqPending) {
      // Physical IRQ: Xen's do_IRQ + event to dom0, then the r8169 handler schedules NAPI.
      this.irqPending = false;
      this.polling = true;
      this.pollNeedsStart = true;
      if (this.measuring) this.irqs++;
      this.use(FN.pirq, K.c_pirq, 1);
      this.use(FN.hirq, K.c_hirq, 1);
      return this.chargeXen(FN.pirq, p.c_pirq, VCPU_DOM0) + this.charge(FN.hirq, p.c_hirq);
    }
    if (this.lroTimerDue) {
      this.lroTimerDue = false;
      if (!this.lro.active) return 0;
      this.lro.flush(this.eng.now);
      return this.lroFlushed();
    }
    if (this.polling && !this.budgetYield) {
      if (this.pollNeedsStart) {
        this.pollNeedsStart = false;
        this.pollFrames = 0;
        if (this.measuring) this.polls++;
        this.use(FN.poll, K.c_poll, 1);
        return this.charge(FN.poll, p.c_poll);
      }
      if (this.ring.len > 0 && this.pollFrames < p.napi_weight) return this.rxFrame();
      return this.pollEnd();
    }
    this.budgetYield = false;
    if (this.nbTxQ.len > 0) return this.netbackTx();
    if (this.nbQ.len > 0) return this.netbackRx();
    if (this.delackDue[0] === 1) {
      this.delackDue[0] = 0;
      return this.sendAck(VCPU_DOM0);
    }
    if (this.native && this.appRunnable()) return this.appRead(VCPU_DOM0);
    if (this.polling) return this.job0(); // budgetYield cleared, nothing else to do: keep polling
    return 0;
  }

  private rxFrame(): number {
    const p = this.p;
    const r = this.ring;
    const seq = r.headSeq();
    const len = r.headBytes();
    const flags = r.headFlags();
    r.pop();
    this.pollFrames++;
    if (++this.softirqFrames >= p.netdev_budget) {
      // net_rx_action budget spent: the softirq ends and pending tasklets run before polling resumes.
      this.softirqFrames = 0;
      this.budgetYield = true;
    }
    let c = this.charge(FN.rxd, p.c_rxd);
    this.use(FN.rxd, K.c_rxd, 1);
    if (!p.lro) return c + this.deliver0(seq, 1, len, flags);
    c += this.charge(FN.lroP, p.c_lro_p);
    this.use(FN.lroP, K.c_lro_p, 1);
    const res = this.lro.receive(seq, len, flags, this.eng.now);
    if (this.lro.outReady) c += this.lroFlushed();
    if (res === LRO_PASS) return c + this.deliver0(seq, 1, len, flags);
    if (this.lro.active && this.lro.generation !== this.lroGenArmed) {
      this.lroGenArmed = this.lro.generation;
      const hold = p.flush_policy === 'every-k' || p.flush_policy === 'every-poll' ? p.lro_max_hold_us : p.flush_timeout_us;
      if (this.lro.k > 1 || this.lro.policy !== POL_EVERY_K) {
        this.eng.at(this.lro.t0 + hold * 1e-6, EV_LRO_TIMER, this.lro.generation);
      }
    }
    return c;
  }

  private pollEnd(): number {
    const p = this.p;
    let c = 0;
    if (p.lro && this.lro.pollEnd(this.eng.now, this.ring.len === 0)) c += this.lroFlushed();
    if (this.pollFrames >= p.napi_weight && this.ring.len > 0) {
      // Quota used: the device stays on the poll list and is polled again without an IRQ.
      this.pollNeedsStart = true;
      return c;
    }
    // netif_rx_complete + unmask; a frame that raced in re-raises the IRQ at once.
    this.polling = false;
    this.softirqFrames = 0;
    this.irqEnabled = true;
    if (this.ring.len > 0) {
      this.irqEnabled = false;
      this.irqPending = true;
    }
    return c;
  }

  private lroFlushed(): number {
    const l = this.lro;
    const c = this.charge(FN.lroF, this.p.c_lro_f);
    this.use(FN.lroF, K.c_lro_f, 1);
    return c + this.deliver0(l.outSeq, l.outNsegs, l.outBytes, l.outFlags);
  }

  /** An skb leaves the driver: native TCP in dom0, or bridge → netback. */
  private deliver0(seq: number, nsegs: number, bytes: number, flags: number): number {
    const p = this.p;
    if (this.native) {
      // Xen 3.1 network-bridge: peth0 → xenbr0 → vif0.0 → netloop → veth0 (dom0's "eth0").
      return this.netloop() + this.tcpReceive(VCPU_DOM0, seq, nsegs, bytes, flags);
    }
    let c = this.charge(FN.br, p.c_br);
    this.use(FN.br, K.c_br, 1);
    let fl = flags;
    let linearised = false;
    if (nsegs > 1 && p.bridge_copy) {
      // dev_queue_xmit → __skb_linearize: the vif lacks NETIF_F_FRAGLIST.
      c += this.charge(FN.copyBits, p.k_warm * bytes);
      this.use(FN.copyBits, K.k_warm, bytes);
      fl &= ~F_CHAINED;
      linearised = true;
    }
    c += this.charge(FN.nbx, p.c_nbx);
    this.use(FN.nbx, K.c_nbx, 1);
    if (linearised && bytes + HDRS > PAGE) {
      // netbk_copy_skb: the linear head crosses a page boundary and is copied again.
      c += this.charge(FN.copyBits, p.k_warm * bytes);
      this.use(FN.copyBits, K.k_warm, bytes);
    }
    const slots = this.slots(nsegs, bytes);
    if (slots > this.p.guest_ring) {
      // more slots than the guest's whole ring: it could never be delivered, and waiting at the head
      // of the vif queue it stalled every later packet for good (0 Mbit/s, no drop counted)
      this.drops.vif_queue++; // zeroed when the window starts; counted before it for warmupDrops
    } else if (this.qdisc.len === 0 && this.nbReserved + slots <= this.gFree) {
      this.nbQ.push(seq, nsegs, bytes, fl, slots);
      this.nbReserved += slots;
    } else if (!this.qdisc.push(seq, nsegs, bytes, fl, slots)) {
      this.drops.vif_queue++; // zeroed when the window starts; counted before it for warmupDrops
    }
    return c;
  }

  /** Xen 3.1 network-bridge for dom0's own traffic: xenbr0 → vif0.0 → netloop → veth0. */
  private netloop(): number {
    const p = this.p;
    if (!p.dom0_netloop) return 0;
    this.use(FN.br, K.c_br, 1);
    this.use(FN.netloop, K.c_netloop, 1);
    return this.charge(FN.br, p.c_br) + this.charge(FN.netloop, p.c_netloop);
  }

  private slots(nsegs: number, bytes: number): number {
    return Math.ceil(bytes / PAGE) + (nsegs > 1 ? 1 : 0);
  }

  /** netback RX tasklet: grant-copy every queued skb into guest buffers, one notification per batch. */
  private netbackRx(): number {
    const p = this.p;
    let c = this.charge(FN.nbRx, p.c_nbt);
    this.use(FN.nbRx, K.c_nbt, 1);
    if (this.measuring) this.netbackRuns++;
    const q = this.nbQ;
    while (q.len > 0) {
      const nsegs = q.headNsegs();
      const bytes = q.headBytes();
      const flags = q.headFlags();
      const slots = q.headAux();
      this.gRx.push(q.headSeq(), nsegs, bytes, flags, slots);
      q.pop();
      this.nbReserved -= slots;
      this.gFree -= slots;
      const ops = (flags & F_CHAINED) !== 0 ? nsegs : Math.ceil(bytes / PAGE);
      c += this.charge(FN.nbRx, p.c_nbr);
      c += this.chargeXen(FN.gop, ops * p.c_gop + p.k_gcopy * bytes, VCPU_DOM0);
      this.use(FN.nbRx, K.c_nbr, 1);
      this.use(FN.gop, K.c_gop, ops);
      this.use(FN.gop, K.k_gcopy, bytes);
    }
    if (!this.guestEvtPending && !this.nfPolling) {
      c += this.chargeXen(FN.evs, p.c_evs, VCPU_DOM0);
      this.use(FN.evs, K.c_evs, 1);
      if (this.measuring) this.notifications++;
      this.guestEvtPending = true;
      this.wake(VCPU_GUEST);
    }
    return c;
  }

  /** netback TX: guest packets (ACKs, RR responses) → bridge → r8169 → wire. */
  private netbackTx(): number {
    const p = this.p;
    let c = 0;
    const q = this.nbTxQ;
    while (q.len > 0) {
      const bytes = q.headBytes();
      c += this.charge(FN.nbTx, p.c_nbtx);
      c += this.chargeXen(FN.gop, p.c_gop + p.k_gcopy * (bytes + HDRS), VCPU_DOM0);
      c += this.charge(FN.br, p.c_br);
      c += this.charge(FN.ntx, p.c_ntx);
      this.use(FN.nbTx, K.c_nbtx, 1);
      this.use(FN.gop, K.c_gop, 1);
      this.use(FN.gop, K.k_gcopy, bytes + HDRS);
      this.use(FN.br, K.c_br, 1);
      this.use(FN.ntx, K.c_ntx, 1);
      this.txPending.push(q.headSeq(), 0, bytes, 0, q.headAux());
      q.pop();
    }
    return c;
  }

  // ================= guest work items =================
  /**
   * The guest: event upcall, netfront poll (one response per item, to TCP or to netfront's LRO),
   * delayed ACK, netserver. The five systems leave netfront's LRO off (switch netfront_lro): with it
   * (as the paper's LRO systems may have had) guest TCP ACKs once per ≈ 10 segments, and the
   * recalibrated model fit 9 of 25 cells instead of 20 (README).
   */
  private jobG(): number {
    const p = this.p;
    if (this.guestEvtPending) {
      this.guestEvtPending = false;
      this.nfPolling = true;
      this.nfFrames = 0;
      this.use(FN.up, K.c_up, 1);
      return this.charge(FN.up, p.c_up);
    }
    if (this.nfPolling) {
      if (this.gRx.len > 0 && this.nfFrames < p.napi_weight) {
        const q = this.gRx;
        const seq = q.headSeq();
        const nsegs = q.headNsegs();
        const bytes = q.headBytes();
        const flags = q.headFlags();
        this.nfConsumed += q.headAux();
        q.pop();
        this.nfFrames++;
        this.use(FN.nfr, K.c_nfr, 1);
        const c = this.charge(FN.nfr, p.c_nfr);
        if (this.nfLro !== null) return c + this.netfrontLro(this.nfLro, seq, nsegs, bytes, flags);
        return c + this.tcpReceive(VCPU_GUEST, seq, nsegs, bytes, flags);
      }
      return this.netfrontEnd();
    }
    if (this.delackDue[1] === 1) {
      this.delackDue[1] = 0;
      return this.sendAck(VCPU_GUEST);
    }
    if (this.appRunnable()) return this.appRead(VCPU_GUEST);
    return 0;
  }

  /** lro_receive_skb in netfront: what it flushes, then what it passes, goes up to guest TCP. */
  private netfrontLro(l: LroAggregator, seq: number, nsegs: number, bytes: number, flags: number): number {
    let c = this.charge(FN.lroPG, this.p.c_lro_p);
    this.use(FN.lroPG, K.c_lro_p, 1);
    const res = l.receive(seq, bytes, flags, this.eng.now, nsegs);
    if (l.outReady) c += this.netfrontFlushed(l);
    if (res === LRO_PASS) c += this.tcpReceive(VCPU_GUEST, seq, nsegs, bytes, flags);
    return c;
  }

  private netfrontFlushed(l: LroAggregator): number {
    const c = this.charge(FN.lroFG, this.p.c_lro_f);
    this.use(FN.lroFG, K.c_lro_f, 1);
    return c + this.tcpReceive(VCPU_GUEST, l.outSeq, l.outNsegs, l.outBytes, l.outFlags);
  }

  /** End of a netfront poll: flush netfront's LRO, re-post consumed buffers, tell netback if it waits for slots. */
  private netfrontEnd(): number {
    const p = this.p;
    let c = this.nfLro !== null && this.nfLro.pollEnd(this.eng.now, true) ? this.netfrontFlushed(this.nfLro) : 0;
    c += this.charge(FN.nff, p.c_nff * this.nfConsumed);
    this.use(FN.nff, K.c_nff, this.nfConsumed);
    this.gFree += this.nfConsumed;
    this.nfConsumed = 0;
    if (this.gRx.len > 0) this.nfFrames = 0;
    else this.nfPolling = false;
    let moved = false;
    while (this.qdisc.len > 0 && this.nbReserved + this.qdisc.headAux() <= this.gFree) {
      const slots = this.qdisc.headAux();
      this.nbQ.push(this.qdisc.headSeq(), this.qdisc.headNsegs(), this.qdisc.headBytes(), this.qdisc.headFlags(), slots);
      this.nbReserved += slots;
      this.qdisc.pop();
      moved = true;
    }
    if (moved) {
      c += this.chargeXen(FN.evs, p.c_evs, VCPU_GUEST);
      this.use(FN.evs, K.c_evs, 1);
      if (this.measuring) this.notifications++;
      this.wake(VCPU_DOM0);
    }
    return c;
  }

  // ================= TCP receiver and netserver (dom0 for native, else guest) =================
  private tcpReceive(v: number, seq: number, nsegs: number, bytes: number, flags: number): number {
    const p = this.p;
    const fnRx = v === VCPU_DOM0 ? FN.tcpRx0 : FN.tcpRxG;
    let c = this.charge(fnRx, p.c_tcprx);
    this.use(fnRx, K.c_tcprx, 1);
    if (this.measuring) this.dataSegments += nsegs;
    const mssSeen = nsegs > 1 && this.p.lro_gso_size ? this.mss : bytes;
    const r = this.tcp.onData(seq, nsegs, bytes, (flags & F_CHAINED) !== 0, mssSeen);
    // TCP_RR too: pingpong mode only stops quick ACKs, so a request of more than one full segment is
    // ACKed every second segment (__tcp_ack_snd_check) before the response; a one-segment request
    // waits, and its response carries the ACK unless the delayed-ACK timer fires first.
    if (r === ACK_NOW || r === ACK_DUP) c += this.sendAck(v);
    else if (r === ACK_DELAYED) this.armDelack(v);
    return c;
  }

  private armDelack(v: number): void {
    if (this.tcp.delackArmed) return;
    this.tcp.delackArmed = true;
    this.eng.after(this.p.delack_ms * 1e-3, EV_DELACK, v, this.delackGen[v] as number);
  }

  /**
   * tcp_send_ack from vCPU v; in RR mode `payload` > 0 makes it the response, and `windowUpdate` marks
   * an ACK sent because a read opened the window (tcp_cleanup_rbuf): the client must not count it as a
   * duplicate ACK (in a stream the window it carries tells it apart).
   */
  private sendAck(v: number, payload = 0, windowUpdate = false): number {
    const p = this.p;
    this.tcp.onAckSent();
    this.delackGen[v] = (this.delackGen[v] as number) + 1;
    // a TCP_RR response's segments carry the ACK but are data: only pure ACKs are counted
    if (this.measuring && payload === 0) this.acksSent++;
    const ack = this.tcp.rcvNxt;
    const aux = this.rr ? (windowUpdate ? -1 : payload) : this.tcp.window();
    if (v === VCPU_DOM0) {
      this.txPending.push(ack, 0, payload, 0, aux);
      this.use(FN.ackTx0, K.c_acktx, 1);
      this.use(FN.ntx, K.c_ntx, 1);
      return this.netloop() + this.charge(FN.ackTx0, p.c_acktx) + this.charge(FN.ntx, p.c_ntx);
    }
    let c = this.charge(FN.ackTxG, p.c_acktx) + this.charge(FN.nft, p.c_nft);
    this.use(FN.ackTxG, K.c_acktx, 1);
    this.use(FN.nft, K.c_nft, 1);
    const wasEmpty = this.nbTxQ.len === 0;
    this.nbTxQ.push(ack, 0, payload, 0, aux);
    if (wasEmpty) {
      c += this.chargeXen(FN.evs, p.c_evs, VCPU_GUEST);
      this.use(FN.evs, K.c_evs, 1);
      if (this.measuring) this.notifications++;
      this.wake(VCPU_DOM0);
    }
    return c;
  }

  /** netserver: one recv() call (fixed cost) copies queued data to user space in chunks. */
  private appRead(v: number): number {
    const p = this.p;
    const t = this.tcp;
    let c = 0;
    if (!this.appInCall) {
      this.appInCall = true;
      this.callRemaining = Math.min(t.queued, p.recv_bytes);
      const fnRecv = v === VCPU_DOM0 ? FN.recv0 : FN.recvG;
      c += this.charge(fnRecv, p.c_wake);
      this.use(fnRecv, K.c_wake, 1);
    }
    const chunk = Math.min(this.callRemaining, APP_CHUNK);
    const chained = t.queued > 0 ? (chunk * t.queuedChained) / t.queued : 0;
    const fnUser = v === VCPU_DOM0 ? FN.user0 : FN.userG;
    c += this.charge(fnUser, p.k_user * (chunk - chained + chained * p.m_align));
    this.use(fnUser, K.k_user, chunk - chained);
    this.use(fnUser, K.k_user_chained, chained);
    this.callRemaining -= chunk;
    if (this.callRemaining <= 0) this.appInCall = false;
    const update = t.onRead(chunk);
    if (this.measuring) this.bytesDelivered += chunk;
    this.bytesAll += chunk;
    if (this.rr) {
      this.rrReadBytes += chunk;
      if (this.rrReadBytes >= p.rr_request_bytes) {
        this.rrReadBytes -= p.rr_request_bytes;
        c += this.sendResponse(v);
      } else if (update) c += this.sendAck(v, 0, true); // tcp_cleanup_rbuf while a long request is read
      return c;
    }
    if (update) c += this.sendAck(v);
    return c;
  }

  private sendResponse(v: number): number {
    let left = this.p.rr_response_bytes;
    let c = 0;
    while (left > 0) {
      const len = left > this.mss ? this.mss : left;
      left -= len;
      c += this.sendAck(v, len);
    }
    return c;
  }

  // ================= results =================
  private collect(): RawRun {
    const lat = this.lro.latencyUs();
    return {
      simulatedS: this.p.duration_s,
      // the trace's readings are not part of the model's work (the last is taken after the run)
      events: this.eng.eventsProcessed - (this.trace ? this.trace.samples - 1 : 0),
      bytesDelivered: this.bytesDelivered,
      rrTransactions: this.rrTransactions,
      cyclesByFunction: this.acct.cycles,
      costUses: this.acct.uses,
      xenForDom0: this.xenFor0,
      xenForGuest: this.xenForG,
      // an aggregate still held at the end is counted where it would be flushed, after the window
      // (as one held at its start is counted in it): its packets must not raise this window's rate
      lroAggregated: this.lro.aggregated - (this.lro.active ? this.lro.count : 0),
      lroFlushed: this.lro.flushed,
      nfLroAggregated: this.nfLro === null ? 0 : this.nfLro.aggregated - (this.nfLro.active ? this.nfLro.count : 0),
      nfLroFlushed: this.nfLro?.flushed ?? 0,
      flushLatencyUs: lat,
      drops: { ...this.drops, tcp_out_of_order: this.tcp.oooDrops - this.oooBase },
      warmupDrops: this.warmupDrops,
      dataSegments: this.dataSegments,
      acksSent: this.acksSent,
      irqs: this.irqs,
      polls: this.polls,
      notifications: this.notifications,
      switches: this.switches,
      netbackRuns: this.netbackRuns,
      retransmits: this.retransmits,
      fastRetransmits: this.fastRetransmits,
      timeouts: this.timeouts,
      hz: this.hz,
      trace: this.trace ? this.trace.result() : null,
    };
  }
}

/** Domain of each function id, re-exported for result assembly. */
export const FUNC_DOMAIN: readonly number[] = FUNCS.map((f) => f[0]);
export { DOM_DOM0, DOM_GUEST, DOM_XEN, DOM_OTHER };
