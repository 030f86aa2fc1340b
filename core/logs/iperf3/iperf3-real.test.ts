import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { importBytesSync, importFile } from '../import.js';
import { realLogsDir } from '../real-logs-dir.js';

const file = (n: string): string => join(realLogsDir(), 'iperf3', n);

describe('iperf3 -J real samples', () => {
  it('single TCP object with one interval', async () => {
    const { doc } = await importFile(file('iperf3-3.20-J-tcp-loopback-1stream-1interval-lkp.json'));
    expect(doc.records).toHaveLength(1);
    expect(doc.records[0]).toMatchObject({ test: 'iperf3 TCP', throughput: 23548652092.780964, throughput_units: 'bits/s', elapsed_s: 10.001405, message_bytes: 131072, local_send_socket_bytes: 16384, local_recv_socket_bytes: 131072, cpu_local_pct: 101.81275995134462 });
    expect(doc.records[0]?.interim?.throughput).toEqual([23998405944.85909]);
  });
  it('two concatenated TCP objects', async () => {
    const { doc } = await importFile(file('iperf3-3.20-J-tcp-2-runs-concatenated-no-intervals-lkp.json'));
    expect(doc.records.map((r) => [r.line, r.throughput, r.elapsed_s])).toEqual([[1, 19900000000, 30.000612], [90, 21800000000, 30.000589]]);
    expect(doc.records[0]?.extra?.['bytes_received']).toBe(74625000000);
    expect(doc.records[0]?.cpu_remote_pct).toBe(42.1);
  });
  it('two concatenated objects, the second cut off (a killed run): the first is kept and the cut named by its line', async () => {
    const text = readFileSync(file('iperf3-3.20-J-tcp-2-runs-concatenated-no-intervals-lkp.json'), 'utf8');
    const cut = text.slice(0, text.length - 200);
    const { doc } = importBytesSync('cut.json', Buffer.from(cut));
    expect(doc.records.map((r) => [r.line, r.throughput])).toEqual([[1, 19900000000]]);
    expect(doc.warnings).toContain('line 90: JSON value starting at line 90 is cut off (unbalanced braces at end of file); the 1 complete value before it is kept');
    // a file whose only object is cut off is still refused, at its line
    expect(() => importBytesSync('one.json', Buffer.from(text.slice(0, 500)))).toThrow(/one\.json:\d+: JSON value starting at line 1 is cut off/);
  });
  it('two concatenated UDP objects with jitter and loss', async () => {
    const { doc } = await importFile(file('iperf3-3.20-J-udp-2-runs-concatenated-no-intervals-lkp.json'));
    expect(doc.records).toHaveLength(2);
    // Only end.sum, whose rate is the sender's: what arrived is 950e6 × (1 − 0.00046/100) = 950e6 − 4,370
    // (2 of 434,570 packets lost is 4,372 bits/s: the same to the printed precision of lost_percent).
    expect(doc.records[0]).toMatchObject({ test: 'iperf3 UDP', throughput: 949995630, throughput_text: '949995630', elapsed_s: 30.000345, message_bytes: 8192 });
    expect(doc.records[0]?.extra).toMatchObject({ jitter_ms: 0.015, lost_packets: 2, packets: 434570, lost_percent: 0.00046, sender_bits_per_second: 950000000, bytes_sent: 3562500000 });
    expect(doc.records[0]?.extra?.['bytes_received']).toBeUndefined();
    // 980e6 × (1 − 0.00022/100) = 980e6 − 2,156
    expect(doc.records[1]?.throughput).toBe(979997844);
    expect(doc.records[1]?.extra?.['sender_bits_per_second']).toBe(980000000);
    expect(doc.warnings).toEqual([
      'line 1: iperf3 UDP run: throughput 949995630 bits/s is the received rate, derived as the sender\'s 950000000 bits/s × (1 − 0.00046/100 lost): the JSON has no end.sum_received',
      'line 77: iperf3 UDP run: throughput 979997844 bits/s is the received rate, derived as the sender\'s 980000000 bits/s × (1 − 0.00022/100 lost): the JSON has no end.sum_received',
    ]);
  });
});
