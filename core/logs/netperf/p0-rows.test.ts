import { describe, expect, it } from 'vitest';
import { importBytesSync } from '../import.js';
import type { ImportDoc } from '../types.js';
import { cutsThatDiffer } from './split-check.js';

const doc = (s: string): ImportDoc => importBytesSync('p0.txt', new TextEncoder().encode(s)).doc;

// netperf -P 0 (no banner, no header) prints its classic result lines alone. TCP_RR: the local
// row (socket sizes, request and response sizes, elapsed time, transactions/s), then the remote
// socket sizes. UDP_STREAM: the local row (socket, message size, elapsed, messages okay and in
// error, throughput), then the remote row (socket, elapsed, messages okay, throughput). -c -C add
// CPU and service demand columns to both rows of UDP_STREAM and to the first row of TCP_RR.
const RR = `16384  87380  1        1       10.00    12345.67
16384  87380
`;
const RR_CPU = `16384  87380  1        1       10.00    29150.15  2.45   3.12   6.722   8.563
16384  87380
`;
const UDP = `124928   65000   10.00       53595      0    2786.99
65536           10.00           0              0.00
`;
const UDP_CPU = `212992   65507   10.00     3639532      0    19071.5   24.11    3.977
212992           10.00     3531462            18505.4   23.50    3.880
`;
const STREAM = `87380  16384  16384    10.03     234.90
`;

const RR_FIELDS = {
  local_send_socket_bytes: 16384,
  local_recv_socket_bytes: 87380,
  request_bytes: 1,
  response_bytes: 1,
  elapsed_s: 10,
  throughput: 12345.67,
  throughput_text: '12345.67',
  throughput_units: 'Trans/s',
  transactions_per_s: 12345.67,
  remote_send_socket_bytes: 16384,
  remote_recv_socket_bytes: 87380,
};
const UDP_FIELDS = {
  local_send_socket_bytes: 124928,
  message_bytes: 65000,
  elapsed_s: 10,
  messages_ok: 53595,
  messages_errors: 0,
  // what arrived (the remote row); the sender's row in extra
  throughput: 0,
  remote_recv_socket_bytes: 65536,
  remote_elapsed_s: 10,
  remote_messages_ok: 0,
  remote_throughput: 0,
};
const SENT = { sent_throughput: 2786.99, sent_throughput_text: '2786.99' };

describe('netperf -P 0 rows of TCP_RR and UDP_STREAM', () => {
  it('TCP_RR without the command: read by its shape, the remote socket row joins the run', () => {
    const d = doc(RR);
    expect(d.records).toEqual([{ line: 1, test: 'TCP_RR', ...RR_FIELDS }]);
    expect(d.warnings).toEqual([]);
  });

  it('TCP_RR with the command echoed before it', () => {
    const d = doc(`$ netperf -H 10.0.0.2 -t TCP_RR -P 0 -l 10\n${RR}`);
    expect(d.records).toEqual([{ line: 2, test: 'TCP_RR', ...RR_FIELDS, extra: { command: 'netperf -H 10.0.0.2 -t TCP_RR -P 0 -l 10' } }]);
    expect(d.warnings).toEqual([]);
    // UDP_RR prints the same two rows.
    expect(doc(`netperf -t UDP_RR -P 0\n${RR}`).records[0]).toMatchObject({ test: 'UDP_RR', ...RR_FIELDS });
  });

  it('TCP_RR with CPU columns (-c -C)', () => {
    for (const text of [RR_CPU, `netperf -t TCP_RR -P 0 -c -C\n${RR_CPU}`]) {
      const d = doc(text);
      expect(d.records).toHaveLength(1);
      expect(d.records[0]).toMatchObject({ test: 'TCP_RR', transactions_per_s: 29150.15, elapsed_s: 10, cpu_local_pct: 2.45, cpu_remote_pct: 3.12, service_demand_local: 6.722, service_demand_remote: 8.563, remote_recv_socket_bytes: 87380 });
      expect(d.records[0]?.error).toBeUndefined();
    }
  });

  it('UDP_STREAM without and with the command: throughput is the last local column, the remote row joins the run', () => {
    const d = doc(UDP);
    expect(d.records).toEqual([{ line: 1, test: 'UDP_STREAM', ...UDP_FIELDS, extra: SENT }]);
    expect(d.warnings).toEqual([]);
    const e = doc(`netperf -H 10.0.0.2 -t UDP_STREAM -P 0 -- -m 65000\n${UDP}`);
    expect(e.records).toEqual([{ line: 2, test: 'UDP_STREAM', ...UDP_FIELDS, extra: { command: 'netperf -H 10.0.0.2 -t UDP_STREAM -P 0 -- -m 65000', ...SENT } }]);
  });

  it('UDP_STREAM with CPU columns (-c -C)', () => {
    for (const text of [UDP_CPU, `netperf -t UDP_STREAM -P 0 -c -C\n${UDP_CPU}`]) {
      const d = doc(text);
      expect(d.records).toHaveLength(1);
      expect(d.records[0]).toMatchObject({ test: 'UDP_STREAM', throughput: 18505.4, extra: { sent_throughput: 19071.5 }, messages_ok: 3639532, cpu_local_pct: 24.11, service_demand_local: 3.977, remote_messages_ok: 3531462, remote_throughput: 18505.4, cpu_remote_pct: 23.5, service_demand_remote: 3.88 });
    }
  });

  it('a STREAM -P 0 row is read as before, with or without the command', () => {
    const want = { line: 1, test: 'TCP_STREAM', remote_recv_socket_bytes: 87380, local_send_socket_bytes: 16384, message_bytes: 16384, elapsed_s: 10.03, throughput: 234.9, throughput_text: '234.90' };
    expect(doc(STREAM).records).toEqual([want]);
    expect(doc(`netperf -t TCP_STREAM -P 0\n${STREAM}`).records).toEqual([{ ...want, line: 2, extra: { command: 'netperf -t TCP_STREAM -P 0' } }]);
    expect(doc(`netperf -t TCP_MAERTS -P 0\n${STREAM}`).records[0]).toMatchObject({ test: 'TCP_MAERTS', local_recv_socket_bytes: 87380, remote_send_socket_bytes: 16384, throughput: 234.9 });
  });

  it('six numbers with nothing to tell TCP_RR from UDP_STREAM: kept, but as UNKNOWN with an error naming the line', () => {
    // Alone, and followed by a row that is neither's remote row.
    for (const text of ['16384  87380  1        1       10.00    12345.67\n', `16384  87380  1        1       10.00    12345.67\n${STREAM}`]) {
      const d = doc(text);
      const r = d.records[0];
      expect(r).toMatchObject({ line: 1, test: 'UNKNOWN', extra: { field1: 16384, field2: 87380, field3: 1, field4: 1, field5: 10, field6: 12345.67 } });
      expect(r?.throughput).toBeUndefined();
      expect(r?.error).toMatch(/TCP_RR.*UDP_STREAM/);
      expect(d.warnings[0]).toMatch(/^line 1: UNKNOWN run: -P 0 row of 6 numbers/);
    }
    // The stream row after it is still a run of its own.
    expect(doc(`16384  87380  1        1       10.00    12345.67\n${STREAM}`).records[1]).toMatchObject({ line: 2, test: 'TCP_STREAM', throughput: 234.9 });
  });

  it('a command echoed for another run does not decide a row it cannot have printed', () => {
    // The last command was a UDP_STREAM run; 5-number rows are no UDP_STREAM rows.
    const d = doc(`netperf -t UDP_STREAM -H 10.0.0.2\n${UDP}\n${STREAM}`);
    expect(d.records.map((r) => [r.test, r.throughput])).toEqual([
      ['UDP_STREAM', 0],
      ['TCP_STREAM', 234.9],
    ]);
    // An echoed STREAM test keeps reading a row with a numeric -B tag as a STREAM row.
    expect(doc('netperf -t TCP_STREAM -P 0 -B 7\n87380  16384  16384    10.03     234.90   7\n').records[0]).toMatchObject({ test: 'TCP_STREAM', throughput: 234.9 });
  });

  it('a remote row with nothing before it is still an UNKNOWN run with an error', () => {
    const d = doc('$ netperf -H 10.0.0.2 -P 0\n16384  87380\n');
    expect(d.records).toHaveLength(1);
    expect(d.records[0]).toMatchObject({ test: 'UNKNOWN' });
    expect(d.records[0]?.error).toMatch(/2 numbers/);
  });

  it('a split parse gives the same document, cut at any line', async () => {
    const text = [RR, `netperf -t TCP_RR -P 0\n${RR}`, UDP, STREAM, '16384  87380  1  1  10.00  12345.67\n', UDP_CPU, RR_CPU].join('');
    expect(await cutsThatDiffer(text)).toEqual([]);
  });
});
