import type { ImportDoc, InterimResults, LogRecord } from '../types.js';
import { LogParseError } from '../errors.js';
import { isObj, numAt, parseConcatenatedJson, strAt } from '../json-split.js';

/**
 * One direction of a run: where its numbers are in the JSON. A --bidir run (iperf3 3.7+) names the
 * client→server direction like a one-way run and the server→client one with "_bidir_reverse"
 * (iperf_api.c picks the names so client and server output agree).
 */
interface Direction {
  /** Appended to the test name. */
  label: string;
  /** end.sum…, end.sum_sent…, end.sum_received…; and the per-interval sum. */
  sum: string;
  sent: string;
  received: string;
}

const ONE_WAY: Direction = { label: '', sum: 'sum', sent: 'sum_sent', received: 'sum_received' };
const BIDIR: Direction[] = [
  { label: ' bidir', sum: 'sum', sent: 'sum_sent', received: 'sum_received' },
  { label: ' bidir reverse', sum: 'sum_bidir_reverse', sent: 'sum_sent_bidir_reverse', received: 'sum_received_bidir_reverse' },
];

/** iperf3 -J: one JSON object per run, possibly several concatenated in one file. */
export function parseIperf3(file: string, text: string): ImportDoc {
  const warnings: string[] = [];
  const docs = parseConcatenatedJson(file, text, (w) => warnings.push(w));
  if (docs.length === 0) throw new LogParseError(file, 1, 'empty file: no iperf3 JSON object');
  const records: LogRecord[] = [];
  for (const { value, line } of docs) {
    if (isObj(value) && typeof value['event'] === 'string' && 'data' in value) {
      // --json-stream (3.17+) writes one {"event": …, "data": …} object per line, not one per run.
      throw new LogParseError(file, line, 'this is iperf3 --json-stream output (one {"event": …} object per line); rxlab reads iperf3 -J output: run iperf3 with -J instead of --json-stream');
    }
    if (!isObj(value) || (!('start' in value) && !('end' in value) && !('error' in value))) {
      throw new LogParseError(file, line, 'JSON object has no "start", "end" or "error": not iperf3 -J output');
    }
    const proto = strAt(value, 'start', 'test_start', 'protocol') ?? 'TCP';
    const reverse = numAt(value, 'start', 'test_start', 'reverse') === 1;
    // test_start.bidir appears with 3.7; the reverse sums say so as well when it is missing.
    const end = value['end'];
    const bidir = numAt(value, 'start', 'test_start', 'bidir') === 1 || (isObj(end) && (isObj(end['sum_sent_bidir_reverse']) || isObj(end['sum_bidir_reverse'])));
    const common: Omit<LogRecord, 'line' | 'test'> = {};
    const extra: Record<string, string | number> = {};
    const version = strAt(value, 'start', 'version');
    if (version !== undefined) extra['version'] = version;
    const host = strAt(value, 'start', 'connecting_to', 'host');
    if (host !== undefined) common.remote_host = host;
    const blk = numAt(value, 'start', 'test_start', 'blksize');
    if (blk !== undefined) common.message_bytes = blk;
    const snd = numAt(value, 'start', 'sndbuf_actual');
    if (snd !== undefined) common.local_send_socket_bytes = snd;
    const rcv = numAt(value, 'start', 'rcvbuf_actual');
    if (rcv !== undefined) common.local_recv_socket_bytes = rcv;
    const streams = numAt(value, 'start', 'test_start', 'num_streams');
    if (streams !== undefined) extra['num_streams'] = streams;
    const dur = numAt(value, 'start', 'test_start', 'duration');
    if (dur !== undefined) extra['duration_s'] = dur;
    // Host CPU over the whole run: with --bidir both directions share it.
    const hc = numAt(value, 'end', 'cpu_utilization_percent', 'host_total');
    if (hc !== undefined) common.cpu_local_pct = hc;
    const rc = numAt(value, 'end', 'cpu_utilization_percent', 'remote_total');
    if (rc !== undefined) common.cpu_remote_pct = rc;
    const err = strAt(value, 'error');
    let omitted = 0;
    const first = records.length;
    for (const dir of bidir ? BIDIR : [ONE_WAY]) {
      const rec: LogRecord = { line, test: `iperf3 ${proto}${bidir ? dir.label : reverse ? ' reverse' : ''}`, ...common };
      const ex: Record<string, string | number> = { ...extra };
      const bps = readSums(value, dir, proto === 'UDP', rec, ex, (w) => warnings.push(`line ${line}: iperf3 ${proto} run${dir.label}: ${w}`));
      const series = intervalSeries(value['intervals'], dir.sum, line);
      if (series.list.throughput.length > 0) rec.interim = series.list;
      omitted = Math.max(omitted, series.omitted);
      if (err !== undefined) rec.error = err;
      else if (bps === undefined) rec.error = 'no end summary: the run was cut off or failed';
      if (Object.keys(ex).length > 0) rec.extra = ex;
      records.push(rec);
    }
    // Said once per run: both directions of a failed --bidir run carry the same error.
    const failed = new Set(records.slice(first).map((r) => r.error));
    for (const f of failed) if (f !== undefined) warnings.push(`line ${line}: iperf3 run: ${f}`);
    if (omitted > 0) {
      warnings.push(`line ${line}: iperf3 run: ${omitted} omitted interval${omitted === 1 ? '' : 's'} (-O warm-up) left out of the interval series; iperf3's end summary leaves them out too`);
    }
  }
  return { tool: 'iperf3', format: docs.length > 1 ? 'iperf3 -J (concatenated)' : 'iperf3 -J', warnings, records, profiles: [] };
}

/**
 * Fills one direction's end-summary numbers into `rec` and `ex`; returns the throughput stored.
 * The receiver's rate is what arrived, so it is the throughput whenever the JSON has it.
 */
function readSums(value: Record<string, unknown>, dir: Direction, udp: boolean, rec: LogRecord, ex: Record<string, string | number>, warn: (w: string) => void): number | undefined {
  const end = value['end'];
  const hasReceived = isObj(end) && isObj(end[dir.received]);
  const sumKey = hasReceived ? dir.received : dir.sum;
  let bps = numAt(value, 'end', sumKey, 'bits_per_second');
  const secs = numAt(value, 'end', sumKey, 'seconds');
  if (secs !== undefined) rec.elapsed_s = secs;
  const bytes = numAt(value, 'end', sumKey, 'bytes');
  // UDP's lone "sum" (before iperf3 added sum_sent/sum_received to UDP) counts the bytes sent.
  if (bytes !== undefined) ex[hasReceived || !udp ? 'bytes_received' : 'bytes_sent'] = bytes;
  const sent = numAt(value, 'end', dir.sent, 'bytes');
  if (sent !== undefined) ex['bytes_sent'] = sent;
  const sentBps = numAt(value, 'end', dir.sent, 'bits_per_second');
  if (sentBps !== undefined) ex['sender_bits_per_second'] = sentBps;
  const retr = numAt(value, 'end', dir.sent, 'retransmits');
  if (retr !== undefined) ex['retransmits'] = retr;
  for (const k of ['jitter_ms', 'lost_packets', 'packets', 'lost_percent'] as const) {
    const v = numAt(value, 'end', dir.sum, k) ?? (hasReceived ? numAt(value, 'end', dir.received, k) : undefined);
    if (v !== undefined) ex[k] = v;
  }
  if (udp && !hasReceived && bps !== undefined) {
    // iperf_api.c computes the UDP "sum" rate from the bytes sent over the sender's time: the
    // offered rate. What arrived is that less the share lost.
    ex['sender_bits_per_second'] = bps;
    const lost = ex['lost_percent'];
    if (typeof lost === 'number' && lost >= 0 && lost <= 100) {
      bps *= 1 - lost / 100;
      ex['throughput_derived'] = 'end.sum bits_per_second × (1 − lost_percent/100)';
      warn(`throughput ${bps} bits/s is the received rate, derived as the sender's ${ex['sender_bits_per_second']} bits/s × (1 − ${lost}/100 lost): the JSON has no end.${dir.received}`);
    } else {
      warn(`throughput is the sender's offered rate: the JSON has neither end.${dir.received} nor a lost_percent to derive what arrived`);
    }
  }
  if (bps !== undefined) {
    rec.throughput = bps;
    rec.throughput_text = String(bps);
    rec.throughput_units = 'bits/s';
  }
  return bps;
}

/**
 * The interval series of one direction (`sum` or `sum_bidir_reverse` in each interval). -O warm-up
 * intervals are left out: iperf3 restarts its clock after them (the time axis would run backwards)
 * and leaves them out of the end summary.
 */
function intervalSeries(intervals: unknown, sumKey: string, line: number): { list: InterimResults; omitted: number } {
  const list: InterimResults = { throughput_units: 'bits/s', throughput: [], seconds: [], ending_at: [], line };
  let omitted = 0;
  if (!Array.isArray(intervals)) return { list, omitted };
  for (const iv of intervals) {
    if (!isObj(iv)) continue;
    const sum = iv[sumKey];
    const b = numAt(sum, 'bits_per_second');
    const s = numAt(sum, 'seconds');
    const e = numAt(sum, 'end');
    if (b === undefined || s === undefined) continue;
    // The sum's flag is test-wide ("omitting"); a stream's is its own interval's: either one will do.
    const streams = iv['streams'];
    if ((isObj(sum) && sum['omitted'] === true) || (Array.isArray(streams) && streams.some((st) => isObj(st) && st['omitted'] === true))) {
      omitted++;
      continue;
    }
    list.throughput.push(b);
    list.seconds.push(s);
    list.ending_at?.push(e ?? NaN);
  }
  return { list, omitted };
}
