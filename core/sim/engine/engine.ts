import { EventQueue, GEN_LIMIT } from './event-queue.js';
import { Rng } from './rng.js';

/**
 * Event handler: one function for the whole model, dispatching on `kind` with a switch.
 * Why one handler and no per-event closures: the call site in run() stays monomorphic and
 * nothing is allocated per event (closures measured 2–3× slower, model-notes §8).
 */
export type Handler = (kind: number, a: number, b: number) => void;

function noHandler(): void {
  throw new Error('Engine: no handler set (call setHandler before run)');
}

// The throws of at()/after() live out of line: a template string costs bytecode at every place
// at()/after() is inlined into, and V8 stops inlining into a function past a bytecode budget.
function badTime(time: number, now: number): never {
  throw new RangeError(`Engine.at: time ${time} is before now (${now}) or not a number`);
}

function badDelay(delay: number): never {
  throw new RangeError(`Engine.after: delay ${delay} is negative or not a number`);
}

/** Discrete-event engine: simulated clock, pending-event heap, seeded RNG. */
export class Engine {
  /** Simulated time in seconds. */
  now = 0;
  /** Events handled (cancelled events are not counted). */
  eventsProcessed = 0;
  readonly rng: Rng;
  private readonly q: EventQueue;
  private handler: Handler = noHandler;
  private stopped = false;
  private running = false;

  constructor(seed: number, initialCapacity = 1024) {
    this.rng = new Rng(seed);
    this.q = new EventQueue(initialCapacity);
  }

  setHandler(h: Handler): void {
    this.handler = h;
  }

  /** Schedules an event at absolute time `time` (>= now); returns its id for cancel(). */
  at(time: number, kind: number, a = 0, b = 0): number {
    // `!(time >= now)` also rejects NaN, which would silently corrupt heap order.
    if (!(time >= this.now)) badTime(time, this.now);
    return this.q.stage(time, kind, a, b);
  }

  /** Schedules an event `delay` (>= 0) seconds from now. */
  after(delay: number, kind: number, a = 0, b = 0): number {
    if (!(delay >= 0)) badDelay(delay);
    return this.q.stage(this.now + delay, kind, a, b);
  }

  /** Lazily cancels a pending event; unknown or already-fired ids are ignored. */
  cancel(id: number): void {
    this.q.cancel(id);
  }

  /**
   * Processes events with time <= until in (time, insertion) order. Afterwards now = until,
   * unless stop() was called, in which case now stays at the time of the last handled event
   * and a later run() continues from there. run(Infinity) runs until the queue is empty and
   * leaves now at the last event's time.
   */
  run(until: number): void {
    if (Number.isNaN(until)) throw new RangeError('Engine.run: until is NaN');
    if (until < this.now) throw new RangeError(`Engine.run: until ${until} is before now (${this.now})`);
    if (this.running) throw new Error('Engine.run: called from inside a handler');
    this.running = true;
    this.stopped = false;
    try {
      this.loop(this.q, until);
    } finally {
      this.running = false;
    }
    // run(Infinity) drains the queue; keeping now at the last event (not Infinity) lets the
    // caller read the end time and schedule more.
    if (!this.stopped && until !== Infinity) this.now = until;
  }

  /**
   * The event loop. Everything that runs once per run() (argument checks, the final clock update)
   * stays in run(): V8 optimises this function while its first call is still looping (on-stack
   * replacement), before code before or after the loop has collected type feedback, and such code
   * then deoptimised it at the end of the first run, so the next run started unoptimised again.
   */
  private loop(q: EventQueue, until: number): void {
    // EventQueue.flush() + pop() inlined by hand (keep in sync; event-queue.test.ts and
    // engine.test.ts check both against reference orderings): the payload goes straight into
    // locals, and the common case of a handler scheduling exactly one event is fused:
    //  - if that event is earlier than the heap top it runs next without touching the heap;
    //  - otherwise it replaces the popped top and is sifted down once ("replace-top"),
    //    instead of a sift-up on insert plus a sift-down on pop.
    for (;;) {
      // Re-read the arrays every iteration: the handler may grow (reallocate) them.
      const h = q.h;
      let slot: number;
      let t0: number;
      // Key to sift down from the root into heap[0, n), unless n < 0 (heap untouched).
      let kt = 0;
      let ks = 0;
      let ksl = 0;
      let n = -1;
      if (q.staged === 1) {
        const slotE = q.stagedSlots[0] as number;
        const tE = q.sd[4 * slotE] as number;
        if (q.size === 0 || tE < (h[0] as number)) {
          // On a time tie the heap top wins: it was inserted earlier (smaller seq).
          if (tE > until) break; // stays staged; flushed by the next run()
          q.staged = 0;
          q.nextSeq++;
          slot = slotE;
          t0 = tE;
        } else {
          t0 = h[0] as number;
          if (t0 > until) break;
          slot = h[2] as number;
          q.staged = 0;
          kt = tE;
          ks = q.nextSeq++;
          ksl = slotE;
          n = q.size;
        }
      } else {
        if (q.staged > 0) q.flush();
        if (q.size === 0) break;
        t0 = h[0] as number;
        if (t0 > until) break;
        slot = h[2] as number;
        n = --q.size;
        if (n > 0) {
          kt = h[3 * n] as number;
          ks = h[3 * n + 1] as number;
          ksl = h[3 * n + 2] as number;
        }
      }
      if (n > 0) {
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
          if (kt < ct || (kt === ct && ks < (h[3 * c + 1] as number))) break;
          h[3 * i] = ct;
          h[3 * i + 1] = h[3 * c + 1] as number;
          h[3 * i + 2] = h[3 * c + 2] as number;
          i = c;
        }
        h[3 * i] = kt;
        h[3 * i + 1] = ks;
        h[3 * i + 2] = ksl;
      }
      const sd = q.sd;
      const kind = sd[4 * slot + 1] as number;
      const a = sd[4 * slot + 2] as number;
      const b = sd[4 * slot + 3] as number;
      // Retire the slot: bump its generation so the old id can no longer cancel anything.
      const sm = q.sm;
      const g = (sm[2 * slot] as number) + 1;
      sm[2 * slot] = g >= GEN_LIMIT ? 1 : g;
      q.free[q.freeTop++] = slot;
      if (sm[2 * slot + 1] === 1) {
        sm[2 * slot + 1] = 0;
        q.cancelledCount--;
        continue;
      }
      this.now = t0;
      // Counted before the call so a handler reading eventsProcessed sees itself included.
      this.eventsProcessed++;
      this.handler(kind, a, b);
      if (this.stopped) return;
    }
  }

  /** Ends the current run() after the event being handled. */
  stop(): void {
    this.stopped = true;
  }

  /** Live pending events (cancelled ones excluded). */
  pending(): number {
    return this.q.length;
  }
}
