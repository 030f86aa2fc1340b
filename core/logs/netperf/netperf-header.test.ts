import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importBytesSync } from '../import.js';
import { readBytesLines } from '../line-reader.js';
import { realLogsDir } from '../real-logs-dir.js';
import { NetperfParser, OmniColumns } from './parse-netperf.js';

const BANNER = 'OMNI Send TEST from 0.0.0.0 (0.0.0.0) port 0 AF_INET to localhost () port 0 AF_INET';
/** The -O banner of netperf 2.7 (test OMNI: a `Throughput` line then starts the header). */
const OMNI_BANNER = 'OMNI TEST from 0.0.0.0 (0.0.0.0) port 0 AF_INET to localhost.localdomain (127.0.0.1) port 0 AF_INET : demo';

/** A banner, a `Socket Thing` header line, n title lines, then n rows `i i.5` (the review's omni-quad-N.txt). */
function omniQuad(n: number): string {
  const lines = [BANNER, 'Socket Thing'];
  for (let i = 0; i < n; i++) lines.push(`Title${i}`);
  for (let i = 0; i < n; i++) lines.push(`${i} ${i}.5`);
  return lines.join('\n') + '\n';
}

/** Records the longest header the parser held after any line. */
class HeaderProbe extends NetperfParser {
  longest = 0;
  override line(raw: string, n: number): void {
    super.line(raw, n);
    const h = (this as unknown as { header: string[] }).header;
    if (h.length > this.longest) this.longest = h.length;
  }
}

function parse(text: string, p: NetperfParser = new NetperfParser()) {
  readBytesLines('np.txt', Buffer.from(text), p);
  return p.finish();
}

describe('netperf table headers stay bounded', () => {
  it('20,000 -O title lines and 20,000 rows parse in well under a second', () => {
    const text = omniQuad(20_000);
    const t0 = performance.now();
    const d = importBytesSync('omni-quad.txt', Buffer.from(text)).doc;
    const ms = performance.now() - t0;
    console.log(`omni-quad 20000 (${(text.length / 1024).toFixed(0)} KiB): ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(2000);
    expect(d.format).toBe('netperf omni');
    // Two rows per run (the parser's rule for rows under one header), titles from the first 8 header lines.
    expect(d.records).toHaveLength(10_000);
    expect(d.records[0]?.extra).toEqual({ SO_TI_TI_TI_TI_TI_TI_TI: '1', CKET_THING_TLE0_TLE1_TLE2_TLE3_TLE4_TLE5_TLE6: '1.5' });
    expect(d.records[9_999]?.extra).toEqual({ SOCKET_TITLE0_TITLE1_TITLE2_TITLE3_TITLE4_TITLE5_TITLE6: '19999', THING: '19999.5' });
    expect(d.warnings).toEqual(['line 10: table header from line 2 runs past 8 lines; only its first 8 are used']);
  });

  it('a header that never ends keeps at most 8 lines, and its table still parses', () => {
    const flood: string[] = ['Recv   Send    Send'];
    for (let i = 0; i < 200_000; i++) flood.push(i % 3 === 2 ? ' '.repeat(i % 50) : `Line${i} xyz`);
    flood.push('', ' 87380  16384  16384    10.00    2997.84');
    const p = new HeaderProbe();
    const t0 = performance.now();
    const d = parse(flood.join('\n'), p);
    console.log(`header flood, 200,000 lines: ${(performance.now() - t0).toFixed(0)} ms`);
    expect(p.longest).toBe(8);
    expect(d.records).toHaveLength(1);
    expect(d.records[0]).toMatchObject({ test: 'TCP_STREAM', throughput: 2997.84, elapsed_s: 10, message_bytes: 16384 });
    expect(d.warnings).toEqual(['line 9: table header from line 1 runs past 8 lines; only its first 8 are used']);
  });

  it('many over-long headers: one warning each up to 20, then one for the rest', () => {
    let text = '';
    for (let k = 0; k < 50; k++) text += `Socket Thing\n${'Title\n'.repeat(9)}${k} ${k}.5\n\n`;
    const d = parse(text);
    expect(d.records).toHaveLength(50);
    expect(d.warnings).toHaveLength(21);
    expect(d.warnings[0]).toBe('line 9: table header from line 1 runs past 8 lines; only its first 8 are used');
    expect(d.warnings[20]).toMatch(/^line \d+: more table headers longer than 8 lines; not reported one by one$/);
  });

  it('a header of exactly 8 lines is kept whole, without a warning', () => {
    const d = parse(`${OMNI_BANNER}\nThroughput Elapsed\n${'x          y\n'.repeat(7)}5.5        10.0\n`);
    expect(d.warnings).toEqual([]);
    expect(d.records[0]?.extra).toEqual({ banner_options: 'demo', THROUGHPUT_X_X_X_X_X_X_X: '5.5', ELAPSED_Y_Y_Y_Y_Y_Y_Y: '10.0' });
  });
});

describe('netperf -O (omni human) values as before', () => {
  it('the real -O sample', () => {
    const d = parse(readFileSync(join(realLogsDir(), 'netperf', 'netperf-2.7.0-manual-omni-O-human.txt'), 'utf8'));
    expect(d.warnings).toEqual([]);
    expect(d.records).toHaveLength(1);
    expect(d.records[0]).toMatchObject({ test: 'OMNI', throughput: 60492.57, throughput_text: '60492.57', throughput_units: 'Trans/s', transactions_per_s: 60492.57 });
    expect(d.records[0]?.extra).toEqual({ banner_options: 'demo', THROUGHPUT: '60492.57', THROUGHPUT_UNITS: 'Trans/s' });
  });

  it('several columns, and two runs under repeated headers', () => {
    const run = [
      BANNER,
      'Local       Remote      Local  Elapsed Throughput Throughput  ',
      'Send Socket Recv Socket Send   Time               Units       ',
      'Size        Size        Size   (sec)                          ',
      'Final       Final                                             ',
      '                                                              ',
      '16384       87380       16384  10.00   9411.25    10^6bits/s  ',
      '',
    ].join('\n');
    const d = parse(run + '\n' + run.replace('9411.25', '9399.10'));
    expect(d.warnings).toEqual([]);
    expect(d.records).toHaveLength(2);
    const want = {
      LOCAL_SEND_SOCKET_SIZE_FINAL: '16384',
      REMOTE_RECV_SOCKET_SIZE_FINAL: '87380',
      LOCAL_SEND_SIZE: '16384',
      ELAPSED_TIME_SEC: '10.00',
      THROUGHPUT: '9411.25',
      THROUGHPUT_UNITS: '10^6bits/s',
    };
    expect(d.records[0]?.extra).toEqual(want);
    expect(d.records[0]).toMatchObject({ throughput: 9411.25, throughput_units: '10^6bits/s', elapsed_s: 10, message_bytes: 16384, local_send_socket_bytes: 16384, remote_recv_socket_bytes: 87380 });
    expect(d.records[1]?.extra).toEqual({ ...want, THROUGHPUT: '9399.10' });
  });

  it('OmniColumns cuts exactly what slicing and trimming every header line does', () => {
    const naive = (header: string[], starts: number[]) =>
      starts.map((s, i) =>
        header
          .map((h) => h.slice(i === 0 ? 0 : s, starts[i + 1]).trim())
          .filter((x) => x !== '')
          .join(' '),
      );
    const line = fc.stringMatching(/^[ a-c\t\u00a0]{0,40}$/);
    const layout = fc.uniqueArray(fc.integer({ min: 0, max: 45 }), { minLength: 1, maxLength: 8 }).map((a) => a.sort((x, y) => x - y));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.array(layout, { minLength: 1, maxLength: 4 }), (header, layouts) => {
        const cols = new OmniColumns(header);
        // Several rows against one instance: a row like the last one reuses its titles.
        for (const starts of [...layouts, ...layouts]) expect(cols.titles(starts)).toEqual(naive(header, starts));
      }),
      { numRuns: 2000, seed: 5 },
    );
  });
});
