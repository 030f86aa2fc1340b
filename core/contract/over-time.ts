/**
 * Time series of imported runs, for the Import cell's "over time" charts and the report: netperf's interim results
 * (demo mode, -D), iperf3's intervals and flent's samples all arrive as a record's `interim`
 * (value, interval length, and where known the time it ended). Flent draws these; a netperf or
 * iperf3 log deserves the same look at whether a run was steady.
 *
 * The series are made small here, once, because the cell's output is autosaved with the notebook:
 * at most MAX_SERIES series per file and MAX_POINTS points per series (longer ones are averaged into
 * buckets, and the chart says so).
 */

import { toMbps } from './units.js';

export const MAX_SERIES = 24;
export const MAX_POINTS = 600;

export interface OverTimeSeries {
  name: string;
  /** The units the values are in after conversion (Mbit/s for every rate), or as printed. */
  units: string;
  /** Seconds since the run started. */
  t: number[];
  v: number[];
  /** Points before averaging into buckets (equal to t.length when none were averaged). */
  points: number;
  /** Of every value as printed (not the bucket means), in `units`; and when the last one ended. */
  min: number;
  max: number;
  endS: number;
}

export interface OverTime {
  series: OverTimeSeries[];
  /** Records with a time series in the document (more than series.length when capped). */
  total: number;
}

interface InterimLike {
  throughput_units?: unknown;
  throughput?: unknown;
  seconds?: unknown;
  ending_at?: unknown;
}
interface RecordLike {
  test?: unknown;
  line?: unknown;
  tag?: unknown;
  extra?: { series?: unknown } | null;
  interim?: InterimLike | null;
}

/**
 * A rate in Mbit/s (toMbps: netperf's 10^N bits and K/M/GBytes, iperf3's bits/s, flent's Mbits/s);
 * anything else (Trans/s, ms) keeps its printed units.
 */
export function normaliseUnits(units: string): { units: string; factor: number } {
  const u = units.trim();
  const factor = toMbps(1, u);
  if (factor !== null) return { units: 'Mbit/s', factor };
  if (/^trans\/s(ec)?$/i.test(u)) return { units: 'transactions/s', factor: 1 };
  return { units: u, factor: 1 };
}

const nums = (x: unknown): number[] | null => (Array.isArray(x) && x.every((v) => typeof v === 'number') ? (x as number[]) : null);

/** Seconds since the start: from the end times where every one is known, else the interval lengths summed. */
function times(seconds: number[], endingAt: number[] | null): number[] {
  if (endingAt !== null && endingAt.length === seconds.length && endingAt.every(Number.isFinite)) {
    const start = (endingAt[0] ?? 0) - (seconds[0] ?? 0);
    return endingAt.map((e) => e - start);
  }
  let at = 0;
  return seconds.map((s) => (at += s));
}

/** Bucket means, so a 20,000-sample series draws as MAX_POINTS points with its shape kept. */
function downsample(t: number[], v: number[]): { t: number[]; v: number[] } {
  if (t.length <= MAX_POINTS) return { t, v };
  const outT: number[] = [];
  const outV: number[] = [];
  for (let b = 0; b < MAX_POINTS; b++) {
    const lo = Math.floor((b * t.length) / MAX_POINTS);
    const hi = Math.floor(((b + 1) * t.length) / MAX_POINTS);
    let st = 0;
    let sv = 0;
    for (let i = lo; i < hi; i++) {
      st += t[i] as number;
      sv += v[i] as number;
    }
    outT.push(st / (hi - lo));
    outV.push(sv / (hi - lo));
  }
  return { t: outT, v: outV };
}

/** Six significant digits: the chart needs no more, and the notebook stays small. */
export const round = (x: number): number => Number(x.toPrecision(6));

function seriesName(r: RecordLike, index: number): string {
  const flent = r.extra?.series;
  if (typeof flent === 'string') return flent;
  const test = typeof r.test === 'string' ? r.test : 'run';
  const tag = typeof r.tag === 'string' && r.tag !== '' ? ` ${r.tag}` : '';
  return typeof r.line === 'number' ? `${test}${tag} (line ${r.line})` : `${test}${tag} #${index + 1}`;
}

/** The time series of a document's records, or null when none has one. */
export function overTime(records: readonly unknown[]): OverTime | null {
  const series: OverTimeSeries[] = [];
  let total = 0;
  records.forEach((raw, index) => {
    const r = (raw ?? {}) as RecordLike;
    const it = r.interim;
    const values = nums(it?.throughput);
    const seconds = nums(it?.seconds);
    if (!it || values === null || seconds === null || values.length === 0 || values.length !== seconds.length) return;
    total++;
    if (series.length >= MAX_SERIES) return;
    const { units, factor } = normaliseUnits(typeof it.throughput_units === 'string' ? it.throughput_units : '');
    const t = times(seconds, nums(it.ending_at));
    const v = values.map((x) => x * factor);
    let min = Infinity;
    let max = -Infinity;
    for (const x of v) {
      if (x < min) min = x;
      if (x > max) max = x;
    }
    const d = downsample(t, v);
    series.push({ name: seriesName(r, index), units, t: d.t.map(round), v: d.v.map(round), points: values.length, min: round(min), max: round(max), endS: round(t.at(-1) ?? 0) });
  });
  return total > 0 ? { series, total } : null;
}

const UNITS_FIRST = ['Mbit/s', 'transactions/s'];

/** The series grouped by units, one chart each: rates first, then transaction rates, then the rest (latencies) as first seen. */
export function byUnits(o: OverTime): { units: string; series: OverTimeSeries[] }[] {
  const groups = new Map<string, OverTimeSeries[]>();
  for (const s of o.series) groups.set(s.units, [...(groups.get(s.units) ?? []), s]);
  const rank = (u: string): number => (UNITS_FIRST.includes(u) ? UNITS_FIRST.indexOf(u) : UNITS_FIRST.length);
  return [...groups].map(([units, series]) => ({ units, series })).sort((a, b) => rank(a.units) - rank(b.units));
}

/**
 * The time series an Import cell keeps for a file: the trimmed document's `over_time`, or, for a cell
 * saved before the series were kept apart, derived from the records it holds.
 */
export function documentOverTime(doc: unknown): OverTime | null {
  const d = doc as { over_time?: OverTime; records?: unknown } | null;
  return d?.over_time ?? overTime(Array.isArray(d?.records) ? d.records : []);
}
