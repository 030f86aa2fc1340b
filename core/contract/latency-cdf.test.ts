import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importBytes } from '../logs/import.js';
import { realLogsDir } from '../logs/real-logs-dir.js';
import { formatUs, latencyCdf } from './latency-cdf.js';

const recordOf = async (name: string): Promise<unknown> => {
  const d = (await importBytes(name, readFileSync(join(realLogsDir(), 'netperf', name)))).doc;
  return d.records.find((r) => r.histogram !== undefined);
};

describe('netperf -v 2 histograms as distributions', () => {
  it('TCP_RR (netperf 2.4.4 manual): 35,391 transactions, percentiles at bucket edges', async () => {
    const c = latencyCdf(await recordOf('netperf-2.4.4-manual-tcp_rr-v2-histogram.txt'));
    expect(c).toMatchObject({ what: 'request/response time', total: 35391, over100s: 0 });
    // 34,480 of them in HUNDRED_USEC[1] = [100, 200) µs: the median is at most 200 µs
    expect(c?.fromUs).toBe(100);
    expect(c?.edgeUs[0]).toBe(200);
    expect(c?.fraction[0]).toBeCloseTo(34480 / 35391, 12);
    expect(c?.p50Us).toBe(200);
    // 97.9 % by 1 ms; 98.8 % by 7 ms (UNIT_MSEC[6]); past 99 % in UNIT_MSEC[7] = [7, 8) ms
    expect(c?.p90Us).toBe(200);
    expect(c?.p99Us).toBe(8000);
    expect(c?.fraction.at(-1)).toBe(1);
    // the last bucket: TEN_MSEC[1] = [10, 20) ms holds 105
    expect(c?.edgeUs.at(-1)).toBe(20000);
  });

  it('UDP_RR (omni, histogram line-wrapped in the log): the same rows', async () => {
    const c = latencyCdf(await recordOf('netperf-2.6+-pkb-omni-o-csv-udp_rr-histogram-line-wrapped.txt'));
    expect(c?.total).toBe(133024);
    // 5,771 in [300, 400) µs, then 118,948 in [400, 500): the median is at most 500 µs
    expect(c?.edgeUs.slice(0, 2)).toEqual([400, 500]);
    expect(c?.p50Us).toBe(500);
    // 124,719 (93.8 %) by 500 µs, 131,840 (99.1 %) by 600 µs
    expect(c?.p90Us).toBe(500);
    expect(c?.p99Us).toBe(600);
  });

  it('times past 100 s count in the total and leave a percentile unknown past them; no histogram, no distribution', () => {
    const c = latencyCdf({ test: 'TCP_RR', histogram: { UNIT_USEC: [0, 2, 0, 0, 0, 0, 0, 0, 0, 0], '>100_SECS': [2] } });
    expect(c).toMatchObject({ total: 4, p50Us: 2, p90Us: null, over100s: 2 });
    expect(latencyCdf({ test: 'TCP_STREAM', histogram: { UNIT_USEC: [1] } })?.what).toBe('time per send() call');
    expect(latencyCdf({ test: 'TCP_RR' })).toBeNull();
    expect(latencyCdf({ test: 'TCP_RR', histogram: { UNIT_USEC: [0, 0] } })).toBeNull();
  });

  it('formats µs as they are read', () => {
    expect([formatUs(200), formatUs(8000), formatUs(1.5e6)]).toEqual(['200 µs', '8 ms', '1.5 s']);
  });
});
