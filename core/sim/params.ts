/**
 * The ONE shared parameter set of the receive-path model: mechanism switches, scenario knobs and
 * named costs (cycles per packet / per byte of a named kernel or hypervisor function). The five
 * systems (systems.ts) are this set plus switches; calibration (calibrate/) rescales a few cost
 * groups and writes calibrated-params.json, which the presets load.
 *
 * Overrides arrive as strings from the CLI (`--set key=value`) or as typed values from the app;
 * they are validated with zod and errors name the knob and its allowed range or values.
 */
import { z } from 'zod';
import { TRACE_MAX_POINTS } from '../contract/sim-over-time.js';

export const FLUSH_POLICIES = ['every-poll', 'every-k', 'timeout', 'adaptive'] as const;
export type FlushPolicy = (typeof FLUSH_POLICIES)[number];
export const RECEIVER_DOMAINS = ['guest', 'dom0'] as const;
export type ReceiverDomain = (typeof RECEIVER_DOMAINS)[number];

/** Fully resolved parameters; field names are the stable knob names. */
export interface Params {
  // --- mechanism switches (the only things the five systems differ by) ---
  lro: boolean;
  netfront_lro: boolean;
  tx_irq: boolean;
  lro_gso_size: boolean;
  flush_policy: FlushPolicy;
  flush_every_polls: number;
  flush_timeout_us: number;
  lro_max_hold_us: number;
  flush_push: boolean;
  lro_max_aggr: number;
  bridge_copy: boolean;
  receiver: ReceiverDomain;
  dom0_netloop: boolean;
  xen_cycles_in_domains: boolean;
  sched_credit_debit: boolean;
  dom0_first: boolean;
  // --- scenario ---
  mtu: number;
  link_mbps: number;
  cpu_ghz: number;
  message_bytes: number;
  guests: number;
  duration_s: number;
  warmup_s: number;
  trace_ms: number;
  rr_request_bytes: number;
  rr_response_bytes: number;
  recv_bytes: number;
  rcvbuf_bytes: number;
  nic_ring: number;
  napi_weight: number;
  netdev_budget: number;
  vif_queue: number;
  guest_ring: number;
  delack_ms: number;
  link_latency_us: number;
  rx_irq_delay_us: number;
  rx_irq_frames: number;
  // --- sender and client (not CPU-modelled in detail: a CPU server with these service times) ---
  snd_us_per_seg: number;
  sndbuf_bytes: number;
  snd_us_per_msg: number;
  snd_us_per_ack: number;
  l_ext_us: number;
  // --- receiver costs, cycles (c_*) or cycles per byte (k_*) ---
  c_hirq: number;
  c_poll: number;
  c_rxd: number;
  c_lro_p: number;
  c_lro_f: number;
  c_tcprx: number;
  c_acktx: number;
  c_ntx: number;
  c_wake: number;
  k_user: number;
  k_warm: number;
  m_align: number;
  c_pirq: number;
  c_br: number;
  c_nbx: number;
  c_netloop: number;
  c_nbt: number;
  c_nbr: number;
  c_gop: number;
  k_gcopy: number;
  c_evs: number;
  c_up: number;
  c_nbtx: number;
  c_dsw: number;
  c_pol: number;
  c_nfr: number;
  c_nff: number;
  c_nft: number;
  c_hog_chunk: number;
}

export type ParamName = keyof Params;
type Kind = 'switch' | 'enum' | 'int' | 'number';

export interface ParamSpec {
  name: ParamName;
  kind: Kind;
  unit: string;
  doc: string;
  min?: number;
  max?: number;
  values?: readonly string[];
  /** Calibration group for cost parameters (model-notes §6); undefined = not fitted. */
  group?: CostGroup;
  /**
   * What the knob is, in a few words, for an axis title ("flush at the k-th poll end"), where `doc`
   * does not open with that; without it a title takes doc's opening clause (core/contract/metric-labels.ts).
   */
  short?: string;
}

/**
 * Calibration groups: driver IRQ/poll work, kernel per-skb stack work (TCP, bridge, netback),
 * kernel copies per byte, hypervisor per-operation costs (grant-copy op, event channel), the
 * hypervisor's per-byte grant copy (scales with bytes, not with packets or notifications, so
 * TCP_STREAM and TCP_RR weigh it differently from the per-op costs), the hypervisor's physical-IRQ
 * path (paid per IRQ by every system, Linux in dom0 included, so fitted apart from the rest),
 * domain switch + cache refill, netfront, and the sender host.
 */
export const COST_GROUPS = ['irq_poll', 'stack', 'copy', 'xen', 'gcopy', 'pirq', 'switch', 'netfront', 'sender'] as const;
export type CostGroup = (typeof COST_GROUPS)[number];

const sw = (name: ParamName, doc: string): ParamSpec => ({ name, kind: 'switch', unit: 'on/off', doc });
const num = (name: ParamName, unit: string, min: number, max: number, doc: string, group?: CostGroup): ParamSpec =>
  group === undefined ? { name, kind: 'number', unit, min, max, doc } : { name, kind: 'number', unit, min, max, doc, group };
const int = (name: ParamName, unit: string, min: number, max: number, doc: string): ParamSpec => ({
  name,
  kind: 'int',
  unit,
  min,
  max,
  doc,
});

/** Short meanings (ParamSpec.short) of the knobs whose doc opens with something else. */
const SHORT_MEANINGS: Partial<Record<ParamName, string>> = {
  flush_every_polls: 'flush at the k-th poll end',
  flush_timeout_us: 'aggregate age that triggers a flush',
  lro_max_hold_us: 'longest an aggregate is held (every-k)',
  lro_max_aggr: 'most packets in one aggregate',
  guests: 'extra CPU-bound guests on the core',
  trace_ms: 'trace interval (observation only)',
  rx_irq_delay_us: 'receive interrupt moderation timer',
  rx_irq_frames: 'frames that raise a moderated interrupt',
  snd_us_per_seg: 'sender CPU time per segment',
  l_ext_us: 'TCP_RR client turnaround',
  m_align: 'copy cost multiplier for chained fragments',
  c_pirq: 'Xen physical IRQ, event to dom0, EOI',
  c_br: 'bridge forwarding per skb',
  c_pol: 'cache/TLB refill after another domain ran',
  c_nff: 'netfront RX buffer re-posted',
};

const SPECS: readonly ParamSpec[] = [
  sw('lro', 'software LRO (inet_lro, skb mode) in the physical NIC driver'),
  sw(
    'netfront_lro',
    "inet_lro in the guest's netfront as well (what-if, off in the five systems): in-sequence skbs of one netfront poll, aggregates included, are merged up to lro_max_aggr skbs or 65535 − MTU bytes and flushed at the poll's end, so guest TCP sees fewer, larger skbs and ACKs less often",
  ),
  sw('lro_gso_size', 'inet_lro sets gso_size = MSS on an aggregate (on), so guest TCP ACKs every aggregate of ≥ 2 MSS; off: rcv_mss follows the aggregate length (tcp_measure_rcv_mss on skb->len), so guest TCP ACKs after more than one aggregate or when the reader drains the queue (stretch ACKs)'),
  sw('tx_irq', 'r8169 TxOK interrupts (what-if, off in the five systems): a transmitted frame (an ACK, a response) raises the NIC interrupt when it is unmasked, and the poll that follows reaps it and, finding few frames, flushes LRO early'),
  {
    name: 'flush_policy',
    kind: 'enum',
    unit: '',
    values: FLUSH_POLICIES,
    doc: 'when held LRO aggregates are flushed: every-poll; every-k (after k poll ends, k=flush_every_polls; k=1 is every-poll); timeout (at poll end once older than flush_timeout_us, or by timer); adaptive (k polls, timeout, or at once when the ring is empty and the flow\'s next packet — from the mean gap between its packets — is due only after the timeout)',
  },
  int('flush_every_polls', 'polls', 1, 64, 'k for every-k / adaptive: an aggregate is flushed at the k-th poll end since it started'),
  num('flush_timeout_us', 'µs', 1, 1e5, 'aggregate age that triggers a flush in the timeout and adaptive policies (also armed as a timer)'),
  num('lro_max_hold_us', 'µs', 10, 1e6, 'safety timer for every-k: a held aggregate is flushed by a dom0 timer after this long even if no poll comes'),
  sw('flush_push', 'flush at poll end an aggregate whose last segment is shorter than the MSS (a pushed, message-ending segment): keeps TCP_RR from waiting'),
  int('lro_max_aggr', 'packets', 1, 64, 'inet_lro max_aggr: flush when an aggregate holds this many packets (also flushed above 65535 − MTU bytes)'),
  sw('bridge_copy', 'bridge linearises chained aggregates (skb_copy_bits) before netback; off = backend optimisation (BO)'),
  { name: 'receiver', kind: 'enum', unit: '', values: RECEIVER_DOMAINS, doc: 'where netserver runs: guest (behind netback/netfront) or dom0 (native Linux path)' },
  sw('dom0_netloop', "Xen 3.1 network-bridge: dom0's own traffic crosses the bridge and the vif0.0/veth0 netloop pair (applies when receiver=dom0)"),
  sw('sched_credit_debit', 'credit scheduler debits the vCPU found running at each 10 ms tick (UNDER/OVER priorities); off = BOOST on wake only, no OVER state'),
  sw('dom0_first', 'dom0 preempts the guest whenever it has work (dom0 above every guest priority); off = credit priorities decide'),
  sw('xen_cycles_in_domains', 'attribute hypervisor-context cycles to the domain they served (off = separate "xen" bucket, Xenoprof style; the tables exclude it)'),
  int('mtu', 'bytes', 576, 9000, 'link MTU; MSS = MTU − 52 (IP + TCP with timestamps)'),
  num('link_mbps', 'Mbit/s', 10, 1e5, 'link rate (full duplex)'),
  num('cpu_ghz', 'GHz', 0.5, 10, 'receiver core clock; cycles are converted to time with it'),
  int('message_bytes', 'bytes', 1, 1 << 20, 'netperf send() size (TCP_STREAM); sender cost per send() call'),
  int('guests', 'domains', 0, 16, 'extra CPU-bound guest domains sharing the one core'),
  num('duration_s', 's', 0.001, 600, 'simulated measurement time after warm-up'),
  num('warmup_s', 's', 0, 60, 'simulated warm-up discarded before measuring'),
  num('trace_ms', 'ms', 0, 60_000, 'observation only (0 = off): the run over time — throughput, TCP_RR rate, LRO rate and CPU share per domain every trace_ms of simulated time, warm-up included; the run itself is unchanged'),
  int('rr_request_bytes', 'bytes', 1, 65536, 'TCP_RR request size'),
  int('rr_response_bytes', 'bytes', 1, 65536, 'TCP_RR response size'),
  int('recv_bytes', 'bytes', 1, 1 << 22, 'netserver recv() size (netperf default: the initial SO_RCVBUF, 87380)'),
  int('rcvbuf_bytes', 'bytes', 4096, 1 << 24, 'receive socket buffer: advertised window = rcvbuf − unread data'),
  int('nic_ring', 'descriptors', 16, 4096, 'r8169 RX ring size (frames beyond are dropped)'),
  int('napi_weight', 'frames', 1, 1024, 'NAPI quota per poll (r8169 and netfront weight 64)'),
  int('netdev_budget', 'frames', 1, 10000, 'net_rx_action budget per softirq run; when spent, tasklets run before polling resumes'),
  int('vif_queue', 'skbs', 1, 10000, 'vif tx_queue_len: skbs held while the guest ring lacks slots; more are dropped'),
  int('guest_ring', 'slots', 8, 4096, 'netfront RX ring slots (buffers posted to netback)'),
  num('delack_ms', 'ms', 1, 500, 'delayed-ACK timeout'),
  num('link_latency_us', 'µs', 0, 1000, 'one-way PHY + cable latency'),
  num(
    'rx_irq_delay_us',
    'µs',
    0,
    1000,
    'r8169 receive interrupt moderation, the IntrMitigate timer (what-if; 0 = off, as the 2.6.18 driver writes it): a frame arriving while the interrupt is unmasked starts the timer, and the interrupt is raised when it expires or once rx_irq_frames frames wait, so each poll finds more frames',
  ),
  int('rx_irq_frames', 'frames', 1, 1024, 'with rx_irq_delay_us > 0: frames waiting in the RX ring that raise the interrupt before the timer expires (IntrMitigate packet count)'),
  num('snd_us_per_seg', 'µs', 0.1, 100, 'sender CPU time per TCP segment built and transmitted', 'sender'),
  int('sndbuf_bytes', 'bytes', 2048, 1 << 24, 'sender socket send buffer (written but unacknowledged data)'),
  num('snd_us_per_msg', 'µs', 0, 100, 'sender CPU time per netperf send() call (1 per message_bytes)', 'sender'),
  num('snd_us_per_ack', 'µs', 0, 100, 'sender CPU time per ACK received (tcp_ack, cwnd update, buffer free)', 'sender'),
  num('l_ext_us', 'µs', 0, 10000, 'TCP_RR: client turnaround (netperf client, its NIC and stack) per transaction'),
  num('c_hirq', 'cycles/IRQ', 100, 1e5, 'rtl8169_interrupt: IRQ entry, handler, NAPI schedule', 'irq_poll'),
  num('c_poll', 'cycles/poll', 100, 1e5, 'net_rx_action + rtl8169_poll fixed cost per poll (mask/unmask, TX reap)', 'irq_poll'),
  num('c_rxd', 'cycles/frame', 100, 1e5, 'rtl8169_rx_interrupt per frame (descriptor, skb refill, DMA unmap)', 'irq_poll'),
  num('c_lro_p', 'cycles/frame', 10, 1e5, 'lro_receive_skb per frame', 'irq_poll'),
  num('c_lro_f', 'cycles/flush', 10, 1e5, 'lro_flush per aggregate', 'irq_poll'),
  num('c_tcprx', 'cycles/skb', 100, 1e5, 'tcp_v4_rcv (IP + TCP receive) per delivered skb', 'stack'),
  num('c_acktx', 'cycles/ACK', 100, 1e5, 'tcp_send_ack: build and send one ACK (or the RR response)', 'stack'),
  num('c_ntx', 'cycles/frame', 100, 1e5, 'rtl8169_start_xmit per transmitted frame', 'irq_poll'),
  num('c_wake', 'cycles/call', 100, 1e5, 'sys_recvfrom + schedule: one netserver recv() call incl. wake-up', 'stack'),
  num('k_user', 'cycles/byte', 0.05, 20, '__copy_to_user_ll: copy to user space', 'copy'),
  num('k_warm', 'cycles/byte', 0.01, 20, 'skb_copy_bits: in-kernel cache-warm copy (bridge linearise, netbk_copy_skb)', 'copy'),
  num('m_align', '×', 0.5, 4, 'copy_to_user cost multiplier for data that arrived as chained fragments (BO layout)'),
  num('c_pirq', 'cycles/IRQ', 100, 1e5, 'Xen: physical IRQ, event to dom0, EOI hypercall', 'pirq'),
  num('c_br', 'cycles/skb', 100, 1e5, 'br_handle_frame / br_forward per skb incl. netfilter hooks', 'stack'),
  num('c_nbx', 'cycles/skb', 100, 1e5, 'netif_be_start_xmit per skb', 'stack'),
  num('c_netloop', 'cycles/skb', 100, 1e5, 'netloop loopback_start_xmit (vif0.0 → veth0) per skb, dom0 traffic only', 'stack'),
  num('c_nbt', 'cycles/run', 100, 1e5, 'netback net_rx_action tasklet fixed cost per run (multicall set-up)', 'stack'),
  num('c_nbr', 'cycles/skb', 100, 1e5, 'netback net_rx_action per skb (gop set-up, response)', 'stack'),
  num('c_gop', 'cycles/op', 100, 1e5, 'Xen gnttab_copy per grant-copy operation', 'xen'),
  num('k_gcopy', 'cycles/byte', 0.05, 20, 'Xen gnttab_copy per byte', 'gcopy'),
  num('c_evs', 'cycles/notify', 100, 1e5, 'Xen evtchn_send per notification', 'xen'),
  num('c_up', 'cycles/upcall', 100, 1e5, 'guest evtchn_do_upcall per event delivery', 'netfront'),
  num('c_nbtx', 'cycles/pkt', 100, 1e5, 'netback net_tx_action per guest packet (ACK/response)', 'stack'),
  num('c_dsw', 'cycles/switch', 100, 1e6, 'Xen context_switch: one change of the vCPU on the core', 'switch'),
  num('c_pol', 'cycles/switch', 0, 1e6, 'cache/TLB refill charged to a domain entered after another domain ran', 'switch'),
  num('c_nfr', 'cycles/skb', 100, 1e5, 'netfront netif_poll per received response', 'netfront'),
  num('c_nff', 'cycles/buffer', 10, 1e5, 'netfront network_alloc_rx_buffers per buffer re-posted', 'netfront'),
  num('c_nft', 'cycles/pkt', 100, 1e5, 'netfront network_start_xmit per packet sent (ACK/response)', 'netfront'),
  num('c_hog_chunk', 'cycles', 1000, 1e8, 'work a busy guest does between scheduling points'),
];

export const PARAM_SPECS: readonly ParamSpec[] = SPECS.map((s) => {
  const short = SHORT_MEANINGS[s.name];
  return short === undefined ? s : { ...s, short };
});

export const PARAM_SPEC_BY_NAME: ReadonlyMap<string, ParamSpec> = new Map(PARAM_SPECS.map((s) => [s.name, s]));

/**
 * Priors (model-notes §4). Calibration multiplies cost groups; these are the starting point and the
 * fallback when no calibrated-params.json exists.
 */
export const DEFAULT_PARAMS: Params = {
  lro: true,
  netfront_lro: false,
  tx_irq: false,
  lro_gso_size: true,
  flush_policy: 'every-k',
  flush_every_polls: 1,
  flush_timeout_us: 50,
  lro_max_hold_us: 1000,
  flush_push: true,
  lro_max_aggr: 64,
  bridge_copy: true,
  receiver: 'guest',
  dom0_netloop: true,
  xen_cycles_in_domains: false,
  sched_credit_debit: true,
  dom0_first: true,
  mtu: 1500,
  link_mbps: 1000,
  cpu_ghz: 3,
  message_bytes: 1024,
  guests: 0,
  duration_s: 0.15,
  warmup_s: 0.03,
  trace_ms: 0,
  rr_request_bytes: 1,
  rr_response_bytes: 1,
  recv_bytes: 87380,
  rcvbuf_bytes: 87380,
  nic_ring: 256,
  napi_weight: 64,
  netdev_budget: 300,
  vif_queue: 32,
  guest_ring: 256,
  delack_ms: 40,
  link_latency_us: 1,
  rx_irq_delay_us: 0,
  rx_irq_frames: 64,
  snd_us_per_seg: 1.5,
  sndbuf_bytes: 131072,
  snd_us_per_msg: 9,
  snd_us_per_ack: 2,
  l_ext_us: 140,
  c_hirq: 2500,
  c_poll: 1500,
  c_rxd: 1500,
  c_lro_p: 400,
  c_lro_f: 800,
  c_tcprx: 4000,
  c_acktx: 4000,
  c_ntx: 1500,
  c_wake: 4000,
  k_user: 2,
  k_warm: 0.5,
  m_align: 1.15,
  c_pirq: 3000,
  c_br: 2500,
  c_nbx: 1000,
  c_netloop: 1000,
  c_nbt: 3000,
  c_nbr: 1000,
  c_gop: 1500,
  k_gcopy: 1,
  c_evs: 1000,
  c_up: 1500,
  c_nbtx: 6000,
  c_dsw: 3000,
  c_pol: 10000,
  c_nfr: 1500,
  c_nff: 800,
  c_nft: 2000,
  c_hog_chunk: 300000,
};

export type Overrides = Record<string, string | number | boolean>;

export class ParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParamError';
  }
}

const SWITCH_TRUE = new Set(['on', 'true', '1', 'yes']);
const SWITCH_FALSE = new Set(['off', 'false', '0', 'no']);

const switchSchema = z.union([z.boolean(), z.number(), z.string()]).transform((v, ctx): boolean => {
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (SWITCH_TRUE.has(s)) return true;
  if (SWITCH_FALSE.has(s)) return false;
  ctx.addIssue({ code: 'custom', message: 'expected on/off, true/false or 1/0' });
  return z.NEVER;
});

/** Decimal notation only: Number() would also read '0x10' as 16, '0b11' as 3 and '' as 0. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function numberSchema(spec: ParamSpec): z.ZodType<number> {
  const min = spec.min ?? -Infinity;
  const max = spec.max ?? Infinity;
  return z.union([z.number(), z.string()]).transform((v, ctx): number => {
    const n = typeof v === 'number' ? v : DECIMAL.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message: `expected a number in [${min}, ${max}] ${spec.unit}` });
      return z.NEVER;
    }
    if (spec.kind === 'int' && !Number.isInteger(n)) {
      ctx.addIssue({ code: 'custom', message: `expected an integer in [${min}, ${max}] ${spec.unit}` });
      return z.NEVER;
    }
    if (n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `${n} is outside the allowed range [${min}, ${max}] ${spec.unit}` });
      return z.NEVER;
    }
    return n;
  });
}

function enumSchema(spec: ParamSpec): z.ZodType<string> {
  const values = spec.values ?? [];
  return z.union([z.string(), z.number(), z.boolean()]).transform((v, ctx): string => {
    const s = String(v).trim();
    if (values.includes(s)) return s;
    ctx.addIssue({ code: 'custom', message: `expected one of ${values.join(' | ')}, got "${s}"` });
    return z.NEVER;
  });
}

const SCHEMAS: ReadonlyMap<string, z.ZodType<unknown>> = new Map(
  PARAM_SPECS.map((s) => [
    s.name,
    (s.kind === 'switch' ? switchSchema : s.kind === 'enum' ? enumSchema(s) : numberSchema(s)) as z.ZodType<unknown>,
  ]),
);

/** Validates one knob value; throws ParamError naming the knob and what is allowed. */
export function parseKnob(name: string, value: string | number | boolean): Params[ParamName] {
  const schema = SCHEMAS.get(name);
  if (schema === undefined) {
    throw new ParamError(`unknown knob "${name}" (known: ${PARAM_SPECS.map((s) => s.name).join(', ')})`);
  }
  const r = schema.safeParse(value);
  if (!r.success) {
    const msg = r.error.issues.map((i) => i.message).join('; ');
    // an enum's own message already quotes the value ("expected one of …, got "x"")
    throw new ParamError(`knob "${name}": ${msg}${/, got "/.test(msg) ? '' : ` (got ${JSON.stringify(value)})`}`);
  }
  return r.data as Params[ParamName];
}

/** Base parameters with overrides applied (each validated). Returns a fresh object. */
export function applyOverrides(base: Params, set: Overrides | undefined): Params {
  const out: Params = { ...base };
  if (set === undefined) return out;
  // Sorted so the result does not depend on the caller's key order.
  for (const key of Object.keys(set).sort()) {
    const v = set[key];
    if (v === undefined) continue;
    (out as unknown as Record<string, unknown>)[key] = parseKnob(key, v);
  }
  return checkCombination(out);
}

/** Rules between knobs, checked after all are applied so the order of --set does not matter. */
function checkCombination(p: Params): Params {
  // The model's TCP sends whole segments only: a buffer smaller than one segment would stall the sender
  // at 0 Mbit/s, silently (the MSS is the MTU less 52 bytes of IPv4 + TCP headers with timestamps).
  const mss = p.mtu - 52;
  for (const k of ['rcvbuf_bytes', 'sndbuf_bytes'] as const) {
    if (p[k] < mss) throw new ParamError(`knob "${k}": ${p[k]} bytes is less than one segment (MSS ${mss} bytes at mtu ${p.mtu}); give at least ${mss}, or a smaller mtu`);
  }
  if (p.trace_ms > 0) {
    const points = Math.ceil(((p.warmup_s + p.duration_s) * 1e3) / p.trace_ms - 1e-9);
    if (points > TRACE_MAX_POINTS) {
      const least = ((p.warmup_s + p.duration_s) * 1e3) / TRACE_MAX_POINTS;
      throw new ParamError(
        `knob "trace_ms": ${p.trace_ms} ms gives ${points} intervals over warmup_s + duration_s = ${p.warmup_s + p.duration_s} s; at most ${TRACE_MAX_POINTS} are kept per run, so use trace_ms ≥ ${Number(least.toPrecision(3))}`,
      );
    }
  }
  return p;
}

/** Validates a full parameter object (e.g. one read from JSON). */
export function validateParams(p: Record<string, unknown>): Params {
  const out = { ...DEFAULT_PARAMS };
  for (const [k, v] of Object.entries(p)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new ParamError(`knob "${k}": expected a string, number or boolean`);
    }
    (out as unknown as Record<string, unknown>)[k] = parseKnob(k, v);
  }
  return checkCombination(out);
}

/** Parses `key=value` strings from the CLI. */
export function parseSetArgs(items: readonly string[]): Overrides {
  const out: Overrides = {};
  for (const it of items) {
    const eq = it.indexOf('=');
    if (eq <= 0) throw new ParamError(`--set expects key=value, got "${it}"`);
    const k = it.slice(0, eq).trim();
    const v = it.slice(eq + 1).trim();
    parseKnob(k, v);
    out[k] = v;
  }
  return out;
}
