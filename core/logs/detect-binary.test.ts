import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { binaryAt, DETECT_BYTES, detectShape, explainUnknown } from './detect.js';
import { importBytesSync, importFile } from './import.js';
import { LogParseError } from './errors.js';
import { realLogsDir } from './real-logs-dir.js';

const netperf = (n: string): Buffer => readFileSync(join(realLogsDir(), 'netperf', n));
const STREAM = netperf('netperf-2.4.4-manual-tcp_stream-default-localhost.txt');
const P0 = netperf('netperf-2.4.x-manual-tcp_stream-P0-cpu-util-c-C-4concurrent.txt');

/** Bytes from a fixed seed (xorshift32): the same "random" junk every run. */
function junk(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

const head = (b: Buffer): Buffer => b.subarray(0, DETECT_BYTES);
const NUL_DETAIL = "not a text log; if the log was cut by a crash, remove the NUL block (e.g. tr -d '\\000' < FILE > FILE.txt) and import what is left";

describe('a NUL block (what a crash leaves) is binary data, not UTF-16', () => {
  it('1 MB of NULs before a valid log: no tool, and the refusal says NUL bytes at byte 0 and what to do', () => {
    const file = Buffer.concat([Buffer.alloc(1024 * 1024), STREAM]);
    expect(detectShape(head(file))).toBeNull();
    expect(explainUnknown(head(file))).toEqual({ line: 1, detail: `binary data (NUL bytes) at byte 0 (line 1): ${NUL_DETAIL}` });
  });

  it('a short NUL block on the banner line is not skipped over (it was imported as netperf)', () => {
    const file = Buffer.concat([Buffer.alloc(300), STREAM]);
    expect(detectShape(head(file))).toBeNull();
    expect(explainUnknown(head(file))?.detail).toBe(`binary data (NUL bytes) at byte 0 (line 1): ${NUL_DETAIL}`);
    expect(() => importBytesSync('np.txt', file)).toThrow(LogParseError);
  });

  it('after lines that are not the log, the line and byte are those of the block', () => {
    const file = Buffer.concat([Buffer.from('$ cat netperf.log\nsome notes\n'), Buffer.alloc(64), Buffer.from('\n'), STREAM]);
    expect(binaryAt(head(file))).toEqual({ line: 3, byte: 29, nul: true });
    expect(detectShape(head(file))).toBeNull();
  });

  it('gzip-compressed: said of the decompressed content', () => {
    const gz = gzipSync(Buffer.concat([Buffer.alloc(100_000), STREAM]));
    expect(detectShape(gz)).toBeNull();
    expect(explainUnknown(gz)?.detail).toBe(`binary data (NUL bytes) at byte 0 of what the gzip data decompresses to (line 1): ${NUL_DETAIL}`);
  });

  it('UTF-16 text (NULs in every other byte), with or without a byte-order mark, is not called binary: import.ts names it UTF-16', () => {
    const text = STREAM.toString('utf8');
    for (const b of [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), Buffer.from(text, 'utf16le'), Buffer.from(text, 'utf16le').swap16()]) {
      expect(binaryAt(head(b))).toBeNull();
      expect(explainUnknown(head(b))).toBeNull();
    }
    expect(() => importBytesSync('ps.txt', Buffer.from(text, 'utf16le'))).toThrow(/^ps\.txt:1: this is UTF-16 text/);
  });
});

describe('binary bytes before the first line a tool wrote', () => {
  it('4 KB of random bytes before a netperf -P 0 log: refused (it was imported as netperf -P 0 rows)', () => {
    const file = Buffer.concat([junk(4096, 0x9e3779b9), Buffer.from('\n'), P0]);
    expect(detectShape(head(file))).toBeNull();
    const why = explainUnknown(head(file));
    expect(why?.detail).toMatch(/^binary data \(control bytes\) at byte \d+ \(line \d+\): not a text log, or a log with something else written into it; remove what is not the tool's output and import what is left$/);
    const at = binaryAt(head(file));
    expect(at?.nul).toBe(false);
    expect(at?.byte).toBeLessThan(64);
    expect(why?.line).toBe(at?.line);
    expect(() => importBytesSync('np.txt', file)).toThrow(LogParseError);
  });

  it('random bytes before a netperf banner log: refused too', () => {
    const file = Buffer.concat([junk(2000, 12345), Buffer.from('\n'), STREAM]);
    expect(detectShape(head(file))).toBeNull();
    expect(() => importBytesSync('np.txt', file)).toThrow(LogParseError);
  });

  it('binary bytes after the tool started writing are the parser\'s to judge, as before', () => {
    const cut = STREAM.indexOf('Recv');
    const file = Buffer.concat([STREAM.subarray(0, cut), Buffer.from([1, 2, 3, 4, 5, 6, 10]), STREAM.subarray(cut)]);
    expect(binaryAt(head(file))).not.toBeNull();
    expect(detectShape(head(file))).toEqual({ tool: 'netperf', via: 'lines' });
  });

  it('a terminal capture (ESC sequences, BEL in a title, BS) and a stray control byte in a prompt are text', () => {
    const prompt = Buffer.from('\x1b]0;me@host: ~\x07\x1b[01;32mme@host\x1b[00m:~$ netpref\b\b\bperf -H localhost\r\n\x01 notes\r\n');
    const file = Buffer.concat([prompt, STREAM]);
    expect(binaryAt(head(file))).toBeNull();
    expect(detectShape(head(file))).toEqual({ tool: 'netperf', via: 'lines' });
    expect(importBytesSync('typescript.txt', file).doc.records[0]?.throughput).toBe(2997.84);
  });
});

describe("iperf3's plain-text output (not -J)", () => {
  const text = [
    '$ iperf3 -c 10.0.0.1 -t 3',
    'Connecting to host 10.0.0.1, port 5201',
    '[  5] local 10.0.0.2 port 43210 connected to 10.0.0.1 port 5201',
    '[ ID] Interval           Transfer     Bitrate         Retr  Cwnd',
    '[  5]   0.00-1.00   sec   112 MBytes   940 Mbits/sec    0    409 KBytes',
    '[  5]   1.00-2.00   sec   112 MBytes   941 Mbits/sec    0    409 KBytes',
    '[  5]   2.00-3.00   sec   112 MBytes   940 Mbits/sec    0    409 KBytes',
    '- - - - - - - - - - - - - - - - - - - - - - - - -',
    '[ ID] Interval           Transfer     Bitrate         Retr',
    '[  5]   0.00-3.00   sec   336 MBytes   940 Mbits/sec    0             sender',
    '[  5]   0.00-3.00   sec   335 MBytes   937 Mbits/sec                  receiver',
    '',
    'iperf Done.',
    '',
  ].join('\n');

  it('is found by no tool, and the refusal says rxlab reads -J output', () => {
    const b = Buffer.from(text);
    expect(detectShape(b)).toBeNull();
    expect(explainUnknown(b)).toEqual({ line: 2, detail: "this is iperf3's plain-text output; rxlab reads iperf3's JSON output: run iperf3 with -J (e.g. iperf3 -c HOST -J > FILE.json)" });
  });

  it('the server side too', () => {
    const b = Buffer.from('-----------------------------------------------------------\nServer listening on 5201 (test #1)\n-----------------------------------------------------------\n');
    expect(explainUnknown(b)?.line).toBe(2);
  });

  it('other text no tool wrote: nothing more to say', () => {
    expect(explainUnknown(Buffer.from('just some notes\nnothing to see\n'))).toBeNull();
  });
});

describe('the refusal import.ts gives: FILE:LINE and what explainUnknown says', () => {
  it('1 MB of NULs before a valid log, from bytes and from a file: binary data, not "UTF-16 text"', async () => {
    const file = Buffer.concat([Buffer.alloc(1024 * 1024), STREAM]);
    expect(() => importBytesSync('crash.log', file)).toThrow(`crash.log:1: binary data (NUL bytes) at byte 0 (line 1): ${NUL_DETAIL}`);
    const path = join(mkdtempSync(join(tmpdir(), 'rxlab-nul-')), 'crash.log');
    writeFileSync(path, file);
    await expect(importFile(path)).rejects.toThrow(`${path}:1: binary data (NUL bytes) at byte 0 (line 1): ${NUL_DETAIL}`);
  });

  it('random bytes before a netperf -P 0 log: where they start', () => {
    const file = Buffer.concat([junk(4096, 0x9e3779b9), Buffer.from('\n'), P0]);
    const at = binaryAt(head(file));
    expect(() => importBytesSync('np.txt', file)).toThrow(`np.txt:${at?.line ?? 0}: binary data (control bytes) at byte ${at?.byte ?? 0} (line ${at?.line ?? 0}): not a text log`);
  });

  it("iperf3's plain-text output: rxlab reads -J", () => {
    expect(() => importBytesSync('iperf.txt', Buffer.from('Connecting to host 10.0.0.1, port 5201\n[  5] local 10.0.0.2 port 43210 connected to 10.0.0.1 port 5201\n'))).toThrow(
      "iperf.txt:1: this is iperf3's plain-text output; rxlab reads iperf3's JSON output: run iperf3 with -J (e.g. iperf3 -c HOST -J > FILE.json)",
    );
  });
});

describe('NUL bytes after the head (detection sees only the head)', () => {
  it('a real log with a crash\'s NUL block at its end or in its middle is refused at that line, nothing saved', () => {
    const log = readFileSync(join(realLogsDir(), 'netperf', 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt'));
    const lines = log.toString('latin1').split('\n').length;
    expect(() => importBytesSync('end.txt', Buffer.concat([log, Buffer.alloc(8192)]))).toThrow(new RegExp(`^end\\.txt:${lines}: binary data \\(NUL bytes\\)`));
    const cut = log.indexOf(10) + 1;
    expect(() => importBytesSync('mid.txt', Buffer.concat([log.subarray(0, cut), Buffer.alloc(4096), log.subarray(cut)]))).toThrow(/^mid\.txt:2: binary data \(NUL bytes\)/);
  });
});
