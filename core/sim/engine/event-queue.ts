/**
 * Pending-event set: a binary min-heap ordered by (time, insertion sequence), stored in typed
 * arrays so that scheduling and popping allocate nothing per event.
 *
 * Layout (why): the heap holds only what comparisons need (time, seq) plus a slot index,
 * so sift loops move three numbers; the payload (kind, a, b) lives in per-slot arrays and is
 * written once when scheduled and read once on pop. Slots are recycled through a free list and
 * carry a generation counter, which makes event ids safe to cancel after the event fired
 * (stale ids are ignored instead of cancelling an unrelated event that reused the slot).
 *
 * Two-step insertion (why): stage() only claims a slot, writes the payload and appends the slot
 * to a FIFO; flush() sifts staged slots into the heap in staging order, which is also the
 * sequence order, so semantics equal an immediate push. stage() is small, so V8 usually inlines
 * it (and Engine.after) into model handlers: where it does, scheduling costs no call and no
 * boxing of the time argument or of the returned id. The sift work runs in the engine loop,
 * which also fuses the common "handler scheduled exactly one event" case (see Engine.loop).
 *
 * Ordering by (time, seq) makes equal-time events pop in insertion order, so runs reproduce
 * exactly (a plain heap on time alone is not stable).
 */

/** Slots per generation in an event id: id = gen * SLOT_SPACE + slot. */
const SLOT_SPACE = 16777216; // 2^24 pending events at most
/** gen * 2^24 + slot stays below 2^53. */
export const GEN_LIMIT = 536870912; // 2^29
const MIN_CAPACITY = 16;

export class EventQueue {
  /** Entries in the heap, including lazily cancelled ones (staged entries not included). */
  size = 0;
  /** Staged entries not yet sifted into the heap (see flush). */
  staged = 0;
  /** Cancelled entries still held (in the heap or staged). */
  cancelledCount = 0;

  /**
   * The heap, one node per 3 doubles: [time, seq, slot] at 3i, 3i+1, 3i+2; node 0 is the minimum.
   * Interleaved so a sift step touches one cache line instead of one per array (measured on the
   * 100k-pending hold model). seq is a double so it never wraps (exact to 2^53).
   */
  h: Float64Array;

  // Slot arrays, packed so one slot's fields share a cache line and the hot loop touches few
  // typed arrays (each distinct array costs pointer loads per access in V8).
  // Public only so Engine can inline pop() and stage(); treat as internal.
  /** Per slot, stride 4: [time, kind, a, b]. */
  sd: Float64Array;
  /** Per slot, stride 2: [generation (1 … GEN_LIMIT-1), cancelled flag (0/1)]. */
  sm: Int32Array;
  /** Staged slots in scheduling order. */
  stagedSlots: Int32Array;
  /**
   * Free-slot stack, holding every slot not pending; unused slots are pushed in descending order so
   * they are handed out in ascending order, after any recycled ones (LIFO).
   * Why every slot starts here: stage() then has a single path (pop a free slot) whose type
   * feedback is always warm. A separate "never used yet" path ran only at the start of each
   * simulation, so V8 deoptimised stage() and every handler it was inlined into at the start of
   * each later run (e.g. the measured M/M/1 run after the warm-up run).
   */
  free: Int32Array;
  freeTop = 0;
  /** Next insertion sequence number (internal; Engine's fused pop/insert advances it too). */
  nextSeq = 0;

  // Result of the last pop(), read by the caller (avoids allocating a result object).
  time = 0;
  kind = 0;
  a = 0;
  b = 0;
  /** Whether the last popped entry had been cancelled. */
  wasCancelled = false;

  constructor(initialCapacity = 1024) {
    const cap = Math.max(MIN_CAPACITY, Math.min(SLOT_SPACE, Math.floor(initialCapacity)));
    this.h = new Float64Array(3 * cap);
    this.sd = new Float64Array(4 * cap);
    this.sm = EventQueue.newMeta(cap);
    this.stagedSlots = new Int32Array(cap);
    this.free = new Int32Array(cap);
    this.pushFree(0, cap);
  }

  /** Pushes slots [from, to) onto the free stack so that `from` is popped first. */
  private pushFree(from: number, to: number): void {
    for (let s = to - 1; s >= from; s--) this.free[this.freeTop++] = s;
  }

  /** Slot metadata with every generation at 1, so id 0 is never valid. */
  private static newMeta(cap: number): Int32Array {
    const m = new Int32Array(2 * cap);
    for (let i = 0; i < cap; i++) m[2 * i] = 1;
    return m;
  }

  get capacity(): number {
    return this.stagedSlots.length;
  }

  /** Live (not cancelled) pending events. */
  get length(): number {
    return this.size + this.staged - this.cancelledCount;
  }

  /** Time of the earliest entry (may be a cancelled one), or Infinity when empty. */
  peekTime(): number {
    if (this.staged > 0) this.flush();
    return this.size > 0 ? (this.h[0] as number) : Infinity;
  }

  /** Doubles every array; called when all slots are in use (the free stack is empty). */
  grow(): void {
    const old = this.stagedSlots.length;
    if (old >= SLOT_SPACE) throw new RangeError(`EventQueue: more than ${SLOT_SPACE} pending events`);
    const cap = Math.min(SLOT_SPACE, old * 2);
    const h = new Float64Array(3 * cap);
    h.set(this.h);
    this.h = h;
    const sd = new Float64Array(4 * cap);
    sd.set(this.sd);
    this.sd = sd;
    const sm = EventQueue.newMeta(cap);
    sm.set(this.sm);
    this.sm = sm;
    const staged = new Int32Array(cap);
    staged.set(this.stagedSlots);
    this.stagedSlots = staged;
    this.free = new Int32Array(cap);
    this.pushFree(old, cap);
  }

  /**
   * Claims a slot for an event and queues it for flush(); returns its id (a positive safe
   * integer). Until flush() runs the event is pending but not yet in the heap arrays.
   */
  stage(time: number, kind: number, a: number, b: number): number {
    if (this.freeTop === 0) this.grow();
    const slot = this.free[--this.freeTop] as number;
    const sd = this.sd;
    const o = 4 * slot;
    sd[o] = time;
    sd[o + 1] = kind;
    sd[o + 2] = a;
    sd[o + 3] = b;
    this.stagedSlots[this.staged++] = slot;
    return (this.sm[2 * slot] as number) * SLOT_SPACE + slot;
  }

  /** Sifts staged entries into the heap in staging order (which assigns their sequence numbers). */
  flush(): void {
    const n = this.staged;
    const staged = this.stagedSlots;
    const sd = this.sd;
    const h = this.h;
    for (let k = 0; k < n; k++) {
      const slot = staged[k] as number;
      const time = sd[4 * slot] as number;
      const seq = this.nextSeq++;
      // Sift up with a hole: move parents down until the new key fits.
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        const pt = h[3 * p] as number;
        if (pt < time || (pt === time && (h[3 * p + 1] as number) < seq)) break;
        h[3 * i] = pt;
        h[3 * i + 1] = h[3 * p + 1] as number;
        h[3 * i + 2] = h[3 * p + 2] as number;
        i = p;
      }
      h[3 * i] = time;
      h[3 * i + 1] = seq;
      h[3 * i + 2] = slot;
    }
    this.staged = 0;
  }

  /** Inserts an event and returns its id (stage + flush). */
  push(time: number, kind: number, a: number, b: number): number {
    const id = this.stage(time, kind, a, b);
    this.flush();
    return id;
  }

  /**
   * Removes the minimum entry into (time, kind, a, b, wasCancelled). The caller must check
   * size + staged > 0 first. Cancelled entries are returned too (flagged) so the caller decides how to
   * skip them. Engine.loop inlines a copy of this: keep the two in sync.
   */
  pop(): void {
    if (this.staged > 0) this.flush();
    const h = this.h;
    const slot = h[2] as number;
    this.time = h[0] as number;
    const sd = this.sd;
    this.kind = sd[4 * slot + 1] as number;
    this.a = sd[4 * slot + 2] as number;
    this.b = sd[4 * slot + 3] as number;
    const sm = this.sm;
    if (sm[2 * slot + 1] === 1) {
      sm[2 * slot + 1] = 0;
      this.cancelledCount--;
      this.wasCancelled = true;
    } else {
      this.wasCancelled = false;
    }
    // Retire the slot: bump its generation so the old id can no longer cancel anything.
    const g = (sm[2 * slot] as number) + 1;
    sm[2 * slot] = g >= GEN_LIMIT ? 1 : g;
    this.free[this.freeTop++] = slot;

    const n = --this.size;
    if (n === 0) return;
    // Sift the last entry down from the root with a hole.
    const t = h[3 * n] as number;
    const s = h[3 * n + 1] as number;
    const sl = h[3 * n + 2] as number;
    let i = 0;
    const half = n >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      let ct = h[3 * c] as number;
      const r = c + 1;
      if (r < n) {
        const rt = h[3 * r] as number;
        // seq is read only on ties, which are rare in continuous time.
        if (rt < ct || (rt === ct && (h[3 * r + 1] as number) < (h[3 * c + 1] as number))) {
          c = r;
          ct = rt;
        }
      }
      if (t < ct || (t === ct && s < (h[3 * c + 1] as number))) break;
      h[3 * i] = ct;
      h[3 * i + 1] = h[3 * c + 1] as number;
      h[3 * i + 2] = h[3 * c + 2] as number;
      i = c;
    }
    h[3 * i] = t;
    h[3 * i + 1] = s;
    h[3 * i + 2] = sl;
  }

  /** Marks a pending event as cancelled. Returns false for unknown, fired or already cancelled ids. */
  cancel(id: number): boolean {
    if (!Number.isSafeInteger(id) || id <= 0) return false;
    const slot = id % SLOT_SPACE;
    const gen = (id - slot) / SLOT_SPACE;
    if (slot >= this.stagedSlots.length || this.sm[2 * slot] !== gen || this.sm[2 * slot + 1] === 1) return false;
    // A freed-but-not-reused slot already has a bumped generation, so gen equality means pending.
    this.sm[2 * slot + 1] = 1;
    this.cancelledCount++;
    return true;
  }

  /** Removes everything (ids issued before become stale). */
  clear(): void {
    while (this.size + this.staged > 0) this.pop();
    this.cancelledCount = 0;
  }
}
