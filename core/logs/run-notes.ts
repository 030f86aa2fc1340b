/**
 * What `rxlab import` says about a log's runs beyond their count: each netperf -v 2 histogram's
 * percentiles and each run's time series in a line, as the notebook's Import cell draws them
 * (core/contract/latency-cdf.ts, over-time.ts), so a script user sees them without opening the app.
 */
import { formatUs, latencyCdf } from '../contract/latency-cdf.js';
import { normaliseUnits, overTime, times } from '../contract/over-time.js';

/** Runs looked at: a log of 450,000 runs is not read twice for its notes. */
const SCAN = 1000;
/** Lines of each kind before "… and N more". */
const SHOW = 5;

const fmt = (x: number): string => Number(x.toPrecision(4)).toLocaleString('en-US');

export function runNotes(records: Iterable<unknown>): string[] {
  const latency: string[] = [];
  const series: string[] = [];
  let scanned = 0;
  for (const r of records) {
    if (scanned++ >= SCAN) break;
    const c = latencyCdf(r);
    if (c !== null) {
      const p = (us: number | null): string => (us === null ? '> 100 s' : `≤ ${formatUs(us)}`);
      const of = c.what === 'request/response time' ? 'transactions' : 'send() calls';
      latency.push(`${c.name}: ${c.what} of ${c.total.toLocaleString('en-US')} ${of}: p50 ${p(c.p50Us)}, p90 ${p(c.p90Us)}, p99 ${p(c.p99Us)}`);
    }
    const s = overTime([r])?.series[0];
    const it = (r as { interim?: { throughput: number[]; seconds: number[]; ending_at?: number[]; throughput_units: string } }).interim;
    if (s !== undefined && it !== undefined) {
      // from the values as printed, not the chart's bucket means
      const { factor } = normaliseUnits(it.throughput_units);
      const v = it.throughput.map((x) => x * factor);
      const end = times(it.seconds, it.ending_at ?? null).at(-1) ?? 0;
      const range = v.length === 1 ? `${fmt(v[0] ?? 0)} ${s.units}` : `${fmt(Math.min(...v))}–${fmt(Math.max(...v))} ${s.units}`;
      series.push(`${s.name}: ${v.length} ${v.length === 1 ? 'value' : 'values'} over ${fmt(end)} s: ${range}`);
    }
  }
  const cap = (lines: string[], what: string): string[] => (lines.length > SHOW ? [...lines.slice(0, SHOW), `… and ${lines.length - SHOW} more ${what}`] : lines);
  const tail = scanned > SCAN ? [`(notes from the first ${SCAN.toLocaleString('en-US')} runs)`] : [];
  return [...cap(latency, 'with a histogram'), ...cap(series, 'with a time series'), ...(latency.length || series.length ? tail : [])];
}
