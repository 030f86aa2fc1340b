import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordDecoder, RecordEncoder, type ByteOut } from './record-codec.js';
import type { LogRecord } from './types.js';

const CHUNK_BYTES = 1 << 20;
/** Encoded records kept in memory before they go to a temporary file. */
export const SPILL_MEMORY_BYTES = 8 << 20;

/** The records of an import, in order: a plain array for small documents, a spill for big ones. */
export interface RecordSource {
  readonly count: number;
  [Symbol.iterator](): Iterator<LogRecord>;
  /** Frees what holds the records (the temporary file); iterating afterwards is an error. */
  dispose(): void;
}

/**
 * Records appended one by one, stored compactly (record-codec.ts) in 1 MiB chunks; past
 * SPILL_MEMORY_BYTES the chunks go to a temporary file, so neither the heap nor the RSS grows with
 * the number of runs. The file is unlinked as soon as it is open where the OS allows it (nothing
 * is left behind if the process dies), else on dispose().
 */
export class RecordSpill implements RecordSource, ByteOut {
  buf: Buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  pos = 0;
  private recStart = 0;
  private readonly sealed: Array<{ buf: Buffer; used: number }> = [];
  private sealedBytes = 0;
  private fd: number | null = null;
  private dir: string | null = null;
  private fileBytes = 0;
  private disposed = false;
  private readonly encoder = new RecordEncoder(this);
  count = 0;

  /**
   * `file`: a temporary file from openSpillFile() to use instead of making one. A worker thread
   * needs one from the thread that will read its records, because Node closes the files a
   * worker opened when the worker exits.
   */
  constructor(
    private readonly memoryBytes = SPILL_MEMORY_BYTES,
    file?: SpillFile,
  ) {
    if (file !== undefined) {
      this.fd = file.fd;
      this.dir = file.dir;
    }
  }

  /** Appends a record; `last` names a field written after the others (see RecordEncoder.record). */
  add(r: LogRecord, last?: keyof LogRecord): void {
    this.recStart = this.pos;
    this.encoder.record(r, last);
    this.count++;
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    // Start a new chunk and move the record written so far into it (records never span chunks).
    const partial = this.pos - this.recStart;
    const next = Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, 2 * (partial + n)));
    this.buf.copy(next, 0, this.recStart, this.pos);
    this.seal(this.buf, this.recStart);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
    this.pos = partial;
    this.recStart = 0;
  }

  private seal(buf: Buffer, used: number): void {
    if (used === 0) return;
    this.sealed.push({ buf, used });
    this.sealedBytes += used;
    if (this.sealedBytes > this.memoryBytes) this.toFile();
  }

  private toFile(): void {
    if (this.fd === null) {
      const f = openSpillFile();
      this.fd = f.fd;
      this.dir = f.dir;
    }
    const head = Buffer.allocUnsafe(4);
    for (const c of this.sealed) {
      head.writeUInt32LE(c.used, 0);
      this.writeAll(head, 4);
      this.writeAll(c.buf, c.used);
    }
    this.sealed.length = 0;
    this.sealedBytes = 0;
  }

  private writeAll(b: Buffer, n: number): void {
    let off = 0;
    while (off < n) {
      const w = writeSync(this.fd as number, b, off, n - off, this.fileBytes);
      off += w;
      this.fileBytes += w;
    }
  }

  private readAll(b: Buffer, n: number, at: number): void {
    let off = 0;
    while (off < n) {
      const r = readSync(this.fd as number, b, off, n - off, at + off);
      if (r === 0) throw new Error('import spill file is shorter than written');
      off += r;
    }
  }

  *[Symbol.iterator](): Iterator<LogRecord> {
    if (this.disposed) throw new Error('import records were already disposed');
    const dec = new RecordDecoder();
    if (this.fd !== null) {
      const head = Buffer.allocUnsafe(4);
      let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      let at = 0;
      const fileBytes = this.fileBytes;
      while (at < fileBytes) {
        this.readAll(head, 4, at);
        const used = head.readUInt32LE(0);
        if (used > chunk.length) chunk = Buffer.allocUnsafe(used);
        this.readAll(chunk, used, at + 4);
        at += 4 + used;
        yield* dec.records(chunk, used);
      }
    }
    for (const c of this.sealed.slice()) yield* dec.records(c.buf, c.used);
    if (this.pos > 0) yield* dec.records(this.buf, this.pos);
  }

  /**
   * Hands the stored records to another thread of this process (a file descriptor is the
   * process's, and the chunks are transferred, not copied); this spill is then empty and its
   * dispose() frees nothing. The receiver must adopt() it, which takes over closing the file.
   */
  detach(): SpillTransfer {
    if (this.disposed) throw new Error('import records were already disposed');
    const t: SpillTransfer = {
      fd: this.fd,
      dir: this.dir,
      fileBytes: this.fileBytes,
      sealed: this.sealed.map((c) => ({ buf: ownArrayBuffer(c.buf), used: c.used })),
      tail: ownArrayBuffer(this.buf),
      tailUsed: this.pos,
      count: this.count,
    };
    this.fd = null;
    this.dir = null;
    this.disposed = true;
    this.sealed.length = 0;
    this.buf = Buffer.alloc(0);
    return t;
  }

  /** The ArrayBuffers to list when posting a SpillTransfer (so they move instead of being copied). */
  static transferList(t: SpillTransfer): ArrayBuffer[] {
    return [...t.sealed.map((c) => c.buf), t.tail];
  }

  /** The records another thread detach()ed, readable and disposable here. */
  static adopt(t: SpillTransfer): RecordSpill {
    const s = new RecordSpill();
    s.fd = t.fd;
    s.dir = t.dir;
    s.fileBytes = t.fileBytes;
    for (const c of t.sealed) s.sealed.push({ buf: Buffer.from(c.buf), used: c.used });
    s.buf = Buffer.from(t.tail);
    s.view = new DataView(t.tail);
    s.pos = t.tailUsed;
    s.count = t.count;
    return s;
  }

  /** Encoded bytes held in memory and in the file. */
  get storedBytes(): number {
    return this.fileBytes + this.sealedBytes + this.pos;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    if (this.dir !== null) rmSync(this.dir, { recursive: true, force: true });
    this.sealed.length = 0;
    this.buf = Buffer.alloc(0);
  }
}

/** A temporary file for records: `dir` is set only where it could not be unlinked while open. */
export interface SpillFile {
  fd: number;
  dir: string | null;
}

/** Opens a temporary file and unlinks it at once where the OS allows (nothing is left if the process dies). */
export function openSpillFile(): SpillFile {
  const dir = mkdtempSync(join(tmpdir(), 'rxlab-records-'));
  const path = join(dir, 'records.bin');
  const fd = openSync(path, 'w+', 0o600);
  try {
    unlinkSync(path);
    rmSync(dir, { recursive: true, force: true });
    return { fd, dir: null };
  } catch {
    return { fd, dir };
  }
}

/** Closes a SpillFile that no RecordSpill took over. */
export function closeSpillFile(f: SpillFile): void {
  closeSync(f.fd);
  if (f.dir !== null) rmSync(f.dir, { recursive: true, force: true });
}

/** A RecordSpill on its way to another thread (RecordSpill.detach / adopt). */
export interface SpillTransfer {
  fd: number | null;
  dir: string | null;
  fileBytes: number;
  sealed: Array<{ buf: ArrayBuffer; used: number }>;
  tail: ArrayBuffer;
  tailUsed: number;
  count: number;
}

/** The whole ArrayBuffer of a chunk (chunks are allocUnsafeSlow: never a slice of Node's pool). */
function ownArrayBuffer(b: Buffer): ArrayBuffer {
  if (b.byteOffset !== 0 || b.byteLength !== b.buffer.byteLength || !(b.buffer instanceof ArrayBuffer)) {
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }
  return b.buffer;
}

/** The records of `a`, then those of `b` after its first `skipB`: one source, disposed of together. */
export function joinedSource(a: RecordSource, b: RecordSource, skipB: number): RecordSource {
  return {
    count: a.count + b.count - skipB,
    *[Symbol.iterator](): Iterator<LogRecord> {
      yield* a;
      let i = 0;
      for (const r of b) if (i++ >= skipB) yield r;
    },
    dispose(): void {
      try {
        a.dispose();
      } finally {
        b.dispose();
      }
    },
  };
}

/** A RecordSource over records already in memory (iperf3, flent: whole-document formats). */
export function arraySource(records: LogRecord[]): RecordSource {
  return {
    count: records.length,
    [Symbol.iterator]: () => records[Symbol.iterator](),
    dispose: () => undefined,
  };
}
