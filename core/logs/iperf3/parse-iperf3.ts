import type { ImportDoc, InterimResults, LogRecord } from '../types.js';
import { LogParseError } from '../errors.js';
import { isObj, numAt, parseConcatenatedJson, strAt } from '../json-split.js';

/** iperf3 -J: one JSON object per run, possibly several concatenated in one file. */
export function parseIperf3(file: string, text: string): ImportDoc {
  const docs = parseConcatenatedJson(file, text);
  if (docs.length === 0) throw new LogParseError(file, 1, 'empty file: no iperf3 JSON object');
  const records: LogRecord[] = [];
  const warnings: string[] = [];
  for (const { value, line } of docs) {
    if (!isObj(value) || (!('start' in value) && !('end' in value) && !('error' in value))) {
      throw new LogParseError(file, line, 'JSON object has no "start", "end" or "error": not iperf3 -J output');
    }
    const proto = strAt(value, 'start', 'test_start', 'protocol') ?? 'TCP';
    const reverse = numAt(value, 'start', 'test_start', 'reverse') === 1;
    const rec: LogRecord = { line, test: `iperf3 ${proto}${reverse ? ' reverse' : ''}` };
    const extra: Record<string, string | number> = {};
    const version = strAt(value, 'start', 'version');
    if (version !== undefined) extra['version'] = version;
    const host = strAt(value, 'start', 'connecting_to', 'host');
    if (host !== undefined) rec.remote_host = host;
    const blk = numAt(value, 'start', 'test_start', 'blksize');
    if (blk !== undefined) rec.message_bytes = blk;
    const snd = numAt(value, 'start', 'sndbuf_actual');
    if (snd !== undefined) rec.local_send_socket_bytes = snd;
    const rcv = numAt(value, 'start', 'rcvbuf_actual');
    if (rcv !== undefined) rec.local_recv_socket_bytes = rcv;
    const streams = numAt(value, 'start', 'test_start', 'num_streams');
    if (streams !== undefined) extra['num_streams'] = streams;
    const dur = numAt(value, 'start', 'test_start', 'duration');
    if (dur !== undefined) extra['duration_s'] = dur;
    // The receiver's rate is what arrived; UDP reports one "sum".
    const sumKey = isObj(value['end']) && isObj(value['end']['sum_received']) ? 'sum_received' : 'sum';
    const bps = numAt(value, 'end', sumKey, 'bits_per_second');
    if (bps !== undefined) {
      rec.throughput = bps;
      rec.throughput_text = String(bps);
      rec.throughput_units = 'bits/s';
    }
    const secs = numAt(value, 'end', sumKey, 'seconds');
    if (secs !== undefined) rec.elapsed_s = secs;
    const bytes = numAt(value, 'end', sumKey, 'bytes');
    if (bytes !== undefined) extra['bytes_received'] = bytes;
    const sent = numAt(value, 'end', 'sum_sent', 'bytes');
    if (sent !== undefined) extra['bytes_sent'] = sent;
    const sentBps = numAt(value, 'end', 'sum_sent', 'bits_per_second');
    if (sentBps !== undefined) extra['sender_bits_per_second'] = sentBps;
    const retr = numAt(value, 'end', 'sum_sent', 'retransmits');
    if (retr !== undefined) extra['retransmits'] = retr;
    for (const k of ['jitter_ms', 'lost_packets', 'packets', 'lost_percent'] as const) {
      const v = numAt(value, 'end', 'sum', k);
      if (v !== undefined) extra[k] = v;
    }
    const hc = numAt(value, 'end', 'cpu_utilization_percent', 'host_total');
    if (hc !== undefined) rec.cpu_local_pct = hc;
    const rc = numAt(value, 'end', 'cpu_utilization_percent', 'remote_total');
    if (rc !== undefined) rec.cpu_remote_pct = rc;
    const intervals = value['intervals'];
    if (Array.isArray(intervals) && intervals.length > 0) {
      const list: InterimResults = { throughput_units: 'bits/s', throughput: [], seconds: [], ending_at: [], line };
      for (const iv of intervals) {
        const b = numAt(iv, 'sum', 'bits_per_second');
        const s = numAt(iv, 'sum', 'seconds');
        const e = numAt(iv, 'sum', 'end');
        if (b === undefined || s === undefined) continue;
        list.throughput.push(b);
        list.seconds.push(s);
        list.ending_at?.push(e ?? NaN);
      }
      if (list.throughput.length > 0) rec.interim = list;
    }
    const err = strAt(value, 'error');
    if (err !== undefined) rec.error = err;
    else if (bps === undefined) rec.error = 'no end summary: the run was cut off or failed';
    if (Object.keys(extra).length > 0) rec.extra = extra;
    if (rec.error !== undefined) warnings.push(`line ${line}: iperf3 run: ${rec.error}`);
    records.push(rec);
  }
  return { tool: 'iperf3', format: docs.length > 1 ? 'iperf3 -J (concatenated)' : 'iperf3 -J', warnings, records, profiles: [] };
}
