/**
 * The latency distribution in a netperf -v 2 histogram, as a cumulative distribution, for the Import
 * cell's chart and the report's percentile table. netperf (src/netlib.c, HIST_add) counts each time
 * in one bucket of a decade row: below 10 µs in UNIT_USEC[t], below 100 µs in TEN_USEC[t / 10], …
 * up to TEN_SEC, and ">100_SECS" past that. So bucket i of a row whose unit is u µs holds the
 * times in [i·u, (i + 1)·u), and a percentile is known only up to its bucket's upper edge: it is
 * reported as "≤ edge", never interpolated.
 *
 * For *_RR tests the histogram holds request/response times; for the stream tests, the time each
 * send() call took.
 */

/** The decade rows in order, with their bucket width in µs. */
export const HISTOGRAM_ROWS: readonly (readonly [string, number])[] = [
  ['UNIT_USEC', 1],
  ['TEN_USEC', 10],
  ['HUNDRED_USEC', 100],
  ['UNIT_MSEC', 1e3],
  ['TEN_MSEC', 1e4],
  ['HUNDRED_MSEC', 1e5],
  ['UNIT_SEC', 1e6],
  ['TEN_SEC', 1e7],
];

export interface LatencyCdf {
  name: string;
  /** What was timed. */
  what: 'request/response time' | 'time per send() call';
  /** Times counted, including those past 100 s. */
  total: number;
  /** Lower edge of the first bucket with a count (µs): the distribution starts rising there. */
  fromUs: number;
  /** Upper bucket edges (µs) where the cumulative count rises, and the fraction at or below each. */
  edgeUs: number[];
  fraction: number[];
  /** Upper bound of the bucket holding each percentile (µs); null when it lies past 100 s. */
  p50Us: number | null;
  p90Us: number | null;
  p99Us: number | null;
  /** Times past 100 s (outside every bucket). */
  over100s: number;
}

interface RecordLike {
  test?: unknown;
  line?: unknown;
  histogram?: unknown;
}

export function latencyCdf(record: unknown, name?: string): LatencyCdf | null {
  const r = (record ?? {}) as RecordLike;
  const h = r.histogram;
  if (!h || typeof h !== 'object') return null;
  const rows = h as Record<string, unknown>;
  const buckets: { edge: number; count: number; unit: number }[] = [];
  for (const [row, unit] of HISTOGRAM_ROWS) {
    const counts = rows[row];
    if (!Array.isArray(counts)) continue;
    counts.forEach((c, i) => {
      if (typeof c === 'number' && c > 0) buckets.push({ edge: (i + 1) * unit, count: c, unit });
    });
  }
  const beyond = rows['>100_SECS'];
  const over100s = Array.isArray(beyond) && typeof beyond[0] === 'number' ? beyond[0] : 0;
  const counted = buckets.reduce((a, b) => a + b.count, 0) + over100s;
  if (counted === 0) return null;
  buckets.sort((a, b) => a.edge - b.edge);
  const edgeUs: number[] = [];
  const fraction: number[] = [];
  let cum = 0;
  for (const b of buckets) {
    cum += b.count;
    edgeUs.push(b.edge);
    fraction.push(cum / counted);
  }
  const at = (p: number): number | null => {
    const i = fraction.findIndex((f) => f >= p - 1e-12);
    return i < 0 ? null : (edgeUs[i] ?? null);
  };
  const test = typeof r.test === 'string' ? r.test : 'run';
  return {
    name: name ?? (typeof r.line === 'number' ? `${test} (line ${r.line})` : test),
    what: /_RR$/.test(test) ? 'request/response time' : 'time per send() call',
    total: counted,
    fromUs: buckets.length ? (buckets[0] as { edge: number; unit: number }).edge - (buckets[0] as { unit: number }).unit : 0,
    edgeUs,
    fraction,
    p50Us: at(0.5),
    p90Us: at(0.9),
    p99Us: at(0.99),
    over100s,
  };
}

/** Distributions drawn per file or cell, at most (the table lists every one). */
export const MAX_DISTRIBUTIONS = 24;

/** A percentile as the histogram knows it: "≤ 8 ms", or "> 100 s" past the last bucket. */
export function percentileText(us: number | null): string {
  return us === null ? '> 100 s' : `≤ ${formatUs(us)}`;
}

/** What the distributions time, when they all time the same thing; else "time". */
export function commonWhat(cdfs: readonly LatencyCdf[]): string {
  const whats = new Set(cdfs.map((c) => c.what));
  return whats.size === 1 ? (cdfs[0]?.what ?? 'time') : 'time';
}

/**
 * The distribution as steps to draw on a log axis: 0 % at the lower edge of the first bucket with a
 * count (at least 1 µs, the axis has no 0), then the % at or below each upper edge.
 */
export function cdfSteps(c: LatencyCdf): { x: number[]; y: number[] } {
  return { x: [Math.max(1, c.fromUs), ...c.edgeUs], y: [0, ...c.fraction.map((f) => 100 * f)] };
}

/** A time in µs as a researcher reads it: 800 µs, 8 ms, 1.5 s. */
export function formatUs(us: number): string {
  if (us < 1000) return `${us} µs`;
  if (us < 1e6) return `${us / 1000} ms`;
  return `${us / 1e6} s`;
}
