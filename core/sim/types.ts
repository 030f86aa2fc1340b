import type { Params } from './params.js';

/** The five systems of the reference paper (duplicated here: model code must not import core/reference). */
export const SYSTEM_NAMES = ['Linux', 'Xen', 'LRO', 'BO', 'DA'] as const;
export type SystemName = (typeof SYSTEM_NAMES)[number];
export type WorkloadName = 'stream' | 'rr';

export interface RunRequest {
  system: SystemName;
  /** Knob overrides applied on top of the system preset (validated; strings allowed). */
  set?: Record<string, string | number | boolean>;
  seed: number;
  workload?: WorkloadName;
  /** Shared parameter set to use instead of the calibrated one (switches still come from the system). */
  parameterSet?: Params;
  /** Also return `cost_uses` (for the implied-cost analysis of calibration; off in normal runs). */
  costUses?: boolean;
  /**
   * Shared with the caller's thread: its first Int32 holds the permille of simulated time done, and
   * setting a second Int32 (an 8-byte buffer) to non-zero cancels the run (ReceivePath.run). Not part
   * of the run's identity: the result is the same with or without it.
   */
  progress?: SharedArrayBuffer;
}

/** Use counts of each named cost (calls, frames or bytes) summed per domain over the measured window. */
export type CostUses = Record<'dom0' | 'guest' | 'xen' | 'other_guests', Record<string, number>>;

export interface CyclesPerByte {
  driver: number | null;
  guest: number | null;
  /** null when the window delivered no bytes: there are no cycles per byte (0 read as a perfect result). */
  total: number | null;
}

export interface FlushLatency {
  mean: number;
  p50: number;
  p99: number;
}

export interface FunctionCycles {
  domain: string;
  function: string;
  cycles: number;
  /** Share of all busy cycles in the measurement window. */
  share: number;
}

export interface RunResult {
  model_version: string;
  system: SystemName;
  workload: WorkloadName;
  seed: number;
  parameters: Params;
  /** Application-level goodput (bytes read by netserver), Mbit/s. */
  throughput_mbps: number;
  /** oprofile-style cycles per transferred byte; hypervisor cycles excluded unless xen_cycles_in_domains. */
  cycles_per_byte: CyclesPerByte;
  lro_rate: number | null;
  rr_transactions_per_s: number | null;
  flush_latency_us: FlushLatency | null;
  cpu_busy_share: { dom0: number; guest: number; xen: number; other_guests: number; idle: number };
  cycles_by_function: FunctionCycles[];
  drops: { nic_ring: number; vif_queue: number; tcp_out_of_order: number };
  acks_per_segment: number;
  events: number;
  simulated_s: number;
  diagnostics: {
    /** null when no bytes were delivered. */
    xen_cycles_per_byte: number | null;
    irqs_per_s: number;
    polls_per_s: number;
    packets_per_poll: number;
    notifications_per_s: number;
    domain_switches_per_s: number;
    netback_runs_per_s: number;
    retransmitted_segments: number;
    /** Losses the sender (TCP_RR: the client) recovered by three duplicate ACKs, and by its retransmission timer (0.2–0.4 s each). */
    fast_retransmits: number;
    retransmission_timeouts: number;
    data_segments_per_s: number;
    /** skbs per aggregate flushed by netfront's LRO (switch netfront_lro); null when it is off. */
    netfront_lro_rate: number | null;
    /** Drops (all places) during the warm-up, which `drops` and the figures leave out. */
    warmup_drops: number;
  };
  /** Present when the request asked for it (RunRequest.costUses). */
  cost_uses?: CostUses;
  /** The run over time, warm-up included; present when trace_ms > 0. */
  over_time?: SimOverTime;
}

/**
 * Per trace_ms interval of simulated time: what the run's figures were within it. Rates are per
 * interval length (the last interval may be shorter); CPU shares count cycles when their work item
 * starts, so a share can pass 1 by a work item's length at an interval's edge.
 */
export interface SimOverTime {
  interval_ms: number;
  /** Where warm-up ended (the reported figures cover warmup_s … warmup_s + duration_s). */
  warmup_s: number;
  /** End of each interval, seconds since the run started. */
  t_s: number[];
  throughput_mbps: number[];
  /** TCP_RR runs only. */
  rr_transactions_per_s: number[] | null;
  /** Packets per aggregate flushed in the interval (null where none was flushed); null without LRO. */
  lro_rate: (number | null)[] | null;
  cpu_busy_share: { dom0: number[]; guest: number[]; xen: number[]; other_guests: number[] };
}

/** STREAM result with the RR run's transaction rate merged in (what `reproduce` reports per system). */
export interface SystemResult extends RunResult {
  rr_seed: number;
  rr_events: number;
}
