import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { importFile } from '../import.js';
import { realLogsDir } from '../real-logs-dir.js';

const file = (n: string): string => join(realLogsDir(), 'flent', n);

describe('flent .flent.gz real samples', () => {
  it('tcp_1up_noping (data v4): TCP upload mean as stored', async () => {
    const { doc } = await importFile(file('flent-test-tcp_1up_noping-cpu_stats.flent.gz'));
    expect(doc.format).toBe('flent data v4');
    expect(doc.records).toHaveLength(1);
    expect(doc.records[0]).toMatchObject({ test: 'flent tcp_1up_noping: TCP upload', throughput: 939.47, throughput_units: 'Mbits/s', elapsed_s: 30.2, message_bytes: 16384 });
  });
  it('tcp_nup (v3): 50 flows plus avg/sum and ping', async () => {
    const { doc } = await importFile(file('flent-test-tcp_nup.flent.gz'));
    expect(doc.records.length).toBe(53);
    expect(doc.records.find((r) => r.test.endsWith('TCP upload sum'))?.throughput).toBe(26.09);
  });
  it('rrul (v3) and http (v2)', async () => {
    const rrul = await importFile(file('flent-test-rrul.flent.gz'));
    expect(rrul.doc.records.find((r) => r.test.endsWith('Ping (ms) ICMP'))?.extra?.['mean']).toBe(55.982);
    const http = await importFile(file('flent-test-http.flent.gz'));
    expect(http.doc.format).toBe('flent data v2');
    expect(http.doc.records[0]?.extra?.['units']).toBe('ms');
  });
  it('each series keeps its samples against x_values (seconds since the start), nulls left out, for the over-time charts', async () => {
    const json = JSON.parse(gunzipSync(readFileSync(file('flent-test-rrul.flent.gz'))).toString('utf8')) as { x_values: number[]; results: Record<string, (number | null)[]> };
    const { doc } = await importFile(file('flent-test-rrul.flent.gz'));
    for (const series of ['Ping (ms) ICMP', 'TCP download BE']) {
      const want = (json.results[series] ?? []).map((v, i) => [json.x_values[i], v]).filter(([, v]) => v !== null);
      const it = doc.records.find((r) => r.extra?.['series'] === series)?.interim;
      expect(want.length).toBeGreaterThan(100);
      expect(it?.throughput.map((v, i) => [it.ending_at?.[i], v])).toEqual(want);
    }
    expect(doc.records.find((r) => r.extra?.['series'] === 'Ping (ms) ICMP')?.interim?.throughput_units).toBe('ms');
  });
});
