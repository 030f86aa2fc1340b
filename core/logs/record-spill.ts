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

  constructor(private readonly memoryBytes = SPILL_MEMORY_BYTES) {}

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
      const dir = mkdtempSync(join(tmpdir(), 'rxlab-records-'));
      const path = join(dir, 'records.bin');
      this.fd = openSync(path, 'w+', 0o600);
      try {
        unlinkSync(path);
        rmSync(dir, { recursive: true, force: true });
      } catch {
        this.dir = dir;
      }
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

/** A RecordSource over records already in memory (iperf3, flent: whole-document formats). */
export function arraySource(records: LogRecord[]): RecordSource {
  return {
    count: records.length,
    [Symbol.iterator]: () => records[Symbol.iterator](),
    dispose: () => undefined,
  };
}
