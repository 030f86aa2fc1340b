/**
 * What `rxlab import` says about a log's runs beyond their count: each netperf -v 2 histogram's
 * percentiles and each run's time series in a line, as the notebook's Import cell draws them
 * (core/contract/latency-cdf.ts, over-time.ts), so a script user sees them without opening the app.
 */
import { latencyCdf, percentileText } from '../contract/latency-cdf.js';
import { overTime } from '../contract/over-time.js';
import { fmtRate, udpReceived } from '../contract/udp-received.js';

/** Runs looked at: a log of 450,000 runs is not read twice for its notes. */
const SCAN = 1000;
/** Lines of each kind before "… and N more". */
const SHOW = 5;

const fmt = (x: number): string => Number(x.toPrecision(4)).toLocaleString('en-US');

export function runNotes(records: Iterable<unknown>): string[] {
  const latency: string[] = [];
  const series: string[] = [];
  const udp: string[] = [];
  let scanned = 0;
  for (const r of records) {
    if (scanned++ >= SCAN) break;
    const c = latencyCdf(r);
    if (c !== null) {
      const of = c.what === 'request/response time' ? 'transactions' : 'send() calls';
      latency.push(`${c.name}: ${c.what} of ${c.total.toLocaleString('en-US')} ${of}: p50 ${percentileText(c.p50Us)}, p90 ${percentileText(c.p90Us)}, p99 ${percentileText(c.p99Us)}`);
    }
    const u = udpReceived(r);
    if (u !== null) {
      const lost = u.lostPct === null ? '' : ` (${Number(u.lostPct.toPrecision(3))} % of messages lost)`;
      udp.push(`UDP_STREAM run at line ${(r as { line?: number }).line ?? '?'}: received ${fmtRate(u.received)} ${u.units}, sent ${fmtRate(u.sent)}${lost}`);
    }
    const s = overTime([r])?.series[0];
    if (s !== undefined) {
      // the range of the values as printed (over-time.ts keeps it beside the chart's bucket means)
      const range = s.points === 1 ? `${fmt(s.min)} ${s.units}` : `${fmt(s.min)}–${fmt(s.max)} ${s.units}`;
      series.push(`${s.name}: ${s.points} ${s.points === 1 ? 'value' : 'values'} over ${fmt(s.endS)} s: ${range}`);
    }
  }
  const cap = (lines: string[], what: string): string[] => (lines.length > SHOW ? [...lines.slice(0, SHOW), `… and ${lines.length - SHOW} more ${what}`] : lines);
  const tail = scanned > SCAN ? [`(notes from the first ${SCAN.toLocaleString('en-US')} runs)`] : [];
  return [
    ...cap(udp, 'UDP_STREAM runs'),
    ...cap(latency, 'with a histogram'),
    ...cap(series, 'with a time series'),
    ...(latency.length || series.length || udp.length ? tail : []),
  ];
}
