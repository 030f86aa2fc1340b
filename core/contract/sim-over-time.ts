/**
 * Simulated runs over time (knob trace_ms), for the Simulation cell's chart and the report: the
 * seeds of one system and workload averaged interval by interval, and made small once, as the
 * imported series are (over-time.ts), because the cell's output is autosaved with the notebook.
 */
import { MAX_POINTS, round } from './over-time.js';

/** At most this many trace intervals per run (a traced result is stored with the run); params.ts enforces it. */
export const TRACE_MAX_POINTS = 20_000;

/** What a traced run can be drawn by, in the order the cell offers them. */
export const SIM_TRACE_METRICS = [
  { key: 'throughput_mbps', label: 'Throughput', units: 'Mbit/s' },
  { key: 'rr_transactions_per_s', label: 'TCP_RR rate', units: 'transactions/s' },
  { key: 'lro_rate', label: 'LRO rate', units: 'packets/aggregate' },
  { key: 'cpu.dom0', label: 'CPU busy, driver domain', units: 'share of the core' },
  { key: 'cpu.guest', label: 'CPU busy, guest', units: 'share of the core' },
  { key: 'cpu.xen', label: 'CPU busy, hypervisor', units: 'share of the core' },
  { key: 'cpu.other_guests', label: 'CPU busy, other guests', units: 'share of the core' },
] as const;
export type SimTraceMetric = (typeof SIM_TRACE_METRICS)[number]['key'];

export interface SimGroupOverTime {
  interval_ms: number;
  /** Where warm-up ended; the tables' figures cover the time after it. */
  warmup_s: number;
  /** Seeds averaged. */
  seeds: number;
  /** Intervals per run before bucket means (equal to t.length when none were averaged). */
  points: number;
  /** Seconds since the run started (interval ends, or bucket means of them). */
  t: number[];
  /** Mean over the seeds per interval; null where no seed had a value (an interval without a flush). */
  series: Partial<Record<SimTraceMetric, (number | null)[]>>;
}

interface TraceLike {
  interval_ms?: unknown;
  warmup_s?: unknown;
  t_s?: unknown;
  throughput_mbps?: unknown;
  rr_transactions_per_s?: unknown;
  lro_rate?: unknown;
  cpu_busy_share?: Record<string, unknown> | null;
}

const column = (x: unknown, n: number): (number | null)[] | null =>
  Array.isArray(x) && x.length === n && x.every((v) => v === null || typeof v === 'number') ? (x as (number | null)[]) : null;

function pick(tr: TraceLike, key: SimTraceMetric, n: number): (number | null)[] | null {
  if (key.startsWith('cpu.')) return column(tr.cpu_busy_share?.[key.slice(4)], n);
  return column(tr[key as 'throughput_mbps' | 'rr_transactions_per_s' | 'lro_rate'], n);
}

/** Mean of the numbers among xs[lo..hi) of every row; null when there are none. */
function meanOf(rows: readonly (readonly (number | null)[])[], lo: number, hi: number): number | null {
  let s = 0;
  let k = 0;
  for (const r of rows)
    for (let i = lo; i < hi; i++) {
      const v = r[i];
      if (typeof v === 'number') {
        s += v;
        k++;
      }
    }
  return k > 0 ? round(s / k) : null;
}

/**
 * The runs' traces (RunResult.over_time of each seed's detail) as one averaged, bucketed set of
 * series; null when none was traced. Runs whose intervals differ from the first traced one's are
 * left out (a cell's seeds share their parameters, so this only guards stored oddities).
 */
export function simOverTime(details: readonly unknown[]): SimGroupOverTime | null {
  const traces = details
    .map((d) => (d as { over_time?: TraceLike } | null)?.over_time)
    .filter((t): t is TraceLike => typeof t === 'object' && t !== null && Array.isArray(t.t_s));
  const first = traces[0];
  if (first === undefined) return null;
  const t0 = first.t_s as number[];
  const n = t0.length;
  const same = traces.filter((t) => t.interval_ms === first.interval_ms && (t.t_s as unknown[]).length === n);
  const buckets = Math.min(n, MAX_POINTS);
  const edge = (b: number): number => Math.floor((b * n) / buckets);
  const t: number[] = [];
  for (let b = 0; b < buckets; b++) t.push(meanOf([t0], edge(b), edge(b + 1)) ?? 0);
  const series: SimGroupOverTime['series'] = {};
  for (const { key } of SIM_TRACE_METRICS) {
    const rows = same.map((tr) => pick(tr, key, n)).filter((r): r is (number | null)[] => r !== null);
    if (rows.length === 0) continue;
    const out: (number | null)[] = [];
    for (let b = 0; b < buckets; b++) out.push(meanOf(rows, edge(b), edge(b + 1)));
    series[key] = out;
  }
  return {
    interval_ms: typeof first.interval_ms === 'number' ? first.interval_ms : 0,
    warmup_s: typeof first.warmup_s === 'number' ? first.warmup_s : 0,
    seeds: same.length,
    points: n,
    t,
    series,
  };
}

/**
 * Measured runs and a simulation share one seconds-since-start axis; when one lasts more than three
 * times the other, the chart mostly shows that, so the cell and the report say so.
 */
export function spanMismatch(measuredEndS: readonly number[], simEndS: number): string | null {
  if (!measuredEndS.length || !(simEndS > 0)) return null;
  const m = Math.max(...measuredEndS);
  if (m <= 3 * simEndS && simEndS <= 3 * m) return null;
  return `The measured runs last up to ${m.toPrecision(3)} s, the simulation ${simEndS.toPrecision(3)} s: set the knob duration_s (and a coarser Over time) to set them side by side.`;
}

/**
 * Knobs that give a simulation the measured runs' length and sampling: duration_s = the longest
 * run (to 0.1 s, less the warm-up the trace includes), trace_ms = the median interval between their
 * samples (three significant digits, at least 0.5 ms, and at most 20,000 intervals per run).
 */
export function matchMeasured(measured: readonly { t: readonly number[]; endS: number }[], warmupS: number): { duration_s: number; trace_ms: number } | null {
  const gaps: number[] = [];
  for (const s of measured) for (let i = 1; i < s.t.length; i++) gaps.push((s.t[i] as number) - (s.t[i - 1] as number));
  const end = Math.max(0, ...measured.map((s) => s.endS));
  if (!gaps.length || !(end > 0)) return null;
  gaps.sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)] as number;
  const duration = Math.max(0.1, Math.ceil((end - warmupS) * 10) / 10);
  const least = ((duration + warmupS) * 1000) / TRACE_MAX_POINTS;
  const trace = Math.max(0.5, least, Number((median * 1000).toPrecision(3)));
  return { duration_s: duration, trace_ms: Number(trace.toPrecision(3)) };
}
