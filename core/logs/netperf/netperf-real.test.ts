import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { importFile } from '../import.js';
import { realLogsDir } from '../real-logs-dir.js';
import type { LogRecord } from '../types.js';

async function recs(name: string): Promise<LogRecord[]> {
  const r = await importFile(join(realLogsDir(), 'netperf', name));
  expect(r.doc.tool).toBe('netperf');
  return r.doc.records;
}
async function one(name: string): Promise<LogRecord> {
  const rs = await recs(name);
  expect(rs).toHaveLength(1);
  return rs[0] as LogRecord;
}

describe('netperf real samples', () => {
  it('2.4.4 manual TCP_STREAM: 2997.84 over 10.00 s', async () => {
    const r = await one('netperf-2.4.4-manual-tcp_stream-default-localhost.txt');
    expect(r).toMatchObject({ line: 1, test: 'TCP_STREAM', throughput: 2997.84, throughput_text: '2997.84', throughput_units: '10^6bits/sec', elapsed_s: 10, message_bytes: 16384, remote_recv_socket_bytes: 87380, local_send_socket_bytes: 16384, family: 'AF_INET', remote_host: 'localhost.localdomain' });
    expect(r.error).toBeUndefined();
  });
  it('2.2-era "TEST to" banner, indented, -c -C', async () => {
    const r = await one('netperf-2.2-era-lkml2003-tcp_stream-to-banner-c-C-indented-with-cmd.txt');
    expect(r).toMatchObject({ line: 2, test: 'TCP_STREAM', remote_host: 'foobar', throughput: 897.16, elapsed_s: 30, throughput_units: '10^6bits/s', remote_recv_socket_bytes: 131070, local_send_socket_bytes: 131072, message_bytes: 131072, cpu_local_pct: 34.07, cpu_remote_pct: 35, cpu_method_local: 'S', cpu_method_remote: 'S', service_demand_local: 3.111, service_demand_remote: 3.196, service_demand_units: 'us/KB' });
  });
  it('TCP_MAERTS with 6-digit socket column', async () => {
    const r = await one('netperf-2.4.4-manual-tcp_maerts.txt');
    expect(r).toMatchObject({ test: 'TCP_MAERTS', local_recv_socket_bytes: 221184, remote_send_socket_bytes: 131072, message_bytes: 131072, elapsed_s: 10.03, throughput: 81.14 });
  });
  it('TCP_RR default: two rows', async () => {
    const r = await one('netperf-2.4.4-manual-tcp_rr-default.txt');
    expect(r).toMatchObject({ test: 'TCP_RR', transactions_per_s: 29150.15, throughput: 29150.15, throughput_units: 'Trans/s', elapsed_s: 10, request_bytes: 1, response_bytes: 1, local_send_socket_bytes: 16384, local_recv_socket_bytes: 87380, remote_send_socket_bytes: 16384, remote_recv_socket_bytes: 87380 });
  });
  it('TCP_RR -v 2 histogram and alignment block', async () => {
    const r = await one('netperf-2.4.4-manual-tcp_rr-v2-histogram.txt');
    expect(r.transactions_per_s).toBe(3538.82);
    expect(r.remote_send_socket_bytes).toBe(32768);
    expect(r.histogram?.['HUNDRED_USEC']).toEqual([0, 34480, 111, 13, 12, 6, 9, 3, 4, 7]);
    expect(r.histogram?.['HIST_TOTAL']).toEqual([35391]);
    expect(r.histogram?.['>100_SECS']).toEqual([0]);
    expect(r.extra?.['local_send_align']).toBe(8);
  });
  it('confidence banner and !!! WARNING block', async () => {
    const r = await one('netperf-2.4.4-manual-tcp_stream-confidence-warning-i3-I99_5.txt');
    expect(r.throughput).toBe(40.23);
    expect(r.elapsed_s).toBe(10.01);
    expect(r.confidence).toEqual({ requested: '+/-2.5% @ 99% conf.', warning: true, achieved_pct: { throughput: 6.8, local_cpu_util: 0, remote_cpu_util: 0 } });
  });
  it('UDP_STREAM two-line form', async () => {
    const r = await one('netperf-2.4.4-manual-udp_stream-two-line.txt');
    expect(r).toMatchObject({ test: 'UDP_STREAM', local_send_socket_bytes: 124928, message_bytes: 32768, elapsed_s: 10, messages_ok: 105672, messages_errors: 0, throughput: 2748.5, remote_recv_socket_bytes: 135168, remote_elapsed_s: 10, remote_messages_ok: 104844, remote_throughput: 2748.5 });
    // the run's throughput is what arrived; the sender's row is kept beside it
    expect(r.extra).toMatchObject({ sent_throughput: 2770.2, sent_throughput_text: '2770.20' });
    expect(r.throughput_text).toBeUndefined();
  });
  it('UDP_STREAM remote received zero', async () => {
    const r = await one('netperf-2.4.4-manual-udp_stream-remote-zero-received.txt');
    expect(r).toMatchObject({ throughput: 0, messages_ok: 53595, remote_messages_ok: 0, remote_throughput: 0, remote_recv_socket_bytes: 65536, extra: { sent_throughput: 2786.99 } });
  });
  it('-D interim results in MBytes/s (2.4 form)', async () => {
    const r = await one('netperf-2.4.4-manual-tcp_stream-demo-interim-MBytes.txt');
    expect(r.throughput).toBe(9.61);
    expect(r.throughput_units).toBe('MBytes/sec');
    expect(r.interim).toEqual({ throughput_units: 'MBytes/s', throughput: [9.66, 9.64, 9.58, 9.51, 9.71, 9.66, 9.61], seconds: [1.67, 1.35, 1.36, 1.36, 1.35, 1.36, 1.36], line: 2 });
  });
  it('-D interim results with "ending at" (2.6+)', async () => {
    const r = await one('netperf-2.7.0-manual-migrated-tcp_stream-demo-interim-ending-at.txt');
    expect(r).toMatchObject({ migrated: true, throughput: 68.87, elapsed_s: 20.34, remote_host: 'tardy.hpl.hp.com' });
    expect(r.interim?.throughput).toHaveLength(9);
    expect([r.interim?.throughput[8], r.interim?.seconds[8], r.interim?.ending_at?.[8]]).toEqual([86.42, 2.12, 1327963897.901]);
    expect(r.interim?.throughput_units).toBe('10^6bits/s');
  });
  it('TCP_RR first burst', async () => {
    const r = await one('netperf-2.4.4-manual-tcp_rr-burst-first-burst-6.txt');
    expect(r).toMatchObject({ transactions_per_s: 3525.97, request_bytes: 32768, response_bytes: 32768, elapsed_s: 10.01 });
    expect(r.extra?.['first_burst']).toBe(6);
  });
  it('UDP_RR with CPU columns (% I) and us/Tr', async () => {
    const r = await one('netperf-2.4.4-manual-udp_rr-cpu-util-c-C.txt');
    expect(r).toMatchObject({ test: 'UDP_RR', transactions_per_s: 15262.48, elapsed_s: 10.01, cpu_local_pct: 13.9, cpu_remote_pct: 16.11, service_demand_local: 18.221, service_demand_remote: 21.116, cpu_method_local: 'I', cpu_method_remote: 'I', service_demand_units: 'us/Tr' });
  });
  it('-P 0 bare rows with CPU columns', async () => {
    const rs = await recs('netperf-2.4.x-manual-tcp_stream-P0-cpu-util-c-C-4concurrent.txt');
    expect(rs.map((r) => r.throughput)).toEqual([235.47, 234.73, 234.64, 234.87]);
    expect(rs[3]).toMatchObject({ line: 4, service_demand_local: 10.253, service_demand_remote: 14.215, cpu_remote_pct: 5.09 });
  });
  it('-P 0 rows with -B tags', async () => {
    const rs = await recs('netperf-2.4.x-manual-tcp_stream-P0-B-banner-tag-4concurrent.txt');
    expect(rs.map((r) => [r.throughput, r.tag])).toEqual([[234.9, 'this is test 4'], [234.41, 'this is test 2'], [235.26, 'this is test 1'], [235.09, 'this is test 3']]);
  });
  it('-v 0 -P 0 single values with tags', async () => {
    const rs = await recs('netperf-2.4.x-manual-tcp_rr-v0-P0-B-burst-sweep.txt');
    expect(rs).toHaveLength(7);
    expect(rs[6]).toMatchObject({ throughput: 114411.66, tag: '-b 32 -D' });
  });
  it('omni -k keyval', async () => {
    const r = await one('netperf-2.7.0-manual-omni-k-keyval.txt');
    expect(r).toMatchObject({ test: 'OMNI', throughput: 59092.65, throughput_units: 'Trans/s', transactions_per_s: 59092.65 });
  });
  it('omni -o CSV', async () => {
    const r = await one('netperf-2.7.0-manual-omni-o-csv.txt');
    expect(r).toMatchObject({ throughput: 60999.07, throughput_units: 'Trans/s' });
  });
  it('omni -O human columns', async () => {
    const r = await one('netperf-2.7.0-manual-omni-O-human.txt');
    expect(r).toMatchObject({ throughput: 60492.57, throughput_units: 'Trans/s' });
  });
  it('migrated TCP_RR -v 2 with Throughput column and RoundTrip block', async () => {
    const r = await one('netperf-2.7.0-manual-migrated-tcp_rr-v2-burst-bidir-throughput.txt');
    expect(r).toMatchObject({ throughput: 1821.3, throughput_units: '10^6bits/sec', transactions_per_s: 3473.252, remote_send_socket_bytes: 524288 });
    expect(r.extra?.['round_trip_latency_usec_per_tran']).toBe(2015.402);
    expect(r.extra?.['inbound_throughput']).toBe(910.492);
  });
  it('migrated TCP_RR default and keyval', async () => {
    expect((await one('netperf-2.7.0-manual-migrated-tcp_rr-default.txt')).transactions_per_s).toBe(59421.52);
    expect(await one('netperf-2.7.0-manual-migrated-tcp_rr-k-keyval.txt')).toMatchObject({ test: 'TCP_RR', throughput: 60074.74, transactions_per_s: 60074.74 });
  });
  it('headerless omni CSV, two concurrent runs', async () => {
    const rs = await recs('netperf-2.5+-manual-omni-P0-o-csv-no-header-concurrent.txt');
    expect(rs.map((r) => [r.throughput, r.extra?.['field2']])).toEqual([[805.26, 'Receive'], [828.54, 'Send']]);
  });
  it('tail -f of six logs, IPv4 and IPv6', async () => {
    const rs = await recs('netperf-2.5-era-migrated-tcp_stream-ipv4-ipv6-demo-tail-f-multilog.txt');
    expect(rs.map((r) => r.throughput)).toEqual([10.56, 10.43, 2.13, 2.1, 6.34, 6.27]);
    expect(rs.map((r) => r.family)).toEqual(['AF_INET', 'AF_INET6', 'AF_INET', 'AF_INET6', 'AF_INET', 'AF_INET6']);
    expect(rs[1]?.elapsed_s).toBe(120.01);
  });
  it('OpenWrt prompt + CPU columns', async () => {
    const r = await one('netperf-2.5pre-svn-openwrt-migrated-tcp_stream-c-C-cpu-util-with-prompt.txt');
    expect(r).toMatchObject({ line: 2, throughput: 4.21, elapsed_s: 10.07, cpu_local_pct: 29, cpu_remote_pct: 1, service_demand_local: 565.055, service_demand_remote: 19.39 });
  });
  it('PKB JSON list of banner/CSV lines', async () => {
    const rs = await recs('netperf-2.6+-pkb-omni-o-csv-confidence-banners-json-wrapped.json');
    expect(rs).toHaveLength(10);
    expect(rs.map((r) => r.test)).toEqual(['TCP_RR', 'TCP_RR', 'TCP_CRR', 'TCP_CRR', 'TCP_STREAM', 'TCP_STREAM', 'UDP_RR', 'UDP_RR', 'UDP_STREAM', 'UDP_STREAM']);
    expect(rs[0]).toMatchObject({ line: 3, throughput: 1405.5, transactions_per_s: 1405.5, throughput_units: 'Trans/s' });
    expect(rs[4]).toMatchObject({ throughput: 1187.94, throughput_units: '10^6bits/s' });
    expect(rs[4]?.transactions_per_s).toBeUndefined();
    expect(rs[9]).toMatchObject({ throughput: 1802.72 });
    expect(rs[0]?.extra?.['THROUGHPUT_CONFIDENCE_WIDTH']).toBe('2.522');
  });
  it('PKB hard-wrapped banner and CSV header + histogram', async () => {
    const r = await one('netperf-2.6+-pkb-omni-o-csv-udp_rr-histogram-line-wrapped.txt');
    expect(r).toMatchObject({ test: 'UDP_RR', remote_host: '130.211.199.94', throughput: 2217.06, transactions_per_s: 2217.06 });
    expect(r.extra?.['MAXIMUM_LATENCY_MICROSECONDS']).toBe('9688');
    expect(r.extra?.['THROUGHPUT_CONFIDENCE_WIDTH']).toBe('-1.000');
    expect(r.histogram?.['HIST_TOTAL']).toEqual([133024]);
  });
  it('script log with a truncated run: error record, not a crash', async () => {
    const rs = await recs('netperf-2.6-era-migrated-tcp_stream-c-C-i10_2-I99_5-script-log-with-truncated-run.txt');
    expect(rs).toHaveLength(6);
    expect(rs[0]).toMatchObject({ throughput: 3919.03, cpu_remote_pct: 99.61 });
    expect(rs[1]?.error).toMatch(/cut off/);
    expect(rs[1]).toMatchObject({ line: 15, message_bytes: 4096 });
    expect(rs[1]?.throughput).toBeUndefined();
    expect(rs.slice(2).map((r) => r.throughput)).toEqual([2205.32, 2254.21, 649.39, 399.66]);
    expect(rs[3]?.extra?.['command']).toMatch(/-m 32768/);
  });
  it('FreeBSD: no blank line before data', async () => {
    const r = await one('netperf-2.7-freebsd-migrated-tcp_stream-no-blank-before-data-with-prompt.txt');
    expect(r).toMatchObject({ throughput: 5015.39, elapsed_s: 60, message_bytes: 131072 });
  });
  it('FreeBSD UDP_STREAM % CC method and big error count', async () => {
    const r = await one('netperf-2.7-freebsd-migrated-udp_stream-c-C-CC-method-histogram-demo-banner-with-prompt.txt');
    expect(r).toMatchObject({ messages_ok: 2481802, messages_errors: 3442726, throughput: 0, extra: { sent_throughput: 3049.6 }, cpu_local_pct: 100, service_demand_local: 2.686, cpu_method_local: 'CC', remote_throughput: 0, cpu_remote_pct: 45.78, service_demand_remote: 1.23 });
  });
  it('LKP: 16 UDP_STREAM runs after timestamped commands', async () => {
    const rs = await recs('netperf-2.7-lkp-migrated-udp_stream-c-C-SS-method-16-instances-timestamped-cmds.txt');
    expect(rs).toHaveLength(16);
    expect(rs[0]).toMatchObject({ line: 18, throughput: 61689.4, extra: { sent_throughput: 63577.2 }, remote_throughput: 61689.4, elapsed_s: 300, cpu_method_local: 'SS', service_demand_local: 3.977 });
    expect(rs.every((r) => r.error === undefined)).toBe(true);
  });
  it('LKP: 64 SCTP_STREAM_MANY runs without blank lines between', async () => {
    const rs = await recs('netperf-2.7-lkp-sctp_stream_many-c-C-multi-instance-timestamped-cmds.txt');
    expect(rs).toHaveLength(64);
    expect(rs[0]).toMatchObject({ test: 'SCTP_STREAM_MANY', throughput: 7572.02, service_demand_local: 44.406, message_bytes: 10240 });
    expect(rs[63]).toMatchObject({ throughput: 8056.4, cpu_remote_pct: 31.97, service_demand_remote: 41.617 });
  });
});
