/**
 * The flush-policy trade-off (issue 7, item 2): throughput against aggregation-to-flush latency for
 * every-k (k = 1…8), timeout and adaptive policies at several load levels, and whether an adaptive
 * policy Pareto-dominates every fixed k (no less throughput and no more latency than each k, strictly
 * better in one of the two) at some load. Runs through the sweep engine, so repeated calls are served
 * from the store.
 */
import type { IntervalSummary } from '../contract/index.js';
import type { Db } from '../store/db.js';
import { loadMetrics, plan, runMissing, summarize } from './engine.js';
import { requestFor, seedList } from './grid.js';
import type { KnobSet, KnobValue, SimBackend, SweepOptions, SweepSpec, SystemName, Workload } from './types.js';

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

export interface LoadLevel {
  label: string;
  set: KnobSet;
}

/** `key=v1,v2` → one load level per value. */
export function loadsFromKnob(key: string, values: KnobValue[]): LoadLevel[] {
  return values.map((v) => ({ label: `${key}=${String(v)}`, set: { [key]: v } }));
}

export interface TradeoffSpec {
  system: SystemName;
  workload: Workload;
  /** Knobs applied to every point (e.g. duration_s). */
  set: KnobSet;
  /** Load levels: each a label and the knobs that make it (link rate, busy guests sharing the CPU, …). */
  loads: LoadLevel[];
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
    // Link-bound (500), CPU-bound (1000) and CPU-bound with busy guests sharing the core (consolidation).
    loads: [
      { label: 'link 500 Mb/s', set: { link_mbps: 500 } },
      { label: 'link 1000 Mb/s', set: { link_mbps: 1000 } },
      { label: '1000 Mb/s + 1 busy guest', set: { link_mbps: 1000, guests: 1 } },
      { label: '1000 Mb/s + 2 busy guests', set: { link_mbps: 1000, guests: 2 } },
    ],
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
  load: string;
  throughput: IntervalSummary;
  latency: IntervalSummary;
  cyclesPerByte?: IntervalSummary;
  runIds: number[];
}

export type Relation = 'dominates' | 'dominated' | 'equal' | 'trade-off';

export interface AdaptiveVerdict {
  adaptive: string;
  load: string;
  /** Relation of the adaptive policy to each fixed k (differences inside the 95 % half-widths count as ties). */
  vsK: { k: string; relation: Relation; throughputGain: number; latencyGain: number }[];
  /** Pareto-dominates every fixed k: no less throughput and no more latency than each, better in one. */
  beatsEveryK: boolean;
  /** Dominated by no fixed k and more throughput than every fixed k: lies beyond the fixed-k frontier. */
  beyondFrontier: boolean;
}

export interface TradeoffResult {
  system: SystemName;
  workload: Workload;
  loads: LoadLevel[];
  throughputMetric: string;
  latencyMetric: string;
  seeds: number;
  modelVersion: string;
  points: TradeoffPoint[];
  verdicts: AdaptiveVerdict[];
  /** Load levels at which some adaptive policy dominates every fixed k. */
  adaptiveWinsAt: string[];
  /** Load levels at which some adaptive policy lies beyond the fixed-k frontier. */
  adaptiveBeyondFrontierAt: string[];
  /** One paragraph: the answer, or why not. */
  note: string;
  simulated: number;
  cachedRuns: number;
}

/** −1, 0 or 1: a difference inside the larger 95 % half-width (or 0.1 % of the value) is a tie. */
function cmp(a: IntervalSummary, b: IntervalSummary): number {
  const tol = Math.max(Number.isFinite(a.halfWidth) ? a.halfWidth : 0, Number.isFinite(b.halfWidth) ? b.halfWidth : 0, 1e-3 * Math.max(Math.abs(a.mean), Math.abs(b.mean)));
  const d = a.mean - b.mean;
  return Math.abs(d) <= tol ? 0 : Math.sign(d);
}

/** a vs b on (throughput ↑, latency ↓); ties within noise. */
export function relate(a: TradeoffPoint, b: TradeoffPoint): Relation {
  const t = cmp(a.throughput, b.throughput);
  const l = -cmp(a.latency, b.latency);
  if (t === 0 && l === 0) return 'equal';
  if (t >= 0 && l >= 0) return 'dominates';
  if (t <= 0 && l <= 0) return 'dominated';
  return 'trade-off';
}

const NONE: IntervalSummary = { mean: Number.NaN, lo: Number.NaN, hi: Number.NaN, halfWidth: Number.NaN, n: 0 };

export async function runTradeoff(db: Db, backend: SimBackend, spec: TradeoffSpec, opts: SweepOptions = {}): Promise<TradeoffResult> {
  const points: TradeoffPoint[] = [];
  let simulated = 0;
  let cachedRuns = 0;
  // Every (load, policy, seed) planned together and run in one pass, so both cores stay busy.
  const cells = spec.loads.flatMap((load) =>
    spec.policies.map((pol) => {
      // a load with busy guests measures 1 s unless the spec sets a duration: the scheduler's 30 ms
      // slices need that long (over 0.15 s, k=7 and k=8 came out identical, at 229 against 287 Mb/s)
      const guestsLoad: KnobSet = Number(load.set['guests'] ?? 0) > 0 && spec.set['duration_s'] === undefined ? { duration_s: 1 } : {};
      const sw: SweepSpec = { system: spec.system, workload: spec.workload, set: { ...guestsLoad, ...spec.set, ...load.set, ...pol.set }, vary: [], seeds: spec.seeds };
      return { load, pol, planned: plan(db, backend, seedList(sw).map((s) => requestFor(sw, {}, s))) };
    }),
  );
  const all = cells.flatMap((c) => c.planned);
  cachedRuns = all.filter((p) => p.runId !== undefined).length;
  simulated = await runMissing(db, backend, all, { ...opts, label: opts.label ?? 'tradeoff' });
  for (const { load, pol, planned } of cells) {
    const ids = planned.map((p) => p.runId).filter((x): x is number => x !== undefined);
    const m = loadMetrics(db, ids);
    const metrics = summarize(ids.map((id) => m.get(id) ?? {}));
    const tp: TradeoffPoint = {
      policy: pol.label,
      family: pol.family,
      set: pol.set,
      load: load.label,
      throughput: metrics[spec.throughputMetric] ?? NONE,
      latency: metrics[spec.latencyMetric] ?? NONE,
      runIds: ids,
    };
    const cpb = metrics['cycles_per_byte.total'];
    if (cpb) tp.cyclesPerByte = cpb;
    points.push(tp);
  }
  const verdicts: AdaptiveVerdict[] = [];
  for (const { label: load } of spec.loads) {
    const here = points.filter((p) => p.load === load);
    const ks = here.filter((p) => p.family === 'every-k');
    for (const a of here.filter((p) => p.family === 'adaptive')) {
      const vsK = ks.map((k) => ({
        k: k.policy,
        relation: relate(a, k),
        throughputGain: a.throughput.mean - k.throughput.mean,
        latencyGain: k.latency.mean - a.latency.mean,
      }));
      verdicts.push({
        adaptive: a.policy,
        load,
        vsK,
        beatsEveryK: vsK.length > 0 && vsK.every((v) => v.relation === 'dominates'),
        beyondFrontier: ks.length > 0 && ks.every((k) => relate(a, k) !== 'dominated' && relate(a, k) !== 'equal' && cmp(a.throughput, k.throughput) > 0),
      });
    }
  }
  const labels = spec.loads.map((l) => l.label);
  const adaptiveWinsAt = labels.filter((l) => verdicts.some((v) => v.load === l && v.beatsEveryK));
  const adaptiveBeyondFrontierAt = labels.filter((l) => verdicts.some((v) => v.load === l && v.beyondFrontier));
  return {
    system: spec.system,
    workload: spec.workload,
    loads: spec.loads,
    throughputMetric: spec.throughputMetric,
    latencyMetric: spec.latencyMetric,
    seeds: spec.seeds,
    modelVersion: backend.modelVersion(),
    points,
    verdicts,
    adaptiveWinsAt,
    adaptiveBeyondFrontierAt,
    note: explain(spec, points, verdicts, adaptiveWinsAt, adaptiveBeyondFrontierAt),
    simulated,
    cachedRuns,
  };
}

export function fmt(x: number, d = 1): string {
  return Number.isFinite(x) ? x.toFixed(d) : '–';
}

function explain(spec: TradeoffSpec, points: TradeoffPoint[], verdicts: AdaptiveVerdict[], winsAt: string[], beyondAt: string[]): string {
  if (verdicts.length === 0) return 'No adaptive policy or no fixed k in the sweep: nothing to compare.';
  const at = (p: TradeoffPoint | undefined): string => `${fmt(p?.throughput.mean ?? Number.NaN)} Mb/s at ${fmt(p?.latency.mean ?? Number.NaN)} µs`;
  const find = (load: string, policy: string): TradeoffPoint | undefined => points.find((p) => p.load === load && p.policy === policy);
  const out: string[] = [];
  if (winsAt.length > 0) {
    out.push(
      `Yes: an adaptive policy Pareto-dominates every fixed k (no less throughput, no more latency, better in one; ties within the 95 % half-widths) at ${winsAt
        .map((l) => `${l} (${verdicts.filter((v) => v.load === l && v.beatsEveryK).map((v) => `${v.adaptive}: ${at(find(l, v.adaptive))}`).join(', ')})`)
        .join('; ')}.`,
    );
  } else {
    // Why not: the fixed k with the least latency (k=1 flushes in the poll that started the aggregate).
    const why = spec.loads.map(({ label }) => {
      const vs = verdicts.filter((v) => v.load === label);
      const score = (v: AdaptiveVerdict): number => v.vsK.filter((x) => x.relation === 'dominates').length;
      const best = vs.reduce((a, b) => (score(b) > score(a) ? b : a));
      const lost = best.vsK.filter((x) => x.relation !== 'dominates');
      return `${label}: best ${best.adaptive} (${at(find(label, best.adaptive))}) dominates ${best.vsK.length - lost.length}/${best.vsK.length}; not ${lost
        .slice(0, 3)
        .map((x) => `${x.k} (${at(find(label, x.k))})`)
        .join(', ')}`;
    });
    out.push(
      `No adaptive policy Pareto-dominates every fixed k at any load: k=1 flushes in the poll that started the aggregate (≈1 µs), so dominating it means aggregating across polls at no added latency. ${why.join('; ')}.`,
    );
  }
  if (beyondAt.length > 0) {
    out.push(
      `Beyond the fixed-k frontier (dominated by no k and more throughput than every k) at ${beyondAt
        .map((l) => `${l} (${verdicts.filter((v) => v.load === l && v.beyondFrontier).map((v) => `${v.adaptive}: ${at(find(l, v.adaptive))}`).join(', ')})`)
        .join('; ')}.`,
    );
  } else {
    out.push('At no load does an adaptive policy lie beyond the fixed-k frontier (more throughput than every k, dominated by none).');
  }
  // If an adaptive point equals a fixed policy's point (same runs' means), its early flush (ring empty
  // and the flow's next packet due only after the timeout) never changed anything: adaptive acted as its cap.
  const same = (a: TradeoffPoint, b: TradeoffPoint): boolean =>
    a.throughput.mean === b.throughput.mean && a.latency.mean === b.latency.mean;
  const adaptive = points.filter((p) => p.family === 'adaptive');
  const copies = adaptive.filter((a) => points.some((b) => b.family !== 'adaptive' && b.load === a.load && same(a, b)));
  if (adaptive.length > 0 && copies.length > 0) {
    out.push(
      `Note: ${copies.length} of ${adaptive.length} adaptive points are identical to a fixed policy's point (its timeout or every-k cap): the early flush (ring empty and the flow's next packet, from the mean gap between its packets, due only after the timeout) never fired there, because a saturating stream's packets come far closer together than the timeout. It fires on sparse traffic (e.g. link_mbps=100 with a timeout under the 120 µs between frames).`,
    );
  }
  return out.join(' ');
}

/** A compact text table for the CLI. */
export function formatTradeoff(r: TradeoffResult): string {
  const lines: string[] = [];
  lines.push(`Flush-policy trade-off: ${r.system} ${r.workload}, ${r.seeds} seeds per point, model ${r.modelVersion} (${r.simulated} simulated, ${r.cachedRuns} from the store)`);
  for (const l of r.loads) {
    lines.push('', `${l.label}  (${Object.entries(l.set).map(([k, v]) => `${k}=${String(v)}`).join(' ')})`);
    lines.push(`  ${'policy'.padEnd(24)} ${'throughput Mb/s'.padStart(20)} ${'latency µs'.padStart(20)} ${'cycles/byte'.padStart(12)}`);
    for (const p of r.points.filter((x) => x.load === l.label)) {
      const iv = (x: IntervalSummary): string => `${fmt(x.mean)} ± ${fmt(x.halfWidth)}`;
      lines.push(`  ${p.policy.padEnd(24)} ${iv(p.throughput).padStart(20)} ${iv(p.latency).padStart(20)} ${fmt(p.cyclesPerByte?.mean ?? Number.NaN, 2).padStart(12)}`);
    }
  }
  lines.push('', r.note);
  return `${lines.join('\n')}\n`;
}
