import { createHash } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';

/** What the importer needs of a hash: node:crypto's Hash fits, and so does the off-thread one. */
export interface ChunkHash {
  update(data: Uint8Array): unknown;
  digest(encoding: 'hex'): string;
  /** Stops the hash without a digest (a failed or cancelled import): its thread ends now, not at GC. */
  abandon?(): void;
}

/**
 * Below this, SHA-256 on the calling thread costs less than starting a worker (≈ 20–40 ms on
 * another core, a few ms here) plus copying the chunks to it.
 */
export const HASH_WORKER_MIN_BYTES = 16 << 20;
/** Ring of slots the chunks are copied into: enough to cover the worker's start-up at parsing speed. */
const SLOTS = 8;
const SLOT_BYTES = 1 << 20;
/** A full ring waits for the worker at most this long before the import fails (it never should). */
const WAIT_MS = 60_000;

/**
 * The SHA-256 of a file read chunk by chunk, computed on another thread for big files: hashing
 * a 64 MiB log took the parsing thread ≈ 4 % of its import time; copying a chunk is a memcpy.
 * `update` copies each chunk into a shared ring (the caller may reuse its buffer at once), the
 * worker hashes the slots in the order they were filled, so the digest is of exactly the bytes
 * passed, in order. `digest` waits for the worker to catch up.
 *
 * Only with a core to spare: when the other cores are busy the worker takes its CPU time from
 * the parsing thread's core, and the import got slower (64 MiB netperf on 2 cores with another
 * process keeping one busy, load ≈ 2.5: 106.5 → 99.7 MiB/s); at load ≈ 1.2 (the import itself
 * and a little more) it was faster (best of 2: 59.5 → 74.7 and 65.0 → 80.7 MiB/s). The load
 * average counts the importing thread, hence half a core, not a whole one.
 */
export function fileHash(sizeBytes: number, spareCores = availableParallelism() - (loadavg()[0] ?? 0)): ChunkHash {
  if (sizeBytes < HASH_WORKER_MIN_BYTES || spareCores < 0.5) return createHash('sha256');
  try {
    return new WorkerHash();
  } catch {
    // No threads (resource limits): the same hash on this thread.
    return createHash('sha256');
  }
}

// CommonJS and plain JS: an eval'd worker needs no file, so it works from the build, from
// source under vitest, and inside a packaged app alike.
const WORKER_SRC = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { sab, slots, slotBytes } = workerData;
const state = new Int32Array(sab, 0, slots + 1);
const digestAt = 4 * (slots + 1);
const data = Buffer.from(sab, digestAt + 32, slots * slotBytes);
const hash = createHash('sha256');
parentPort.on('message', (m) => {
  const slot = m[0];
  const len = m[1];
  if (len < 0) {
    hash.digest().copy(Buffer.from(sab, digestAt, 32));
    Atomics.store(state, slots, 1);
    Atomics.notify(state, slots);
    parentPort.close();
    return;
  }
  hash.update(data.subarray(slot * slotBytes, slot * slotBytes + len));
  Atomics.store(state, slot, 0);
  Atomics.notify(state, slot);
});
`;

/** Stops the worker of a hash that was dropped unfinished (a failed or aborted import). */
const orphans = new FinalizationRegistry<Worker>((w) => void w.terminate());

class WorkerHash implements ChunkHash {
  private readonly sab = new SharedArrayBuffer(4 * (SLOTS + 1) + 32 + SLOTS * SLOT_BYTES);
  /** state[slot]: 1 while the worker has not hashed it yet; state[SLOTS]: 1 once the digest is written. */
  private readonly state = new Int32Array(this.sab, 0, SLOTS + 1);
  private readonly data = Buffer.from(this.sab, 4 * (SLOTS + 1) + 32, SLOTS * SLOT_BYTES);
  private readonly worker: Worker;
  private next = 0;
  /** Apart from `this`: the worker's listener must not keep this object alive (see `orphans`). */
  private readonly status: { failed: Error | null } = { failed: null };
  private done: string | null = null;

  constructor() {
    this.worker = new Worker(WORKER_SRC, { eval: true, workerData: { sab: this.sab, slots: SLOTS, slotBytes: SLOT_BYTES } });
    // Never keeps the process alive; an error is reported at the next update or digest.
    this.worker.unref();
    const status = this.status;
    this.worker.on('error', (e) => (status.failed = e));
    orphans.register(this, this.worker, this);
  }

  update(chunk: Uint8Array): this {
    if (this.done !== null) throw new Error('hash already finished');
    for (let off = 0; off < chunk.length; off += SLOT_BYTES) {
      const n = Math.min(SLOT_BYTES, chunk.length - off);
      const slot = this.take();
      this.data.set(chunk.subarray(off, off + n), slot * SLOT_BYTES);
      Atomics.store(this.state, slot, 1);
      this.worker.postMessage([slot, n]);
    }
    return this;
  }

  digest(encoding: 'hex'): string {
    if (this.done !== null) return this.done;
    this.check();
    this.worker.postMessage([0, -1]);
    this.wait(SLOTS, 0);
    const hex = Buffer.from(this.sab, 4 * (SLOTS + 1), 32).toString(encoding);
    this.done = hex;
    orphans.unregister(this);
    void this.worker.terminate();
    return hex;
  }

  abandon(): void {
    if (this.done !== null || this.status.failed !== null) return;
    // No digest after this: check() reports it instead of an empty hash passing for one.
    this.status.failed = new Error('abandoned');
    orphans.unregister(this);
    void this.worker.terminate();
  }

  /** The next slot, once the worker has hashed what was in it (it is far faster than parsing, so this rarely waits). */
  private take(): number {
    this.check();
    const slot = this.next;
    this.next = (slot + 1) % SLOTS;
    this.wait(slot, 1);
    return slot;
  }

  /** Blocks while state[i] === busy. */
  private wait(i: number, busy: number): void {
    const until = Date.now() + WAIT_MS;
    while (Atomics.load(this.state, i) === busy) {
      const left = until - Date.now();
      if (left <= 0) throw new Error('the SHA-256 worker stopped responding');
      Atomics.wait(this.state, i, busy, left);
    }
  }

  private check(): void {
    const e = this.status.failed;
    if (e !== null) throw new Error(`the SHA-256 worker failed: ${e.message}`);
  }
}
