import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIO } from '../cli-capture.js';
import { importCommand } from './commands.js';
import { importBytes } from './import.js';
import { realLogsDir } from './real-logs-dir.js';
import { runNotes } from './run-notes.js';

const notes = async (tool: string, name: string): Promise<string[]> => runNotes((await importBytes(name, readFileSync(join(realLogsDir(), tool, name)))).doc.records);

describe('rxlab import: a line per histogram and per time series', () => {
  it('percentiles of a netperf -v 2 histogram, as "≤" their bucket edges', async () => {
    expect(await notes('netperf', 'netperf-2.4.4-manual-tcp_rr-v2-histogram.txt')).toEqual(['TCP_RR (line 1): request/response time of 35,391 transactions: p50 ≤ 200 µs, p90 ≤ 200 µs, p99 ≤ 8 ms']);
  });
  it('a demo-mode run: its interim values, from the numbers as printed', async () => {
    expect(await notes('netperf', 'netperf-2.7.0-manual-migrated-tcp_stream-demo-interim-ending-at.txt')).toEqual(['TCP_STREAM (line 1): 9 values over 19.35 s: 36.46–86.42 Mbit/s']);
  });
  it('flent: five series, then how many more; the range from the samples, not the chart\'s bucket means', async () => {
    const lines = await notes('flent', 'flent-test-rrul.flent.gz');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe('Ping (ms) ICMP: 750 values over 149.8 s: 10.4–395.8 ms');
    expect(lines[5]).toBe('… and 13 more with a time series');
  });
  it('a UDP_STREAM run: what the receiver got beside what the sender sent', async () => {
    expect(await notes('netperf', 'netperf-2.4.4-manual-udp_stream-remote-zero-received.txt')).toEqual([
      'UDP_STREAM run at line 1: received 0 10^6bits/sec, sent 2,786.99 (100 % of messages lost)',
    ]);
  });
  it('nothing for a log with neither', async () => {
    expect(await notes('netperf', 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt')).toEqual([]);
  });
  it('printed under the file\'s summary line', async () => {
    const io = captureIO();
    expect(await importCommand.run(['--no-save', join(realLogsDir(), 'netperf', 'netperf-2.4.4-manual-tcp_rr-v2-histogram.txt')], io)).toBe(0);
    expect(io.outText).toMatch(/: netperf \(netperf classic\), 1 runs, 0 warnings\n {2}TCP_RR \(line 1\): request\/response time of 35,391 transactions: p50 ≤ 200 µs/);
  });
});
