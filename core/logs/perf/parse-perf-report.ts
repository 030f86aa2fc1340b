import type { ImportDoc, Profile, ProfileEvent, ProfileRow } from '../types.js';
import type { LineSink } from '../line-reader.js';
import { LogParseError } from '../errors.js';
import { DEFAULT_MAX_ROWS } from '../oprofile/parse-opreport.js';

interface Col {
  name: string;
  start: number;
}

/**
 * perf indents every graph callchain line by this many spaces (callchain__fprintf_left_margin);
 * a sample row's first value is right-aligned in the first column, so it starts left of that.
 */
const CHAIN_MARGIN = 12;
/** A sample row pushed right of its columns: a percentage, then more fields (no chain line looks so). */
const SHIFTED_ROW = /^[\d.]+%\s+\S/;
/** perf report -g flat prints each chain's value alone on a line ("           20.00%"). */
const LONE_PERCENT = /^[\d.]+%$/;

function expandSuffix(s: string): number | null {
  const m = /^([\d.]+)\s*([KMG]?)$/.exec(s.trim());
  if (m === null) return null;
  const mult = m[2] === 'K' ? 1e3 : m[2] === 'M' ? 1e6 : m[2] === 'G' ? 1e9 : 1;
  return Math.round(Number(m[1]) * mult);
}

/**
 * perf report --stdio: "# key : value" header, one "# Samples: … of event '…'" section per event,
 * a column title line and a dotted rule whose dot runs give each column's exact position (perf pads
 * every column to that width), then rows; -g callchain lines (folded "NN% a;b", flat, or graph
 * "|--") are skipped.
 */
/** perf record's options that take a value (the value is the next word unless written --opt=value). */
const VALUE_OPTS = new Set(['-c', '--count', '-F', '--freq', '-e', '--event', '-o', '--output', '-p', '--pid', '-t', '--tid', '-C', '--cpu', '-m', '--mmap-pages', '-G', '--cgroup', '-u', '--uid', '-r', '--realtime', '--call-graph', '--filter', '-I', '-b', '--switch-output']);

/**
 * The fixed sampling period (-c N, --count N, --count=N) from a "# cmdline :" header, read among
 * perf record's own options only: the workload's words after "--" or after the command name are not
 * perf's (`perf record -a -- iperf3 -c 10.0.0.2` gave a period of 10, Table V 10,000x too low).
 */
export function recordPeriod(cmdline: string): number | null {
  const words = cmdline.split(/\s+/).filter((w) => w !== '');
  const rec = words.indexOf('record');
  for (let i = rec + 1; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '--') break;
    const eq = /^--count=(\d+)$/.exec(w);
    if (eq?.[1] !== undefined) return Number(eq[1]);
    if (w === '-c' || w === '--count') {
      const v = words[i + 1];
      return v !== undefined && /^\d+$/.test(v) ? Number(v) : null;
    }
    if (VALUE_OPTS.has(w)) i++;
    else if (!w.startsWith('-')) break; // the command perf runs: the rest is its own
  }
  return null;
}

export class PerfReportParser implements LineSink {
  readonly profiles: Profile[] = [];
  readonly warnings: string[] = [];
  private cpu: string | null = null;
  private mhz: number | null = null;
  private countPerSample: number | null = null;
  /** Headers seen ("# captured on:" opens each perf report's header): the report a section belongs to. */
  private reports = 0;
  private cur: Profile | null = null;
  private titles: string | null = null;
  private cols: Col[] = [];
  /** Where the first column's values end (its dots end): a sample row starts left of it. */
  private firstEnd = CHAIN_MARGIN;
  /** The current section prints callchains (Children column, or a chain line was seen). */
  private chains = false;
  private elided = false;
  /** Index in a row's percent of the column domain_totals add up (Self, else the first). */
  private totalCol = 0;
  /** Σ of that column over every row of the current profile, kept or not (rows past maxRows). */
  private total = 0;
  /** Σ of the -n Samples column over every row, or null when the section has no such column. */
  private sampleTotal: number | null = null;
  private capWarned = false;

  constructor(
    private readonly file: string,
    private readonly maxRows = DEFAULT_MAX_ROWS,
  ) {}

  line(raw: string, n: number): void {
    const c0 = raw.charCodeAt(0);
    if (c0 === 35) {
      this.comment(raw, n);
      return;
    }
    if (c0 === 32 && this.cur !== null && this.cols.length > 0) {
      const t = raw.trim();
      if (t === '[...]' || t === '...') {
        this.elide(n);
        return;
      }
      if (t === '') return;
      // Graph lines: "|", "|--N%--sym", "---sym" and the last branch " --N%--sym".
      if (t.startsWith('|') || t.startsWith('--')) {
        this.chains = true;
        return;
      }
      if (this.isChainText(raw, t, n)) return;
      this.row(raw, n);
      return;
    }
    const t = raw.trim();
    if (t === '') return;
    if (t === '[...]' || t === '...') this.elide(n);
    // Folded callchains ("81.41% a;b;c") and graph callchains belong to the row above; not kept.
  }

  /**
   * Indented text that is not a sample row but the rest of a callchain: the bare symbols that
   * continue a graph branch ("               do_idle") or a flat chain, and flat mode's value
   * lines. A sample row starts inside the first column (its value is right-aligned there), chain
   * text at or past perf's chain margin, so a line that starts inside the first column is always
   * read (and refused) as a row, and so is any deep text in a section without callchains. A line
   * that looks like a row pushed right (a percentage and more fields) is refused as such.
   */
  private isChainText(raw: string, t: string, n: number): boolean {
    let indent = 0;
    while (raw.charCodeAt(indent) === 32) indent++;
    if (indent < Math.min(this.firstEnd, CHAIN_MARGIN)) return false;
    if (LONE_PERCENT.test(t)) {
      this.chains = true;
      return true;
    }
    if (SHIFTED_ROW.test(t)) {
      const first = this.cols[0];
      throw new LogParseError(this.file, n, `perf row starts at column ${indent + 1}, right of the ${first?.name ?? 'first'} column (columns ${(first?.start ?? 0) + 1}-${this.firstEnd}): "${t.slice(0, 60)}"`);
    }
    return this.chains;
  }

  private elide(n: number): void {
    if (!this.elided) this.warnings.push(`line ${n}: the listing was elided; totals cover only the rows present`);
    this.elided = true;
  }

  private comment(raw: string, n: number): void {
    const body = raw.slice(1).trim();
    if (body.startsWith('captured on')) {
      // another perf report's header (several reports in one file): its sections are another run's
      this.close();
      this.reports++;
      this.countPerSample = null;
    }
    const kv = /^([a-z][a-z _]*?)\s*:\s(.*)$/.exec(body);
    if (kv !== null && this.cur === null) {
      const key = kv[1] ?? '';
      const val = (kv[2] ?? '').trim();
      if (key === 'cpudesc') {
        this.cpu = val;
        const g = /@\s*([\d.]+)\s*GHz/.exec(val);
        if (g?.[1] !== undefined) this.mhz = Number(g[1]) * 1000;
      } else if (key === 'cmdline') {
        this.countPerSample = recordPeriod(val);
      }
    }
    const s = /^Samples:\s*(\S+)\s+of event '([^']*)'/.exec(body);
    if (s !== null) {
      this.close();
      const ev: ProfileEvent = { name: s[2] ?? '', count: this.countPerSample, unit_mask: null, samples_text: s[1] ?? '' };
      const v = expandSuffix(s[1] ?? '');
      if (v !== null) ev.samples = v;
      this.start({ line: n, cpu: this.cpu, cpu_mhz: this.mhz, events: [ev], columns: [], rows: [], domain_totals: [], row_count: 0, ...(this.reports > 0 ? { report: this.reports } : {}) });
      this.titles = null;
      this.cols = [];
      return;
    }
    const ec = /^Event count \(approx\.\):\s*(\d+)/.exec(body);
    if (ec?.[1] !== undefined && this.cur !== null) {
      const ev = this.cur.events[0];
      if (ev !== undefined) ev.total_count = Number(ec[1]);
      return;
    }
    if (/^(Children|Overhead|Samples|Self)\b/.test(body)) {
      this.titles = raw;
      if (this.cur === null) this.start({ line: n, cpu: this.cpu, cpu_mhz: this.mhz, events: [], columns: [], rows: [], domain_totals: [], row_count: 0 });
      return;
    }
    if (this.titles !== null && /^\.+(\s+\.+)*$/.test(body)) {
      this.cols = [];
      const re = /\.+/g;
      let m: RegExpExecArray | null;
      const starts: number[] = [];
      this.firstEnd = CHAIN_MARGIN;
      while ((m = re.exec(raw)) !== null) {
        if (starts.length === 0) this.firstEnd = m.index + m[0].length;
        starts.push(m.index);
      }
      for (let i = 0; i < starts.length; i++) {
        const from = starts[i] ?? 0;
        const to = starts[i + 1];
        this.cols.push({ name: this.titles.slice(from, to).trim(), start: from });
      }
      // Titles wider than their dots ("[IPC Coverage]") would shift; keep the dot positions.
      if (this.cur !== null) {
        this.cur.columns = this.cols.filter((c) => /^(Children|Self|Overhead)$/.test(c.name)).map((c) => c.name);
        this.totalCol = Math.max(0, this.cur.columns.indexOf('Self'));
        // perf report -n: counts beside the percentages (Table V multiplies them out when it can)
        this.sampleTotal = this.cols.some((c) => c.name === 'Samples') ? 0 : null;
        // perf shows Children only for data with callchains.
        if (this.cur.columns.includes('Children')) this.chains = true;
      }
    }
  }

  private start(p: Profile): void {
    this.cur = p;
    this.totalCol = 0;
    this.total = 0;
    this.sampleTotal = null;
    this.capWarned = false;
    this.chains = false;
  }

  private row(raw: string, n: number): void {
    const p = this.cur;
    if (p === null) return;
    const percent: number[] = [];
    const samples: number[] = [];
    let image: string | null = null;
    let app: string | null = null;
    let symbol: string | null = null;
    for (let i = 0; i < this.cols.length; i++) {
      const col = this.cols[i];
      if (col === undefined) continue;
      const next = this.cols[i + 1];
      const isLastText = col.name === 'Symbol';
      const cell = (isLastText && (next === undefined || next.name === 'IPC') ? this.symbolCell(raw, col.start, next?.start) : raw.slice(col.start, next?.start)).trim();
      switch (col.name) {
        case 'Children':
        case 'Self':
        case 'Overhead': {
          if (!cell.endsWith('%')) throw new LogParseError(this.file, n, `perf row: ${col.name} column is "${cell}", not a percentage`);
          const v = Number(cell.slice(0, -1));
          if (!Number.isFinite(v)) throw new LogParseError(this.file, n, `perf row: ${col.name} "${cell}" is not a number`);
          percent.push(v);
          break;
        }
        case 'Samples': {
          const v = Number(cell);
          if (Number.isFinite(v)) samples.push(v);
          break;
        }
        case 'Command':
          app = cell;
          break;
        case 'Shared Object':
          image = cell;
          break;
        case 'Symbol':
          symbol = cell.replace(/^\[[^\]]\]\s+/, '');
          break;
        default:
          break;
      }
    }
    p.row_count++;
    this.total += percent[this.totalCol] ?? 0;
    if (this.sampleTotal !== null) this.sampleTotal += samples[0] ?? 0;
    if (p.rows.length < this.maxRows) {
      const r: ProfileRow = { samples, percent, image, app, symbol, vma: symbol !== null && /^0x[0-9a-f]+$/i.test(symbol) ? symbol : null, domain: 'native', depth: 0, role: 'primary', line: n };
      p.rows.push(r);
    } else if (!this.capWarned) {
      this.capWarned = true;
      this.warnings.push(`line ${n}: more than ${this.maxRows} rows; later rows are counted in domain_totals but not kept`);
    }
  }

  /** The symbol column runs to the IPC columns (if any) or the end; long symbols overflow the dots. */
  private symbolCell(raw: string, start: number, ipcStart: number | undefined): string {
    const s = raw.slice(start);
    if (ipcStart === undefined) return s;
    const m = /\s+(-|[\d.]+)\s+(-|\[?[\d.]+%?\]?)\s*$/.exec(s);
    return m !== null ? s.slice(0, m.index) : s;
  }

  private close(): void {
    if (this.cur !== null) {
      const p = this.cur;
      // Every row's share, kept or not: the README's domain totals cover all rows.
      p.domain_totals = [{ domain: 'native', samples: [this.total] }];
      const ev = p.events[0];
      if (ev !== undefined && this.sampleTotal !== null) ev.row_samples = this.sampleTotal;
      this.profiles.push(p);
    }
    this.cur = null;
  }

  finish(): ImportDoc {
    this.close();
    if (this.profiles.length === 0) throw new LogParseError(this.file, 1, 'no "# Samples:" section or column header: not perf report --stdio output');
    const format = this.profiles.some((p) => p.columns.includes('Children')) ? 'perf report --stdio (children/self)' : 'perf report --stdio';
    this.warnings.push('perf prints percentages, not sample counts: domain_totals for perf hold Σ percent (Self/Overhead)');
    return { tool: 'perf', format, warnings: this.warnings, records: [], profiles: this.profiles };
  }
}
