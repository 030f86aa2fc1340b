/** Ranges kept before further lines are only counted (a warning stays short, memory bounded). */
const MAX_RANGES = 20;

const INT_FMT = new Intl.NumberFormat('en-US');

/**
 * Line numbers, added in increasing order, as a compact list for a warning: "lines 3-5, 9". Past
 * MAX_RANGES ranges later lines are counted, not kept, so a file of a million such lines still
 * gives one short warning.
 */
export class LineRanges {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Lines added in all. */
  count = 0;
  /** Lines added after the kept ranges were full. */
  private more = 0;

  add(n: number): void {
    const k = this.ends.length;
    const last = this.ends[k - 1];
    // The same line again (two bad values in one CSV row) is one line.
    if (last === n && this.more === 0) return;
    this.count++;
    if (this.more > 0) {
      this.more++;
      return;
    }
    if (last === n - 1) {
      this.ends[k - 1] = n;
      return;
    }
    if (k >= MAX_RANGES) {
      this.more++;
      return;
    }
    this.starts.push(n);
    this.ends.push(n);
  }

  /** "line 7", "lines 3-5, 9", "lines 3-5, 9, … (1,234 lines in all)". */
  text(): string {
    const parts = this.starts.map((s, i) => {
      const e = this.ends[i] ?? s;
      return s === e ? String(s) : `${s}-${e}`;
    });
    const list = parts.join(', ');
    if (this.more > 0) return `lines ${list}, … (${INT_FMT.format(this.count)} lines in all)`;
    return `${this.starts.length === 1 && this.starts[0] === this.ends[0] ? 'line' : 'lines'} ${list}`;
  }
}
