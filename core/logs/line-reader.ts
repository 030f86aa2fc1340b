import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { pipeline, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { tmpdir } from 'node:os';
import { ImportAbortedError, LogParseError, TempSpaceError } from './errors.js';

/** Receives lines without their terminator ("\n" or "\r\n"); lineNo is 1-based. */
export interface LineSink {
  line(text: string, lineNo: number): void;
  /**
   * Optional fast path: sees the raw bytes of each line first (buf[start..end), no terminator) and
   * returns true if it consumed the line; otherwise the line is decoded and passed to line().
   * Lets a parser tally millions of rows without creating a string per line.
   */
  bytes?(buf: Buffer, start: number, end: number, lineNo: number): boolean;
}

/** A line longer than this is not a log line; refusing it keeps memory bounded on binary input. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;
const CHUNK_BYTES = 1 << 20;

/**
 * Splits a byte stream into lines. Each chunk is decoded to one string up to its last newline and
 * cut with String#indexOf/slice: V8 makes those slices without copying, which is far cheaper than
 * decoding line by line, and cutting at a newline never splits a UTF-8 sequence.
 */
export class LineSplitter {
  private carry: Buffer | null = null;
  private lineNo: number;
  /** `firstLine`: lines before the first byte pushed (a part of a file read from the middle: no byte-order mark there). */
  constructor(
    private readonly sink: LineSink,
    private readonly file: string,
    firstLine = 0,
  ) {
    this.lineNo = firstLine;
    this.started = firstLine > 0;
  }

  get linesSeen(): number {
    return this.lineNo;
  }

  private started: boolean;

  /** The last byte pushed (10 when the text ends with a line end). */
  lastByte: number | undefined;

  push(chunk: Buffer): void {
    let buf = chunk;
    if (chunk.length > 0) this.lastByte = chunk[chunk.length - 1];
    // No text log has a NUL byte: a block of them is what a crash leaves mid-file (detection only sees
    // the head). memchr over the chunk, as the line ends are found.
    const nul = chunk.indexOf(0);
    if (nul >= 0) {
      let line = this.lineNo + 1;
      for (let i = chunk.indexOf(10); i >= 0 && i < nul; i = chunk.indexOf(10, i + 1)) line++;
      throw new LogParseError(
        this.file,
        line,
        "binary data (NUL bytes) in this line: not a text log; if a crash left a block of NULs in it, remove them (e.g. tr -d '\\000' < FILE > FILE.txt) and import what is left",
      );
    }
    if (!this.started && buf.length > 0) {
      this.started = true;
      // A UTF-8 byte-order mark (Windows editors) is not part of the first line.
      if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    }
    if (this.carry !== null) {
      // Only the carried line is joined (copying the whole chunk onto it costs a memcpy per MiB).
      const nl = buf.indexOf(10);
      if (nl < 0) {
        buf = Buffer.concat([this.carry, buf]);
        this.carry = null;
      } else {
        const first = Buffer.concat([this.carry, buf.subarray(0, nl + 1)]);
        this.carry = null;
        if (this.sink.bytes !== undefined) this.emitBytes(first, first.length);
        else this.emit(first.toString('utf8'));
        buf = buf.subarray(nl + 1);
      }
    }
    const cut = buf.lastIndexOf(10);
    if (cut < 0) {
      if (buf.length > MAX_LINE_BYTES) {
        throw new LogParseError(this.file, this.lineNo + 1, `line is longer than ${MAX_LINE_BYTES} bytes; this is not a text log`);
      }
      // Copy: the caller reuses its read buffer.
      this.carry = Buffer.from(buf);
      return;
    }
    if (cut + 1 < buf.length) this.carry = Buffer.from(buf.subarray(cut + 1));
    if (this.sink.bytes !== undefined) this.emitBytes(buf, cut + 1);
    else this.emit(buf.toString('utf8', 0, cut + 1));
  }

  /**
   * Byte mode: Buffer#indexOf (memchr) finds line ends; only lines the sink declines are decoded.
   * (A JS loop testing four bytes at a time was tried instead: 64 MiB split in 65 ms instead of
   * 45, and the import was slower too.)
   */
  private emitBytes(buf: Buffer, n: number): void {
    const sink = this.sink;
    const bytes = sink.bytes;
    if (bytes === undefined) return;
    let lineNo = this.lineNo;
    let pos = 0;
    while (pos < n) {
      let nl = buf.indexOf(10, pos);
      if (nl < 0 || nl >= n) nl = n;
      let end = nl;
      if (end > pos && buf[end - 1] === 13) end--;
      lineNo++;
      this.lineNo = lineNo;
      if (!bytes.call(sink, buf, pos, end, lineNo)) sink.line(buf.toString('utf8', pos, end), lineNo);
      pos = nl + 1;
    }
  }

  end(): void {
    if (this.carry !== null && this.carry.length > 0) {
      const last = Buffer.concat([this.carry, Buffer.from('\n')]);
      this.carry = null;
      if (this.sink.bytes !== undefined) this.emitBytes(last, last.length);
      else this.emit(last.toString('utf8'));
    }
  }

  private emit(text: string): void {
    const sink = this.sink;
    let lineNo = this.lineNo;
    let pos = 0;
    const n = text.length;
    while (pos < n) {
      let nl = text.indexOf('\n', pos);
      if (nl < 0) nl = n;
      let end = nl;
      if (end > pos && text.charCodeAt(end - 1) === 13) end--;
      lineNo++;
      this.lineNo = lineNo;
      sink.line(text.slice(pos, end), lineNo);
      pos = nl + 1;
    }
  }
}

export interface ReadOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((bytesRead: number, totalBytes: number) => void) | undefined;
  /** Sees every chunk before it is split (hashing while reading, so the file is read once). */
  onChunk?: ((chunk: Buffer) => void) | undefined;
  /** Told the last byte of the text once it is read (a gzip log's, inflated): 10 unless it ends mid-line. */
  onLastByte?: ((b: number | undefined) => void) | undefined;
  /** Part of a file (readFileLines): bytes [start, end), which begin at a line start after `firstLine` lines. */
  start?: number | undefined;
  end?: number | undefined;
  firstLine?: number | undefined;
}

/** Wraps a crash inside a parser so every failure still names FILE:LINE. */
function asParseError(e: unknown, file: string, line: number): unknown {
  if (e instanceof LogParseError || e instanceof ImportAbortedError || e instanceof TempSpaceError) return e;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new TempSpaceError(file, tmpdir(), code);
  const msg = e instanceof Error ? e.message : String(e);
  return new LogParseError(file, Math.max(1, line), `cannot read this line: ${msg}`);
}

/**
 * Streams a file through a LineSplitter with two fixed 1 MiB buffers: memory does not grow with
 * file size. The next read is issued before the current chunk is parsed, so it runs in libuv's
 * threadpool while this thread parses instead of leaving it idle; the chunk being parsed (and
 * handed to onChunk) is never the one being read into.
 */
export async function readFileLines(path: string, sink: LineSink, opts: ReadOptions = {}): Promise<number> {
  const fh = await open(path, 'r');
  let pending: Promise<{ bytesRead: number }> | null = null;
  try {
    const start = opts.start ?? 0;
    // Without `end`, to the end of the file as it is when read (as cat would), not as stat saw it.
    const limit = opts.end ?? Infinity;
    const total = Math.max(0, Math.min(limit, (await fh.stat()).size) - start);
    const want = (at: number): number => Math.max(0, Math.min(CHUNK_BYTES, limit - at));
    const splitter = new LineSplitter(sink, path, opts.firstLine ?? 0);
    let cur = Buffer.allocUnsafe(CHUNK_BYTES);
    let next = Buffer.allocUnsafe(CHUNK_BYTES);
    let read = 0;
    if (opts.signal?.aborted) throw new ImportAbortedError(path);
    // Explicit positions: each read starts where the previous one ended, whatever is in flight.
    pending = fh.read(cur, 0, want(start), start);
    while (pending !== null) {
      const { bytesRead } = await pending;
      pending = null;
      if (bytesRead === 0) break;
      read += bytesRead;
      if (opts.signal?.aborted) throw new ImportAbortedError(path);
      const n = want(start + read);
      if (n > 0) pending = fh.read(next, 0, n, start + read);
      const chunk = cur.subarray(0, bytesRead);
      opts.onChunk?.(chunk);
      try {
        splitter.push(chunk);
      } catch (e) {
        throw asParseError(e, path, splitter.linesSeen);
      }
      opts.onProgress?.(read, total);
      const t = cur;
      cur = next;
      next = t;
    }
    try {
      splitter.end();
    } catch (e) {
      throw asParseError(e, path, splitter.linesSeen);
    }
    opts.onLastByte?.(splitter.lastByte);
    return splitter.linesSeen;
  } finally {
    // A read still in flight (parse error, abort) finishes before the file is closed; its own
    // failure does not replace the error being thrown.
    if (pending !== null) await pending.catch(() => undefined);
    await fh.close();
  }
}

/**
 * readFileLines for a gzip-compressed log (an archived netperf.log.gz): decompressed as it is read,
 * so memory stays bounded however large the log inflates. onChunk sees the compressed bytes (the
 * file as stored, whose SHA-256 is the import's), onProgress counts them against the file's size.
 * Damaged or cut-off gzip data is a LogParseError at the last line read.
 */
export async function readGzipFileLines(path: string, sink: LineSink, opts: ReadOptions = {}): Promise<number> {
  const splitter = new LineSplitter(sink, path);
  const total = (await stat(path)).size;
  const src = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  let read = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      read += chunk.length;
      opts.onChunk?.(chunk);
      done(null, chunk);
    },
  });
  const out = pipeline(src, tap, createGunzip({ chunkSize: CHUNK_BYTES }), () => undefined);
  try {
    for await (const chunk of out as AsyncIterable<Buffer>) {
      if (opts.signal?.aborted) throw new ImportAbortedError(path);
      try {
        splitter.push(chunk);
      } catch (e) {
        throw asParseError(e, path, splitter.linesSeen);
      }
      opts.onProgress?.(read, total);
    }
  } catch (e) {
    if (e instanceof LogParseError || e instanceof ImportAbortedError) throw e;
    throw new LogParseError(path, Math.max(1, splitter.linesSeen), `gzip data is damaged or cut off: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    out.destroy();
  }
  try {
    splitter.end();
  } catch (e) {
    throw asParseError(e, path, splitter.linesSeen);
  }
  opts.onLastByte?.(splitter.lastByte);
  return splitter.linesSeen;
}

/** The same splitting over bytes already in memory (uploads, tests). */
export function readBytesLines(name: string, bytes: Uint8Array, sink: LineSink, opts: ReadOptions = {}): number {
  const splitter = new LineSplitter(sink, name, opts.firstLine ?? 0);
  const all = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let off = 0; off < all.length; off += CHUNK_BYTES) {
    if (opts.signal?.aborted) throw new ImportAbortedError(name);
    const end = Math.min(all.length, off + CHUNK_BYTES);
    try {
      splitter.push(all.subarray(off, end));
    } catch (e) {
      throw asParseError(e, name, splitter.linesSeen);
    }
    opts.onProgress?.(end, all.length);
  }
  try {
    splitter.end();
  } catch (e) {
    throw asParseError(e, name, splitter.linesSeen);
  }
  opts.onLastByte?.(splitter.lastByte);
  return splitter.linesSeen;
}
