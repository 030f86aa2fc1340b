/**
 * The flush-policy trade-off (issue 7, item 2): throughput against aggregation-to-flush latency for
 * every-k (k = 1…8), timeout and adaptive policies at several load levels, and whether an adaptive
 * policy Pareto-dominates every fixed k (no less throughput and no more latency than each k, strictly
 * better in one of the two) at some load. Runs through the sweep engine, so repeated calls are served
 * from the store.
 */
import type { IntervalSummary } from '../contract/index.js';
import type { Db } from '../store/db.js';
import { runSweep } from './engine.js';
import type { KnobSet, KnobValue, SimBackend, SweepOptions, SystemName, Workload } from './types.js';

export interface PolicySpec {
  /** e.g. "every-k k=2", "timeout 50 µs", "adaptive k=8 ≤100 µs". */
  label: string;
  family: 'every-k' | 'timeout' | 'adaptive';
  set: KnobSet;
}

export function defaultPolicies(): PolicySpec[] {
  const out: PolicySpec[] = [];
  for (let k = 1; k <= 8; k++) out.push({ label: `every-k k=${k}`, family: 'every-k', set: { flush_policy: 'every-k', flush_every_polls: k } });
  for (const t of [25, 50, 100, 200]) out.push({ label: `timeout ${t} µs`, family: 'timeout', set: { flush_policy: 'timeout', flush_timeout_us: t } });
  for (const t of [25, 50, 100, 200]) {
    out.push({ label: `adaptive k=8 ≤${t} µs`, family: 'adaptive', set: { flush_policy: 'adaptive', flush_every_polls: 8, flush_timeout_us: t } });
  }
  return out;
}

export interface TradeoffSpec {
  system: SystemName;
  workload: Workload;
  /** Knobs applied to every point (e.g. duration_s). */
  set: KnobSet;
  /** The load knob and its levels, e.g. link_mbps 250/500/1000. */
  load: { key: string; values: KnobValue[] };
  seeds: number;
  policies: PolicySpec[];
  throughputMetric: string;
  latencyMetric: string;
}

export function defaultTradeoffSpec(): TradeoffSpec {
  return {
    system: 'LRO',
    workload: 'stream',
    set: {},
    load: { key: 'link_mbps', values: [250, 500, 1000] },
    seeds: 3,
    policies: defaultPolicies(),
    throughputMetric: 'throughput_mbps',
    latencyMetric: 'flush_latency_us.mean',
  };
}

export interface TradeoffPoint {
  policy: string;
  family: PolicySpec['family'];
  set: KnobSet;
  load: KnobValue;
  throughput: IntervalSummary;
  latency: IntervalSummary;
  cyclesPerByte?: IntervalSummary;
  runIds: number[];
}

export type Relation = 'dominates' | 'dominated' | 'equal' | 'trade-off';

export interface AdaptiveVerdict {
  adaptive: string;
  load: KnobValue;
  /** Relation of the adaptive policy to each fixed k. */
  vsK: { k: string; relation: Relation; throughputGain: number; latencyGain: number; significant: boolean }[];
  beatsEveryK: boolean;
}

export interface TradeoffResult {
  system: SystemName;
  workload: Workload;
  loadKey: string;
  throughputMetric: string;
  latencyMetric: string;
  seeds: number;
  modelVersion: string;
  points: TradeoffPoint[];
  verdicts: AdaptiveVerdict[];
  /** Load levels at which some adaptive policy dominates every fixed k. */
  adaptiveWinsAt: KnobValue[];
  /** One paragraph: the answer, or why not. */
  note: string;
  simulated: number;
  cachedRuns: number;
}

/** a vs b on (throughput ↑, latency ↓), by means. */
export function relate(a: TradeoffPoint, b: TradeoffPoint): Relation {
  const dt = a.throughput.mean - b.throughput.mean;
  const dl = b.latency.mean - a.latency.mean;
  if (dt === 0 && dl === 0) return 'equal';
  if (dt >= 0 && dl >= 0) return 'dominates';
  if (dt <= 0 && dl <= 0) return 'dominated';
  return 'trade-off';
}

const NONE: IntervalSummary = { mean: Number.NaN, lo: Number.NaN, hi: Number.NaN, halfWidth: Number.NaN, n: 0 };

export async function runTradeoff(db: Db, backend: SimBackend, spec: TradeoffSpec, opts: SweepOptions = {}): Promise<TradeoffResult> {
  const points: TradeoffPoint[] = [];
  let simulated = 0;
  let cachedRuns = 0;
  const total = spec.policies.length * spec.load.values.length * spec.seeds;
  let before = 0;
  for (const pol of spec.policies) {
    const r = await runSweep(
      db,
      backend,
      { system: spec.system, workload: spec.workload, set: { ...spec.set, ...pol.set }, vary: [{ key: spec.load.key, values: spec.load.values }], seeds: spec.seeds },
      { ...opts, onProgress: (d) => opts.onProgress?.(before + d, total) },
    );
    before += spec.load.values.length * spec.seeds;
    simulated += r.simulated;
    cachedRuns += r.cachedRuns;
    for (const p of r.points) {
      const tp: TradeoffPoint = {
        policy: pol.label,
        family: pol.family,
        set: pol.set,
        load: p.values[spec.load.key] as KnobValue,
        throughput: p.metrics[spec.throughputMetric] ?? NONE,
        latency: p.metrics[spec.latencyMetric] ?? NONE,
        runIds: p.runIds,
      };
      const cpb = p.metrics['cycles_per_byte.total'];
      if (cpb) tp.cyclesPerByte = cpb;
      points.push(tp);
    }
  }
  const verdicts: AdaptiveVerdict[] = [];
  for (const load of spec.load.values) {
    const here = points.filter((p) => p.load === load);
    const ks = here.filter((p) => p.family === 'every-k');
    for (const a of here.filter((p) => p.family === 'adaptive')) {
      const vsK = ks.map((k) => {
        const relation = relate(a, k);
        const throughputGain = a.throughput.mean - k.throughput.mean;
        const latencyGain = k.latency.mean - a.latency.mean;
        // Strictly better beyond noise in at least one axis (differences larger than both half-widths).
        const significant =
          relation === 'dominates' &&
          (throughputGain > Math.max(a.throughput.halfWidth, k.throughput.halfWidth) || latencyGain > Math.max(a.latency.halfWidth, k.latency.halfWidth));
        return { k: k.policy, relation, throughputGain, latencyGain, significant };
      });
      verdicts.push({ adaptive: a.policy, load, vsK, beatsEveryK: vsK.length > 0 && vsK.every((v) => v.relation === 'dominates') });
    }
  }
  const adaptiveWinsAt = spec.load.values.filter((l) => verdicts.some((v) => v.load === l && v.beatsEveryK));
  return {
    system: spec.system,
    workload: spec.workload,
    loadKey: spec.load.key,
    throughputMetric: spec.throughputMetric,
    latencyMetric: spec.latencyMetric,
    seeds: spec.seeds,
    modelVersion: backend.modelVersion(),
    points,
    verdicts,
    adaptiveWinsAt,
    note: explain(spec, points, verdicts, adaptiveWinsAt),
    simulated,
    cachedRuns,
  };
}

function fmt(x: number, d = 1): string {
  return Number.isFinite(x) ? x.toFixed(d) : '–';
}

function explain(spec: TradeoffSpec, points: TradeoffPoint[], verdicts: AdaptiveVerdict[], winsAt: KnobValue[]): string {
  if (verdicts.length === 0) return 'No adaptive policy or no fixed k in the sweep: nothing to compare.';
  if (winsAt.length > 0) {
    const parts = winsAt.map((l) => {
      const vs = verdicts.filter((v) => v.load === l && v.beatsEveryK);
      const sig = vs.some((v) => v.vsK.every((x) => x.significant));
      return `${spec.load.key}=${String(l)}: ${vs.map((v) => v.adaptive).join(', ')}${sig ? ' (beyond the 95 % half-widths against every k)' : ' (by means; some differences are inside the 95 % intervals)'}`;
    });
    return `Yes: an adaptive policy has no less throughput and no more latency than every fixed k (strictly better in one) at ${parts.join('; ')}.`;
  }
  // Why not: for the best adaptive per load, name the k that it does not beat and on which axis.
  const reasons = spec.load.values.map((l) => {
    const vs = verdicts.filter((v) => v.load === l);
    const best = vs.reduce((a, b) => (b.vsK.filter((x) => x.relation === 'dominates').length > a.vsK.filter((x) => x.relation === 'dominates').length ? b : a));
    const lost = best.vsK.filter((x) => x.relation !== 'dominates');
    const adaptive = points.find((p) => p.load === l && p.policy === best.adaptive);
    const worst = lost
      .map((x) => `${x.k} (${x.throughputGain < 0 ? `${fmt(-x.throughputGain)} Mb/s more throughput` : ''}${x.throughputGain < 0 && x.latencyGain < 0 ? ' and ' : ''}${x.latencyGain < 0 ? `${fmt(-x.latencyGain)} µs less latency` : ''})`)
      .slice(0, 3)
      .join(', ');
    return `${spec.load.key}=${String(l)}: best adaptive ${best.adaptive} (${fmt(adaptive?.throughput.mean ?? Number.NaN)} Mb/s, ${fmt(adaptive?.latency.mean ?? Number.NaN)} µs) beats ${best.vsK.length - lost.length}/${best.vsK.length} fixed k; not ${worst}`;
  });
  return `No: at no load level does an adaptive policy dominate every fixed k. A single k is one point on the curve, so dominating all of them needs ≥ the throughput of the largest k at ≤ the latency of k=1; ${reasons.join('; ')}.`;
}

/** A compact text table for the CLI. */
export function formatTradeoff(r: TradeoffResult): string {
  const lines: string[] = [];
  lines.push(`Flush-policy trade-off: ${r.system} ${r.workload}, ${r.seeds} seeds per point, model ${r.modelVersion} (${r.simulated} simulated, ${r.cachedRuns} from the store)`);
  for (const l of [...new Set(r.points.map((p) => p.load))]) {
    lines.push('', `${r.loadKey} = ${String(l)}`);
    lines.push(`  ${'policy'.padEnd(24)} ${'throughput Mb/s'.padStart(20)} ${'latency µs'.padStart(20)} ${'cycles/byte'.padStart(12)}`);
    for (const p of r.points.filter((x) => x.load === l)) {
      const iv = (x: IntervalSummary): string => `${fmt(x.mean)} ± ${fmt(x.halfWidth)}`;
      lines.push(`  ${p.policy.padEnd(24)} ${iv(p.throughput).padStart(20)} ${iv(p.latency).padStart(20)} ${fmt(p.cyclesPerByte?.mean ?? Number.NaN, 2).padStart(12)}`);
    }
  }
  lines.push('', r.note);
  return `${lines.join('\n')}\n`;
}
