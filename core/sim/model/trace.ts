/**
 * The run over time (knob trace_ms): every interval, the model's cumulative counters are read and
 * the difference from the last reading is kept. Reading counters changes nothing in the run — the
 * sampling events only look — so a traced run reports exactly the figures of an untraced one.
 *
 * The counters the model reports reset when warm-up ends (they describe the measured window); the
 * trace covers the whole run, warm-up included, so at that reset the last reading is moved down by
 * what is being cleared (rebase) and the next difference stays right.
 */

/** Positions in the counter vector the model fills for each reading. */
export const TR_BYTES = 0; // bytes netserver read
export const TR_RR = 1; // completed TCP_RR transactions
export const TR_LRO_AGG = 2; // packets that entered a flushed aggregate
export const TR_LRO_FLUSHED = 3; // aggregates flushed
export const TR_CYC = 4; // cycles charged, one per domain from here (DOMAIN_NAMES order)
export const TR_DOMAINS = 4;
export const TR_LEN = TR_CYC + TR_DOMAINS;

export interface RawTrace {
  /** End of each interval, seconds since the run started; the last one may be shorter. */
  t: number[];
  /** Per interval: the counters' increase (TR_* layout, TR_LEN values per interval). */
  deltas: Float64Array;
}

export class TraceRecorder {
  private readonly prev = new Float64Array(TR_LEN);
  private readonly t: number[] = [];
  private readonly rows: number[] = [];

  sample(now: number, cur: Float64Array): void {
    this.t.push(now);
    for (let i = 0; i < TR_LEN; i++) {
      this.rows.push((cur[i] as number) - (this.prev[i] as number));
      this.prev[i] = cur[i] as number;
    }
  }

  /** The counters are about to be zeroed: keep the next difference relative to what was read. */
  rebase(cur: Float64Array): void {
    for (let i = 0; i < TR_LEN; i++) this.prev[i] = (this.prev[i] as number) - (cur[i] as number);
  }

  get samples(): number {
    return this.t.length;
  }

  result(): RawTrace {
    return { t: this.t.slice(), deltas: Float64Array.from(this.rows) };
  }
}
