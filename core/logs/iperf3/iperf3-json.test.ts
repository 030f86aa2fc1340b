import { describe, expect, it } from 'vitest';
import { importBytesSync } from '../import.js';
import type { ImportDoc } from '../types.js';

/** iperf3 -J as iperf_api.c writes it (3.17 layout), built here: every field the parser reads and a few it doesn't. */
const start = (proto: 'TCP' | 'UDP', more: Record<string, number> = {}): Record<string, unknown> => ({
  connected: [{ socket: 5, local_host: '10.0.0.2', local_port: 40000, remote_host: '10.0.0.1', remote_port: 5201 }],
  version: 'iperf 3.17.1',
  system_info: 'Linux client 6.8.0 #1 SMP x86_64',
  timestamp: { time: 'Mon, 01 Sep 2025 10:00:00 UTC', timesecs: 1756720800 },
  connecting_to: { host: '10.0.0.1', port: 5201 },
  cookie: 'abcdefghijklmnopqrstuvwxyz234567abcd',
  tcp_mss_default: 1448,
  target_bitrate: 0,
  fq_rate: 0,
  sock_bufsize: 0,
  sndbuf_actual: 16384,
  rcvbuf_actual: 131072,
  test_start: { protocol: proto, num_streams: 1, blksize: proto === 'TCP' ? 131072 : 1448, omit: 0, duration: 3, bytes: 0, blocks: 0, reverse: 0, tos: 0, target_bitrate: 0, bidir: 0, fqrate: 0, interval: 1, ...more },
});

/** One TCP interval sum (or stream, with `socket`), as iperf3 prints it. */
const tcpIv = (t0: number, bps: number, omitted: boolean, sender: boolean, socket?: number): Record<string, unknown> => ({
  ...(socket !== undefined ? { socket } : {}),
  start: t0,
  end: t0 + 1,
  seconds: 1,
  bytes: bps / 8,
  bits_per_second: bps,
  retransmits: 0,
  ...(socket !== undefined ? { snd_cwnd: 65536, snd_wnd: 65536, rtt: 50, rttvar: 10, pmtu: 1500 } : {}),
  omitted,
  sender,
});

const cpu = { host_total: 20.5, host_user: 1.5, host_system: 19, remote_total: 10.25, remote_user: 0.25, remote_system: 10 };

function imp(doc: unknown): ImportDoc {
  return importBytesSync('iperf3.json', Buffer.from(JSON.stringify(doc, null, 2))).doc;
}

describe('iperf3 -O (omitted warm-up intervals)', () => {
  // iperf3 -c HOST -J -O 2 -t 3: two omitted seconds, then its clock restarts at 0
  const run = {
    start: start('TCP', { omit: 2 }),
    intervals: [
      { streams: [tcpIv(0, 100e6, true, true, 5)], sum: tcpIv(0, 100e6, true, true) },
      { streams: [tcpIv(1, 200e6, true, true, 5)], sum: tcpIv(1, 200e6, true, true) },
      { streams: [tcpIv(0, 900e6, false, true, 5)], sum: tcpIv(0, 900e6, false, true) },
      { streams: [tcpIv(1, 910e6, false, true, 5)], sum: tcpIv(1, 910e6, false, true) },
      { streams: [tcpIv(2, 920e6, false, true, 5)], sum: tcpIv(2, 920e6, false, true) },
    ],
    end: {
      streams: [],
      sum_sent: { start: 0, end: 3, seconds: 3, bytes: 341250000, bits_per_second: 910e6, retransmits: 0, sender: true },
      sum_received: { start: 0, end: 3.0004, seconds: 3.0004, bytes: 341250000, bits_per_second: 909.9e6, sender: true },
      cpu_utilization_percent: cpu,
    },
  };

  it('leaves them out of the series, so the time axis runs forward and the warm-up is not a min or max, and says how many', () => {
    const doc = imp(run);
    expect(doc.records).toHaveLength(1);
    const r = doc.records[0];
    expect(r?.interim?.throughput).toEqual([900e6, 910e6, 920e6]);
    expect(r?.interim?.ending_at).toEqual([1, 2, 3]);
    expect(r?.interim?.seconds).toEqual([1, 1, 1]);
    expect(r?.throughput).toBe(909.9e6);
    expect(doc.warnings).toEqual(["line 1: iperf3 run: 2 omitted intervals (-O warm-up) left out of the interval series; iperf3's end summary leaves them out too"]);
  });

  it('a stream marked omitted is enough (the sum flag is test-wide and may lag the stream)', () => {
    const one = structuredClone(run);
    (one.intervals[0]?.sum as Record<string, unknown>)['omitted'] = false;
    const doc = imp(one);
    expect(doc.records[0]?.interim?.ending_at).toEqual([1, 2, 3]);
    expect(doc.warnings[0]).toMatch(/^line 1: iperf3 run: 2 omitted intervals/);
  });

  it('no omitted intervals: no warning', () => {
    const doc = imp({ ...run, intervals: run.intervals.slice(2) });
    expect(doc.records[0]?.interim?.throughput).toEqual([900e6, 910e6, 920e6]);
    expect(doc.warnings).toEqual([]);
  });
});

describe('iperf3 --bidir', () => {
  // iperf3 -c HOST -J --bidir -t 2 (client side): socket 5 sends, socket 7 receives what the server sends
  const iv = (t0: number, fwd: number, rev: number): Record<string, unknown> => ({
    streams: [tcpIv(t0, fwd, false, true, 5), tcpIv(t0, rev, false, false, 7)],
    sum: tcpIv(t0, fwd, false, true),
    sum_bidir_reverse: tcpIv(t0, rev, false, false),
  });
  const sums = (bps: number, sender: boolean, retr?: number): Record<string, unknown> => ({ start: 0, end: 2, seconds: 2, bytes: bps / 4, bits_per_second: bps, ...(retr !== undefined ? { retransmits: retr } : {}), sender });
  const run = {
    start: start('TCP', { bidir: 1, duration: 2 }),
    intervals: [iv(0, 900e6, 480e6), iv(1, 902e6, 490e6)],
    end: {
      streams: [
        { sender: { socket: 5, ...sums(901e6, true, 3) }, receiver: { socket: 5, ...sums(900e6, true) } },
        { sender: { socket: 7, ...sums(486e6, false, 9) }, receiver: { socket: 7, ...sums(485e6, false) } },
      ],
      sum_sent: sums(901e6, true, 3),
      sum_received: sums(900e6, true),
      sum_sent_bidir_reverse: sums(486e6, false, 9),
      sum_received_bidir_reverse: sums(485e6, false),
      cpu_utilization_percent: cpu,
      sender_tcp_congestion: 'cubic',
      receiver_tcp_congestion: 'cubic',
    },
  };

  it('gives each direction its own record, with its own throughput and interval series', () => {
    const doc = imp(run);
    expect(doc.records.map((r) => r.test)).toEqual(['iperf3 TCP bidir', 'iperf3 TCP bidir reverse']);
    const [fwd, rev] = doc.records;
    expect(fwd).toMatchObject({ line: 1, throughput: 900e6, elapsed_s: 2, remote_host: '10.0.0.1', cpu_local_pct: 20.5, cpu_remote_pct: 10.25 });
    expect(fwd?.extra).toMatchObject({ bytes_received: 225e6, bytes_sent: 225.25e6, sender_bits_per_second: 901e6, retransmits: 3 });
    expect(fwd?.interim?.throughput).toEqual([900e6, 902e6]);
    expect(rev).toMatchObject({ line: 1, throughput: 485e6, elapsed_s: 2, remote_host: '10.0.0.1' });
    expect(rev?.extra).toMatchObject({ bytes_received: 121.25e6, bytes_sent: 121.5e6, sender_bits_per_second: 486e6, retransmits: 9 });
    expect(rev?.interim?.throughput).toEqual([480e6, 490e6]);
    expect(rev?.interim?.ending_at).toEqual([1, 2]);
    expect(doc.warnings).toEqual([]);
  });

  it('a one-way run is still one record, named as before; -R is "reverse"', () => {
    const oneWay = { ...run, start: start('TCP'), intervals: run.intervals.map((i) => ({ streams: [(i['streams'] as unknown[])[0]], sum: i['sum'] })), end: { ...run.end, sum_sent_bidir_reverse: undefined, sum_received_bidir_reverse: undefined } };
    expect(imp(oneWay).records.map((r) => [r.test, r.throughput])).toEqual([['iperf3 TCP', 900e6]]);
    expect(imp({ ...oneWay, start: start('TCP', { reverse: 1 }) }).records.map((r) => r.test)).toEqual(['iperf3 TCP reverse']);
  });

  it('a bidir run cut off before its end summary: both directions carry the error, said once', () => {
    const doc = imp({ start: run.start, intervals: run.intervals });
    expect(doc.records.map((r) => [r.test, r.error, r.interim?.throughput.length])).toEqual([
      ['iperf3 TCP bidir', 'no end summary: the run was cut off or failed', 2],
      ['iperf3 TCP bidir reverse', 'no end summary: the run was cut off or failed', 2],
    ]);
    expect(doc.warnings).toEqual(['line 1: iperf3 run: no end summary: the run was cut off or failed']);
  });
});

describe('iperf3 UDP throughput is what arrived', () => {
  const udpSum = (bps: number, lostPct: number, sender: boolean): Record<string, unknown> => ({ start: 0, end: 3, seconds: 3, bytes: (bps * 3) / 8, bits_per_second: bps, jitter_ms: 0.02, lost_packets: lostPct * 10, packets: 1000, lost_percent: lostPct, sender });

  it('only end.sum (the sender\'s rate): received = bits_per_second × (1 − lost_percent/100), the sender\'s rate kept apart, and said how', () => {
    const doc = imp({ start: start('UDP', { target_bitrate: 2e9 }), intervals: [], end: { streams: [], sum: udpSum(2e9, 50, true), cpu_utilization_percent: cpu } });
    const r = doc.records[0];
    expect(r).toMatchObject({ test: 'iperf3 UDP', throughput: 1e9, throughput_text: '1000000000', throughput_units: 'bits/s' });
    expect(r?.extra).toMatchObject({ sender_bits_per_second: 2e9, bytes_sent: 750e6, lost_percent: 50, jitter_ms: 0.02, throughput_derived: 'end.sum bits_per_second × (1 − lost_percent/100)' });
    expect(doc.warnings).toEqual(["line 1: iperf3 UDP run: throughput 1000000000 bits/s is the received rate, derived as the sender's 2000000000 bits/s × (1 − 50/100 lost): the JSON has no end.sum_received"]);
  });

  it('end.sum_received (newer iperf3 adds sum_sent and sum_received to UDP) is taken as it is', () => {
    const end = { streams: [], sum: udpSum(2e9, 50, true), sum_sent: { ...udpSum(2e9, 0, true), lost_percent: 0 }, sum_received: { ...udpSum(0.99e9, 50, false), bytes: 371.25e6 }, cpu_utilization_percent: cpu };
    const doc = imp({ start: start('UDP'), intervals: [], end });
    expect(doc.records[0]).toMatchObject({ throughput: 0.99e9, extra: { sender_bits_per_second: 2e9, bytes_received: 371.25e6, bytes_sent: 750e6, lost_percent: 50 } });
    expect(doc.records[0]?.extra?.['throughput_derived']).toBeUndefined();
    expect(doc.warnings).toEqual([]);
  });

  it('no lost_percent to derive from: the sender\'s rate stays, and the warning says that is what it is', () => {
    const sum = udpSum(2e9, 0, true);
    delete sum['lost_percent'];
    const doc = imp({ start: start('UDP'), intervals: [], end: { streams: [], sum } });
    expect(doc.records[0]?.throughput).toBe(2e9);
    expect(doc.warnings).toEqual(["line 1: iperf3 UDP run: throughput is the sender's offered rate: the JSON has neither end.sum_received nor a lost_percent to derive what arrived"]);
  });

  it('TCP with only end.sum is not touched', () => {
    const doc = imp({ start: start('TCP'), intervals: [], end: { sum: { start: 0, end: 3, seconds: 3, bytes: 375e6, bits_per_second: 1e9, lost_percent: 50 } } });
    expect(doc.records[0]?.throughput).toBe(1e9);
    expect(doc.warnings).toEqual([]);
  });
});

describe('iperf3 output rxlab does not read', () => {
  it('--json-stream is named, with the option to use instead', () => {
    const lines = [
      { event: 'start', data: start('TCP') },
      { event: 'interval', data: { streams: [tcpIv(0, 9e8, false, true, 5)], sum: tcpIv(0, 9e8, false, true) } },
      { event: 'end', data: { sum_sent: { bits_per_second: 9e8 }, sum_received: { bits_per_second: 9e8 } } },
    ].map((o) => JSON.stringify(o));
    expect(() => importBytesSync('stream.json', Buffer.from(`${lines.join('\n')}\n`))).toThrow(
      'stream.json:1: this is iperf3 --json-stream output (one {"event": …} object per line); rxlab reads iperf3 -J output: run iperf3 with -J instead of --json-stream',
    );
  });
});
