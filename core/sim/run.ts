/**
 * One simulation run: resolve parameters (system preset + overrides), run the receive-path model,
 * and turn its raw event counts into the reported result. Pure and synchronous (the worker pool
 * calls it); the same request always yields the same result.
 */
import { COSTS, DOMAIN_NAMES, FUNCS } from './model/accounting.js';
import { DOM_DOM0, DOM_GUEST, DOM_OTHER, DOM_XEN, ReceivePath, RunCancelled, type RawRun } from './model/receive-path.js';
import { presetParams } from './systems.js';
import { SYSTEM_NAMES, type CostUses, type RunRequest, type RunResult, type SimOverTime, type SystemResult, type SystemName, type WorkloadName } from './types.js';
import { TR_BYTES, TR_CYC, TR_LEN, TR_LRO_AGG, TR_LRO_FLUSHED, TR_RR, type RawTrace } from './model/trace.js';
import { MODEL_VERSION } from './version.js';
import { ParamError, type Params } from './params.js';

export function runSimulation(req: RunRequest): RunResult {
  const control = req.progress ? new Int32Array(req.progress, 0, Math.min(2, req.progress.byteLength >> 2)) : undefined;
  // a run cancelled while it waited in the pool's queue stops before it allocates anything
  if (control !== undefined && control.length > 1 && Atomics.load(control, 1) !== 0) throw new RunCancelled();
  // the API validates the name; a direct caller (a script, a test, a hand-written Slurm task) gets
  // the same answer instead of a run of no system's switches
  if (!(SYSTEM_NAMES as readonly string[]).includes(req.system)) {
    throw new Error(`unknown system ${JSON.stringify(req.system)}: one of ${SYSTEM_NAMES.join(', ')}`);
  }
  const params = presetParams(req.system, req.parameterSet, req.set);
  const workload: WorkloadName = req.workload ?? 'stream';
  // The TCP_RR client puts a whole request on the wire at once, with no receive window to wait for: a
  // request larger than the server's buffer would overrun it, which real TCP never does. (A stream run
  // does not use the knob: a saved set with both is fine there.)
  if (workload === 'rr' && params.rr_request_bytes > params.rcvbuf_bytes) {
    throw new ParamError(
      `knob "rr_request_bytes": ${params.rr_request_bytes} bytes is more than the server's receive buffer (rcvbuf_bytes ${params.rcvbuf_bytes}); the model's TCP_RR client paces a request by its congestion window only, not by the server's receive window, so give at most ${params.rcvbuf_bytes} or a larger rcvbuf_bytes`,
    );
  }
  const raw = new ReceivePath(params, req.seed, workload).run(control);
  const result = assemble(req.system, workload, req.seed, params, raw);
  if (req.costUses === true) result.cost_uses = costUsesByDomain(raw.costUses);
  return result;
}

/** Sums the per-function cost ledger into one row per domain (zero counts left out). */
export function costUsesByDomain(uses: Float64Array): CostUses {
  const out: CostUses = { dom0: {}, guest: {}, xen: {}, other_guests: {} };
  FUNCS.forEach(([d], fn) => {
    const row = out[DOMAIN_NAMES[d] as keyof CostUses];
    COSTS.forEach((k, i) => {
      const n = uses[fn * COSTS.length + i] as number;
      if (n !== 0) row[k] = (row[k] ?? 0) + n;
    });
  });
  return out;
}

/** STREAM and RR for one system (separate runs: TCP_RR is its own closed loop), merged. */
export function runSystem(
  system: SystemName,
  set: Record<string, string | number | boolean> | undefined,
  seed: number,
  parameterSet?: Params,
): SystemResult {
  const base = { system, seed, ...(set === undefined ? {} : { set }), ...(parameterSet === undefined ? {} : { parameterSet }) };
  const stream = runSimulation({ ...base, workload: 'stream' });
  const rr = runSimulation({ ...base, workload: 'rr' });
  return mergeStreamRr(stream, rr);
}

export function mergeStreamRr(stream: RunResult, rr: RunResult): SystemResult {
  return { ...stream, rr_transactions_per_s: rr.rr_transactions_per_s, rr_seed: rr.seed, rr_events: rr.events };
}

function assemble(system: SystemName, workload: WorkloadName, seed: number, p: Params, r: RawRun): RunResult {
  const T = r.simulatedS;
  const cyc = r.cyclesByFunction;
  const dom = new Float64Array(DOMAIN_NAMES.length);
  let busy = 0;
  for (let i = 0; i < FUNCS.length; i++) {
    const d = (FUNCS[i] as readonly [number, string])[0];
    const c = cyc[i] as number;
    dom[d] = (dom[d] as number) + c;
    busy += c;
  }
  const bytes = r.bytesDelivered;
  // no bytes delivered, no cycles per byte: null (a 0 read as a perfect result)
  const perByte = (c: number): number | null => (bytes > 0 ? c / bytes : null);
  const inDomains = p.xen_cycles_in_domains;
  const d0 = (dom[DOM_DOM0] as number) + (inDomains ? r.xenForDom0 : 0);
  const dg = (dom[DOM_GUEST] as number) + (inDomains ? r.xenForGuest : 0);
  const native = p.receiver === 'dom0';
  const capacity = T * r.hz;
  const cyclesByFunction = FUNCS.map(([d, name], i) => ({
    domain: DOMAIN_NAMES[d] as string,
    function: name,
    cycles: cyc[i] as number,
    share: busy > 0 ? (cyc[i] as number) / busy : 0,
  }))
    .filter((f) => f.cycles > 0)
    .sort((a, b) => b.cycles - a.cycles || (a.function < b.function ? -1 : 1));
  const xen = dom[DOM_XEN] as number;
  return {
    model_version: MODEL_VERSION,
    system,
    workload,
    seed,
    parameters: p,
    throughput_mbps: (bytes * 8) / T / 1e6,
    cycles_per_byte: {
      driver: native ? null : perByte(d0),
      guest: native ? null : perByte(dg),
      total: native ? perByte(d0) : perByte(d0 + dg),
    },
    // null, not 0, when no aggregate was flushed in the window: there is no rate to report
    lro_rate: p.lro && r.lroFlushed > 0 ? r.lroAggregated / r.lroFlushed : null,
    rr_transactions_per_s: workload === 'rr' ? r.rrTransactions / T : null,
    flush_latency_us: p.lro ? r.flushLatencyUs : null,
    cpu_busy_share: {
      dom0: (dom[DOM_DOM0] as number) / capacity,
      guest: (dom[DOM_GUEST] as number) / capacity,
      xen: xen / capacity,
      other_guests: (dom[DOM_OTHER] as number) / capacity,
      idle: Math.max(0, 1 - busy / capacity),
    },
    cycles_by_function: cyclesByFunction,
    drops: r.drops,
    acks_per_segment: r.dataSegments > 0 ? r.acksSent / r.dataSegments : 0,
    events: r.events,
    simulated_s: T,
    diagnostics: {
      xen_cycles_per_byte: perByte(xen),
      irqs_per_s: r.irqs / T,
      polls_per_s: r.polls / T,
      packets_per_poll: r.polls > 0 ? r.dataSegments / r.polls : 0,
      notifications_per_s: r.notifications / T,
      domain_switches_per_s: r.switches / T,
      netback_runs_per_s: r.netbackRuns / T,
      retransmitted_segments: r.retransmits,
      fast_retransmits: r.fastRetransmits,
      retransmission_timeouts: r.timeouts,
      data_segments_per_s: r.dataSegments / T,
      netfront_lro_rate: p.netfront_lro && r.nfLroFlushed > 0 ? r.nfLroAggregated / r.nfLroFlushed : null,
      warmup_drops: r.warmupDrops,
    },
    ...(r.trace === null ? {} : { over_time: overTimeOf(workload, p, r.hz, r.trace) }),
  };
}

/** The trace's per-interval counter increases as rates and shares (see SimOverTime). */
function overTimeOf(workload: WorkloadName, p: Params, hz: number, tr: RawTrace): SimOverTime {
  const n = tr.t.length;
  const col = (k: number, f: (v: number, dt: number) => number): number[] =>
    Array.from({ length: n }, (_, i) => f(tr.deltas[i * TR_LEN + k] as number, (tr.t[i] as number) - (i > 0 ? (tr.t[i - 1] as number) : 0)));
  const share = (d: number): number[] => col(TR_CYC + d, (c, dt) => (dt > 0 ? c / (dt * hz) : 0));
  return {
    interval_ms: p.trace_ms,
    warmup_s: p.warmup_s,
    t_s: tr.t.slice(),
    throughput_mbps: col(TR_BYTES, (b, dt) => (dt > 0 ? (b * 8) / dt / 1e6 : 0)),
    rr_transactions_per_s: workload === 'rr' ? col(TR_RR, (x, dt) => (dt > 0 ? x / dt : 0)) : null,
    lro_rate: p.lro
      ? Array.from({ length: n }, (_, i) => {
          const f = tr.deltas[i * TR_LEN + TR_LRO_FLUSHED] as number;
          return f > 0 ? (tr.deltas[i * TR_LEN + TR_LRO_AGG] as number) / f : null;
        })
      : null,
    cpu_busy_share: { dom0: share(DOM_DOM0), guest: share(DOM_GUEST), xen: share(DOM_XEN), other_guests: share(DOM_OTHER) },
  };
}
