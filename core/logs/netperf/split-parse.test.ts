import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportAbortedError, LogParseError } from '../errors.js';
import { inputArb } from '../fuzz-props.js';
import { netperfRun, rng } from '../generate.js';
import { importFileRecords } from '../import.js';
import { realLogsDir } from '../real-logs-dir.js';
import { NetperfParser } from './parse-netperf.js';
import { parseNetperfSplit, SPLIT_MIN_BYTES, splitWorth } from './split-parse.js';
import { compareSplit, parseSplit, parseWhole } from './split-check.js';

const dir = mkdtempSync(join(tmpdir(), 'rxlab-split-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

function write(text: string): string {
  const path = join(dir, `log-${fileNo++}.txt`);
  writeFileSync(path, text);
  return path;
}

const realNetperf = readdirSync(join(realLogsDir(), 'netperf'))
  .filter((f) => f.endsWith('.txt'))
  .map((f) => readFileSync(join(realLogsDir(), 'netperf', f), 'utf8'));

describe('netperf parse split in two (split-parse.ts)', () => {
  it('real logs concatenated, cut anywhere: exactly the single-thread result, and most cuts join', async () => {
    let joined = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: realNetperf.length - 1 }), { minLength: 2, maxLength: 6 }), fc.double({ min: 0, max: 1, noNaN: true }), async (picks, cut) => {
        const text = picks.map((i) => realNetperf[i] ?? '').join('\n');
        const path = write(text);
        const want = await parseWhole(path);
        const got = await parseSplit(path, Math.floor(cut * text.length));
        if (got === null) return;
        runs++;
        if (got.joinedAt !== null) joined++;
        expect(got.doc).toBe(want.doc);
        expect(got.lines).toBe(want.lines);
        expect(got.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
      }),
      { numRuns: 300, seed: 11 },
    );
    // The halves must actually join most of the time, or the split saves nothing.
    expect(runs).toBeGreaterThan(250);
    expect(joined / runs).toBeGreaterThan(0.5);
  }, 60_000);

  it('generated and mutated netperf text, cut anywhere: exactly the single-thread result', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(inputArb('netperf'), { minLength: 1, maxLength: 4 }), fc.double({ min: 0, max: 1, noNaN: true }), async (parts, cut) => {
        const text = parts.join('\n');
        if (text.length === 0) return;
        expect((await compareSplit(text, cut)).problem).toBeNull();
      }),
      { numRuns: 1000, seed: 12 },
    );
  }, 120_000);

  it('crafted files, cut at every line: exactly the single-thread result', async () => {
    const banner = 'TCP STREAM TEST from 0.0.0.0 (0.0.0.0) port 0 AF_INET to host (1.2.3.4) port 0 AF_INET : demo';
    const err = 'establish control: are you sure there is a netserver listening on x at port 12865?';
    const table = 'Recv   Send    Send\nSocket Socket  Message  Elapsed\nSize   Size    Size     Time     Throughput\nbytes  bytes   bytes    secs.    10^6bits/sec\n\n 87380  16384  16384    10.00    2997.84\n';
    const texts = [
      // An error message that goes on after the next banner belongs to the run before it.
      [banner, err, banner, err, 'recv_response: partial response', banner, table, err, banner, err, banner, table].join('\n'),
      // -P 0 rows with histograms after them, interim results without a banner, keyval and CSV runs.
      ['$ netperf -P 0 -t TCP_RR -- -v 2', '16384  87380  1  1  10.00  29150.15', 'Histogram of request/response times', 'UNIT_USEC     :    0:    3:    0', banner, 'Interim result:   36.46 10^6bits/s over 2.01 seconds ending at 1327963880.565', table, 'Interim result:   36.46 10^6bits/s over 2.01 seconds', 'THROUGHPUT=60074.74', 'THROUGHPUT_UNITS=Trans/s', banner, 'Throughput,Throughput Units', '60999.07,Trans/s', banner, table].join('\n'),
      // Banners wrapped over two lines, and a command echoed once for all runs.
      ['$ for i in 1 2 3; do netperf -H x -t TCP_STREAM; done', 'MIGRATED TCP STREAM TEST from 0.0.0.0 (0.0.0.0) port 0 AF_INET to', 'host () port 0 AF_INET : demo', table, 'MIGRATED TCP STREAM TEST from 0.0.0.0 (0.0.0.0) port 0 AF_INET to', 'host () port 0 AF_INET : demo', table, banner, table].join('\n'),
    ];
    for (const text of texts) {
      const path = write(text);
      const want = await parseWhole(path);
      for (let at = 0; at < text.length; at = text.indexOf('\n', at) + 1) {
        const got = await parseSplit(path, at);
        if (got === null) break;
        expect(got.doc, `cut at byte ${at}`).toBe(want.doc);
        expect(got.lines).toBe(want.lines);
        if (text.indexOf('\n', at) < 0) break;
      }
    }
  });

  it('a loop log (the command echoed once, then run after run) joins and keeps the command on every run', async () => {
    const runs = Array.from({ length: 400 }, (_, i) => netperfRun(rng(i), i * 4 + 1)).join('');
    const path = write(`$ for i in $(seq 400); do netperf -H 10.0.0.2 -t TCP_RR; done\n${runs}`);
    const want = await parseWhole(path);
    const got = await parseSplit(path, Math.floor(statSync(path).size / 2));
    expect(got?.joinedAt).not.toBeNull();
    expect(got?.doc).toBe(want.doc);
  });

  it('a file that changed while it was read is refused, and a cancelled parse leaves no file open', async () => {
    const text = Array.from({ length: 200 }, (_, i) => netperfRun(rng(i), i)).join('');
    const path = write(text);
    const st = statSync(path);
    const fds = readdirSync('/proc/self/fd').length;
    await expect(parseNetperfSplit(path, { size: st.size, mtimeMs: st.mtimeMs - 1000 }, new NetperfParser(), { inThread: true })).rejects.toThrow(LogParseError);
    await expect(parseNetperfSplit(path, { size: st.size, mtimeMs: st.mtimeMs - 1000 }, new NetperfParser(), { inThread: true })).rejects.toThrow(/changed while it was being imported/);
    const ctl = new AbortController();
    ctl.abort();
    await expect(parseNetperfSplit(path, st, new NetperfParser(), { signal: ctl.signal })).rejects.toThrow(ImportAbortedError);
    // The worker's own descriptors go when it has exited, a moment after it answered.
    for (let i = 0; i < 100 && readdirSync('/proc/self/fd').length > fds; i++) await new Promise((res) => setTimeout(res, 20));
    expect(readdirSync('/proc/self/fd').length).toBe(fds);
  });

  it('rxlab import of an 8 MiB log on a worker thread (RXLAB_IMPORT_SPLIT=1): the same document as one thread', async () => {
    expect(splitWorth(SPLIT_MIN_BYTES - 1, 2)).toBe(false);
    expect(splitWorth(SPLIT_MIN_BYTES, 2)).toBe(process.env['RXLAB_IMPORT_SPLIT'] !== '0');
    expect(splitWorth(SPLIT_MIN_BYTES, 0.2)).toBe(process.env['RXLAB_IMPORT_SPLIT'] === '1');
    const r = rng(5);
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 8 << 20; i++) {
      // Real logs between generated runs: echoed commands, errors, omni and -P 0 output near the cut too.
      const s = i % 97 === 0 ? `${realNetperf[i % realNetperf.length] ?? ''}\n` : netperfRun(r, i);
      parts.push(s);
      size += s.length;
    }
    const path = write(parts.join(''));
    const one = await withSplit('0', () => importFileRecords(path));
    const two = await withSplit('1', () => importFileRecords(path));
    try {
      expect(two.sha256).toBe(one.sha256);
      expect(JSON.stringify(two.doc)).toBe(JSON.stringify(one.doc));
      expect(two.records.count).toBe(one.records.count);
      const a = one.records[Symbol.iterator]();
      for (const rec of two.records) expect(JSON.stringify(rec)).toBe(JSON.stringify(a.next().value));
    } finally {
      one.records.dispose();
      two.records.dispose();
    }
    const worker = await parseSplit(path, Math.floor(size / 2), false);
    expect(worker?.joinedAt).not.toBeNull();
  }, 60_000);
});

async function withSplit<T>(value: string | undefined, f: () => Promise<T>): Promise<T> {
  const before = process.env['RXLAB_IMPORT_SPLIT'];
  if (value === undefined) delete process.env['RXLAB_IMPORT_SPLIT'];
  else process.env['RXLAB_IMPORT_SPLIT'] = value;
  try {
    return await f();
  } finally {
    if (before === undefined) delete process.env['RXLAB_IMPORT_SPLIT'];
    else process.env['RXLAB_IMPORT_SPLIT'] = before;
  }
}
