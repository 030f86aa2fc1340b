import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineSplitter, readFileLines, type LineSink } from './line-reader.js';
import { ImportAbortedError, LogParseError, TempSpaceError } from './errors.js';
import { importFile } from './import.js';

function collect(): LineSink & { lines: Array<[number, string]> } {
  const lines: Array<[number, string]> = [];
  return { lines, line: (t, n) => lines.push([n, t]) };
}

describe('line reader', () => {
  it('splits across chunk boundaries, handles CRLF, a final line without newline, and UTF-8 cut mid-character', () => {
    const text = 'héllo\r\nwörld\n\nlast ✓';
    const bytes = Buffer.from(text, 'utf8');
    // Every split point, including inside the multi-byte characters.
    for (let cut = 0; cut <= bytes.length; cut++) {
      const sink = collect();
      const s = new LineSplitter(sink, 'x');
      s.push(bytes.subarray(0, cut));
      s.push(bytes.subarray(cut));
      s.end();
      expect(sink.lines).toEqual([[1, 'héllo'], [2, 'wörld'], [3, ''], [4, 'last ✓']]);
    }
  });
  it('drops a UTF-8 byte-order mark', () => {
    const sink = collect();
    const s = new LineSplitter(sink, 'x');
    s.push(Buffer.from('\uFEFFCPU: PIII\r\nx', 'utf8'));
    s.end();
    expect(sink.lines).toEqual([[1, 'CPU: PIII'], [2, 'x']]);
  });
  it('byte mode gives the same lines to line() when bytes() declines', () => {
    const lines: string[] = [];
    const sink: LineSink = { line: (t) => lines.push(t), bytes: (b, s, e) => b[s] === 0x23 /* "#" lines consumed */ && e > s };
    const s = new LineSplitter(sink, 'x');
    s.push(Buffer.from('a\r\n# skip\nb'));
    s.end();
    expect(lines).toEqual(['a', 'b']);
  });
  it('byte mode: a line carried over a chunk boundary (at every split point, in three chunks) comes out whole', () => {
    const text = 'héllo\r\n# skip\nwörld ✓\n\nlast';
    const bytes = Buffer.from(text, 'utf8');
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b++) {
        const got: Array<[number, string]> = [];
        const sink: LineSink = { line: (t, n) => got.push([n, t]), bytes: (buf, s, e) => buf[s] === 0x23 && e > s };
        const s = new LineSplitter(sink, 'x');
        s.push(bytes.subarray(0, a));
        s.push(bytes.subarray(a, b));
        s.push(bytes.subarray(b));
        s.end();
        expect(got).toEqual([[1, 'héllo'], [3, 'wörld ✓'], [4, ''], [5, 'last']]);
      }
    }
  });
  it('a block of NUL bytes anywhere (a crash mid-file, not only at its head) is refused at its line', () => {
    for (const chunked of [false, true]) {
      const text = Buffer.concat([Buffer.from('one\ntwo\nthree\n'), Buffer.alloc(4096), Buffer.from('\nfour\n')]);
      const s = new LineSplitter({ line: () => undefined }, 'crash.log');
      const push = (): void => {
        if (!chunked) s.push(text);
        else for (let i = 0; i < text.length; i += 5) s.push(text.subarray(i, i + 5));
      };
      expect(push).toThrow(/^crash\.log:4: binary data \(NUL bytes\) in this line: not a text log/);
    }
  });

  it('byte mode finds every line end, at any offset of any backing store, with "\\n"-like bytes around', () => {
    // Bytes next to "\n" in value (0x09, 0x0b, 0x8a) would fool a sloppy word-at-a-time test.
    // (no NUL: a text log has none, and the splitter refuses them)
    const alphabet = [0x0a, 0x0a, 0x09, 0x0b, 0x0d, 0x8a, 0x20, 0x41, 0x01, 0xff];
    let x = 7;
    const rand = (k: number): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return (x >>> 8) % k;
    };
    for (let round = 0; round < 300; round++) {
      const len = rand(70);
      const store = Buffer.alloc(len + 16);
      const off = rand(8);
      const bytes = store.subarray(off, off + len);
      for (let i = 0; i < len; i++) bytes[i] = alphabet[rand(alphabet.length)] ?? 0;
      const got: Array<[number, number]> = [];
      const s = new LineSplitter({ line: () => undefined, bytes: (b, st, e) => (got.push([st, e]), true) }, 'x');
      // Straight into emitBytes through push (one chunk), then end() for the last line.
      s.push(bytes);
      s.end();
      const want: Array<[number, number]> = [];
      let pos = 0;
      for (let i = 0; i <= len; i++) {
        if (i === len || bytes[i] === 10) {
          if (i === len && pos === len) break;
          let e = i;
          if (e > pos && bytes[e - 1] === 13) e--;
          want.push([pos, e]);
          pos = i + 1;
        }
      }
      // The last line (no "\n") comes from a copy in end(): compare its length only.
      const norm = (a: Array<[number, number]>): string[] => a.map(([st, e]) => `${e - st}`);
      expect(norm(got)).toEqual(norm(want));
      const full = got.slice(0, want.length - (bytes[len - 1] === 10 || len === 0 ? 0 : 1));
      expect(full).toEqual(want.slice(0, full.length));
    }
  });
  it('streams a file with progress and stops on abort', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-lines-'));
    const f = join(dir, 'big.txt');
    writeFileSync(f, 'x'.repeat(99) + '\n'.repeat(1) + ('y'.repeat(99) + '\n').repeat(40_000));
    const progress: number[] = [];
    const n = await readFileLines(f, { line: () => undefined }, { onProgress: (r, t) => progress.push(r / t) });
    expect(n).toBe(40_001);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toBe(1);
    const ac = new AbortController();
    let seen = 0;
    await expect(
      readFileLines(f, { line: () => { if (++seen === 100) ac.abort(); } }, { signal: ac.signal }),
    ).rejects.toBeInstanceOf(ImportAbortedError);
    expect(seen).toBeLessThan(40_001);
  });
  it('reads ahead without touching the chunk in use: onChunk and the lines see every byte once, in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-lines-'));
    const f = join(dir, 'ahead.txt');
    // Lines of varying length so chunk boundaries fall mid-line; a few MiB so both buffers are reused.
    let text = '';
    for (let i = 0; text.length < 5_000_000; i++) text += `${i} ${'z'.repeat(i % 97)}\n`;
    writeFileSync(f, text);
    const hash = createHash('sha256');
    const got: string[] = [];
    const n = await readFileLines(f, { line: (t) => got.push(t) }, { onChunk: (c) => hash.update(c) });
    expect(hash.digest('hex')).toBe(createHash('sha256').update(readFileSync(f)).digest('hex'));
    expect(n).toBe(got.length);
    expect(got.join('\n') + '\n').toBe(text);
  });
  it('a parse error while the next read is in flight rejects with FILE:LINE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-lines-'));
    const f = join(dir, 'bad.txt');
    writeFileSync(f, 'ok\n'.repeat(600_000));
    let seen = 0;
    const sink: LineSink = { line: () => { if (++seen === 10) throw new Error('boom'); } };
    await expect(readFileLines(f, sink)).rejects.toThrow(/bad\.txt:10: cannot read this line: boom/);
  });
  it('refuses a line longer than the limit with FILE:LINE instead of growing without bound', () => {
    const s = new LineSplitter({ line: () => undefined }, 'huge.bin');
    const chunk = Buffer.alloc(1 << 20, 0x61);
    expect(() => {
      for (let i = 0; i < 20; i++) s.push(chunk);
    }).toThrow(/^huge\.bin:1: line is longer than/);
  });
  it('importFile reports progress and honours abort', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-lines-'));
    const f = join(dir, 'op.txt');
    writeFileSync(f, 'CPU: PIII, speed 863.195 MHz (estimated)\nsamples  %        image name               symbol name\n' + '1 0.1 vmlinux f\n'.repeat(200_000));
    let calls = 0;
    await importFile(f, { onProgress: () => calls++ });
    expect(calls).toBeGreaterThan(1);
    const ac = new AbortController();
    ac.abort();
    await expect(importFile(f, { signal: ac.signal })).rejects.toBeInstanceOf(ImportAbortedError);
  });
});

describe('a full temporary folder while a log is read', () => {
  it('is said as the machine\'s trouble (TempSpaceError, naming the folder), not as a damaged line of the log', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rxlab-enospc-')), 'log.txt');
    writeFileSync(file, 'a\nb\nc\n');
    // what the record spill's write throws when TMPDIR is full
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const err = await readFileLines(file, { line: (_t, n) => { if (n === 2) throw full; } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TempSpaceError);
    expect(err).not.toBeInstanceOf(LogParseError);
    expect((err as Error).message).toMatch(/log\.txt: not imported: the temporary folder .* ran out of space \(ENOSPC\).*set TMPDIR/);
  });
});
