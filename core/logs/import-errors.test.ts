import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogParseError } from './errors.js';
import { importBytesSync as importBytes } from './import.js';
import { realLogsDir } from './real-logs-dir.js';

const IPERF_UDP = join(realLogsDir(), 'iperf3', 'iperf3-3.20-J-udp-2-runs-concatenated-no-intervals-lkp.json');

function parseError(name: string, text: string): LogParseError {
  try {
    importBytes(name, Buffer.from(text));
  } catch (e) {
    if (e instanceof LogParseError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('logs that cannot be read as they are say why, at the right line', () => {
  it('a value JSON does not allow (old iperf3 printed "jitter_ms": nan) is named at its own line, in one line of text', () => {
    const text = readFileSync(IPERF_UDP, 'utf8');
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.includes('"jitter_ms"'));
    expect(at).toBeGreaterThan(5);
    lines[at] = lines[at]!.replace(/"jitter_ms":\s*[-\d.e]+/, '"jitter_ms": nan');
    const e = parseError('udp.json', lines.join('\n'));
    expect(e.message).toMatch(new RegExp(`^udp\\.json:${at + 1}: invalid JSON: Unexpected token 'a'`));
    expect(e.message).not.toContain('\n');
  });

  it('a PerfKitBenchmarker JSON list escaped as Python writes it (\\u00e9) reads in linear time, with the lines of the plain file', () => {
    const run = (i: number, host: string): string =>
      `  ["MIGRATED TCP STREAM TEST from 0.0.0.0 (0.0.0.0) port 0 AF_INET to ${host} () port 0 AF_INET : demo",\n   "Throughput,Throughput Units",\n   "${i}.5,10^6bits/s"]`;
    const build = (host: string, n: number): string => `[\n${Array.from({ length: n }, (_, i) => run(i, host)).join(',\n')}\n]\n`;
    const escaped = build('h\\u00e9st', 20_000);
    const plain = build('hést', 20_000);
    const t0 = performance.now();
    const a = importBytes('pkb.json', Buffer.from(escaped));
    const ms = performance.now() - t0;
    const b = importBytes('pkb.json', Buffer.from(plain));
    expect(a.doc.records).toHaveLength(20_000);
    expect(JSON.stringify(a.doc.records)).toBe(JSON.stringify(b.doc.records));
    expect((a.doc.records[19_999] as { line: number }).line).toBe(2 + 3 * 19_999);
    console.log(`PKB JSON list, 20,000 runs escaped: ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(5000); // quadratic, it took about 12 s for 32,000
  });

  it('a UTF-16 log (PowerShell > redirect), with or without a byte-order mark, is named as such with the command that converts it', () => {
    const text = readFileSync(join(realLogsDir(), 'netperf', 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt'), 'utf8');
    for (const bytes of [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), Buffer.from(text, 'utf16le')]) {
      let msg = '';
      try {
        importBytes('ps.txt', bytes);
      } catch (e) {
        msg = e instanceof Error ? e.message : String(e);
      }
      expect(msg).toBe("ps.txt:1: this is UTF-16 text (as Windows PowerShell's > writes it); convert it to UTF-8 first, e.g. iconv -f UTF-16 -t UTF-8 FILE > FILE.txt");
    }
  });

  it('a log cut short mid-line (no line end at the end) says so at that line, from a file and from bytes alike', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { importFile } = await import('./import.js');
    const whole = readFileSync(join(realLogsDir(), 'netperf', 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt'), 'utf8');
    expect(whole.endsWith('\n')).toBe(true);
    const cut = whole.slice(0, whole.indexOf('2997.84') + 2); // "2997.84" cut after "29"
    const line = cut.split('\n').length;
    const warning = `line ${line}: the file ends without a line end; if it was cut short, the last value on this line may be incomplete`;
    const fromBytes = importBytes('cut.txt', Buffer.from(cut));
    expect(fromBytes.doc.warnings).toContain(warning);
    const file = join(mkdtempSync(join(tmpdir(), 'rxlab-cut-')), 'cut.txt');
    writeFileSync(file, cut);
    expect((await importFile(file)).doc.warnings).toContain(warning);
    // a whole log has no such warning
    expect(importBytes('whole.txt', Buffer.from(whole)).doc.warnings.join('\n')).not.toContain('without a line end');
  });
});
