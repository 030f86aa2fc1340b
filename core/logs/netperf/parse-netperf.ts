import type { ImportDoc, LogRecord } from '../types.js';
import type { LineSink } from '../line-reader.js';
import { isNumberToken, num, own, POW10, tokens } from '../numbers.js';
import { mayBeBanner, parseBanner } from './banner.js';
import { applyOmniField, NAN_WORD } from './omni-fields.js';
import { RecordSpill } from '../record-spill.js';
import { LogParseError } from '../errors.js';
import { LineRanges } from './line-ranges.js';

type TableKind = 'stream' | 'udp' | 'rr' | 'align' | 'omni-human';

const MAX_NETPERF_LINE = 8192;
/**
 * Lines kept of a table header: netperf prints at most five (-O: four title rows, then a blank),
 * and the classifier reads eight. Lines past these are still taken as header but not kept, so a
 * header that never ends (no result row) neither grows without bound nor slows the rows under it.
 */
const MAX_HEADER_LINES = 8;
/** Over-long headers reported one by one (each in a warning) before the rest go unreported. */
const MAX_HEADER_WARNINGS = 20;
/** Distinct echoed lines remembered by other() (≤ 1024 characters each). */
const OTHER_MEMO = 256;
const INTERIM = /^Interim result:\s*(\S+)\s+(\S+)\s+over\s+(\S+)\s+seconds(?:\s+ending at\s+(\S+))?/;

/**
 * An echoed shell command: after a prompt ("$ ", "# ", "root@gw:/tmp# ", "host ~/dir> ") or an
 * LKP-style time stamp ("2023-09-12 08:54:49 "); group 1 is the program (two letters or more:
 * "% S" is no command).
 */
const SHELL_COMMAND = /^(?:\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d\s+|(?:[\w.-]+(?:@[\w.-]+)?(?::\S*)?(?: ~\S*)?)?[$#>%]\s+)(?:sudo\s+)?([A-Za-z_][\w.+-]+)/;
/**
 * Commands that print nothing of their own between netperf runs started in the background
 * (LKP's "wait" after its "netperf … &" lines): the output after them is still those runs'.
 */
const KEEPS_COMMAND = new Set(['wait', 'sleep', 'fg', 'bg', 'jobs', 'cd', 'export', 'set', 'sync', 'true', 'clear']);

/** Lines that start a classic results header. */
function isHeaderStart(t: string): boolean {
  // By first character: most lines that get here start with none of these, and each startsWith
  // is a call ("Local /Remote" starts with "Local ").
  switch (t.charCodeAt(0)) {
    case 82:
      return t.startsWith('Recv ') || t === 'Recv';
    case 83:
      return t.startsWith('Socket ') || t.startsWith('Socket\t');
    case 76:
      return t.startsWith('Local ');
    case 65:
      return t.startsWith('Alignment');
    default:
      return false;
  }
}

const ERROR_WORDS = /\b(errno|error|failed|failure|refused|timed out|timeout|reset by peer|unable|cannot|could not|no route|are you sure|not supported|unknown host|Invalid|usage:)\b/i;
/** LineCache flag bits (lineIs): a test was run on the line; the bit above: its answer. */
const BANNER_KNOWN = 1;
const ERROR_WORDS_KNOWN = 4;
const ERROR_PREFIX_KNOWN = 16;
const ERROR_PREFIX = /^(netperf|netserver|establish[ _]control|send_[a-z_]+|recv_[a-z_]+|receive_[a-z_]+|complete_addrinfo|create_data_socket|bind|connect|shutdown_control|getaddrinfo|netlib)\b/;

function unitsOf(units: string): string | undefined {
  const m = /(10\^\d+(?:bits|Bytes)\/s(?:ec)?|[KMGkmg]?(?:bits|Bytes)\/s(?:ec)?|per sec|Trans\/s)/.exec(units);
  return m?.[1];
}

/**
 * A per-second unit in a units line that unitsOf() does not know ("furlongs/sec"): kept as printed,
 * so the run is not taken for a -P 0 row (no units printed) and converted as netperf's default.
 * Service demand units (us/KB, us/Tr) do not end in /s.
 */
function otherUnitsOf(units: string): string | undefined {
  return /(?:^|\s)([^\s%]+\/s(?:ec)?)(?=\s|$)/.exec(units)?.[1];
}

/** Runs one import keeps at most (a log with more is refused: see push()). */
const MAX_RUNS = 1_000_000;
/** Result rows with values left empty that are reported one by one, before the rest are listed by line. */
const MAX_BAD_ROW_WARNINGS = 20;
/** Distinct unknown throughput units reported. */
const MAX_UNIT_WARNINGS = 20;
const INT_FMT = new Intl.NumberFormat('en-US');

export interface NetperfParserOptions {
  /** The log's name, for errors (FILE:LINE). */
  file?: string;
  /** Runs kept at most; a log with more is refused (default 1,000,000). */
  maxRecords?: number;
  /** Where finished runs are stored (the second half of a split parse passes its own). */
  spill?: RecordSpill;
}

/** Streams netperf output of any era into one record per run. */
export class NetperfParser implements LineSink {
  /** Finished runs, stored compactly (and past a few MB in a temporary file) as they are produced. */
  private readonly spill: RecordSpill;
  /**
   * Runs pushed but not yet stored, because the parser may still change them: the last one
   * (histogram rows add to it) and the last error record while its message may continue.
   */
  private readonly pending: LogRecord[] = [];
  private kept = 0;
  /** Line being parsed (the error-continuation window is measured from it). */
  private lineNo = 0;
  private readonly errorWarnings: string[] = [];
  /** Finished runs that got their histogram afterwards (rare: -v 2 rows after a -P 0 row). */
  private readonly lateHistogram = new Set<LogRecord>();
  readonly warnings: string[] = [];
  private cur: LogRecord | null = null;
  /** The current record has its main result (data row, keyval, CSV values). */
  private curHasResult = false;
  private header: string[] = [];
  private headerLine = 0;
  /** The current header went past MAX_HEADER_LINES (its later lines were not kept). */
  private headerCut = false;
  /**
   * Headers cut so far (for the warnings). Not in splitKey: a cut in the second half of a split
   * parse gives it a warning, and a part with warnings is never joined (split-parse.ts).
   */
  private headersCut = 0;
  private inHeader = false;
  private kind: TableKind | null = null;
  private rowsInTable = 0;
  private csvHeader: string[] | null = null;
  private csvPending: string | null = null;
  private pendingBanner: { text: string; line: number } | null = null;
  private inHistogram = false;
  private lastCommandTest: string | null = null;
  private lastCommand: string | null = null;
  /**
   * A -P 0 row whose second line (TCP_RR's remote socket sizes, UDP_STREAM's remote row) may come
   * next: the run it belongs to, stored or not yet, is changed by that line (see bareFollow).
   */
  private bareWait: BareWait | null = null;
  private lastErrorRecord: LogRecord | null = null;
  private lastErrorLine = -10;
  /**
   * The last line that showed omni output, a classic table, a bare row (0: none): only the format
   * name reads them. Line numbers rather than flags, so a parse split in two (split-parse.ts)
   * can tell what the second part saw after the line where the parts join.
   */
  private sawOmni = 0;
  private sawClassic = 0;
  private sawBare = 0;
  private markClassic(): void {
    this.sawClassic = this.lineNo;
  }
  /** Runs opened from a banner so far (split-parse.ts joins parts at such lines). */
  openedRecords = 0;
  /** For each entry of errorWarnings, the index of its run in the spill. */
  private readonly errorWarningRuns: number[] = [];

  /**
   * Lines come through bytes() (the line reader's byte mode): each line is a string of its own
   * (decoded from its bytes), never a slice of a big chunk or document, so caches can keep the
   * line itself instead of an own() copy. Keeping the very object matters: lines from the
   * LineCache are the same object run after run, and comparing an object with itself is a
   * pointer test, not a character loop.
   */
  private flat = false;
  /** The line line() is parsing. */
  private rawLine = '';

  private readonly file: string;
  private readonly maxRecords: number;

  constructor(opts: NetperfParserOptions = {}) {
    this.file = opts.file ?? 'netperf log';
    this.maxRecords = opts.maxRecords ?? MAX_RUNS;
    this.spill = opts.spill ?? new RecordSpill();
  }

  /**
   * Lines that start with a number but are no netperf result row (ping, dd, wc output in a
   * script log): skipped, and listed in one warning (flushLineWarnings).
   */
  private readonly skipped = new LineRanges();
  private skippedExample = '';
  /** Result rows with a value left empty (not a number, or impossible): the first ones are warned one by one. */
  private badRows = 0;
  private readonly badRowLines = new LineRanges();
  /** Unknown throughput units already warned about. */
  private readonly unitsWarned = new Set<string>();
  private lineWarningsFlushed = false;

  /** A whole line (as line() received it) to keep in a cache: own(line) unless lines are strings of their own. */
  private keepLine(line: string): string {
    return this.flat ? line : own(line);
  }

  /**
   * Text of the current line to keep: the line itself when it is the whole line; a trimmed part
   * is copied (a slice would keep the whole line alive, and a line may be megabytes of blanks).
   */
  private keepText(t: string): string {
    return this.flat && t === this.rawLine ? t : own(t);
  }

  /**
   * Byte fast path (LineSink.bytes): empty lines and `Interim result:` lines are handled without a
   * string; lines starting with a letter or a symbol (table headers, banners, echoed text, shell
   * prompts with the command — they repeat run after run) are decoded once and reused from a
   * small cache. Everything then goes through line() with the same text, so the result is exactly
   * that of the string path; lines starting like a number that are not plain result rows (dates,
   * CSV values: mostly different every time) are declined and decoded by the line reader.
   */
  bytes(buf: Buffer, s: number, e: number, n: number): boolean {
    this.lineNo = n;
    this.flat = true;
    this.memoSlot = -1;
    // The line after a -P 0 row goes through line() (bareFollow); rare, so no byte path for it.
    if (this.bareWait !== null) return false;
    const len = e - s;
    if (len === 0) {
      this.line('', n);
      return true;
    }
    if (len > MAX_NETPERF_LINE) return false;
    const c0 = buf[s] ?? 0;
    if (c0 === 73 && this.pendingBanner === null && this.interimBytes(buf, s, e, n)) return true;
    if ((c0 <= 57 && (c0 >= 48 || c0 === 32 || c0 === 9 || c0 === 45 || c0 === 46)) && this.rowBytes(buf, s, e, n)) return true;
    if (c0 > 32 && c0 < 127 && !(c0 >= 48 && c0 <= 57) && c0 !== 43 && c0 !== 45 && c0 !== 46) {
      if (len > LINE_CACHE_MAX_BYTES) return false;
      const text = this.lineCache.get(buf, s, e);
      this.memoSlot = this.lineCache.slot;
      this.line(text, n);
      this.memoSlot = -1;
      return true;
    }
    return false;
  }

  private readonly lineCache = new LineCache();
  private readonly byteRow = new ByteRow();

  /**
   * A classic result row (stream, UDP, RR) read from the bytes: the same steps as line() →
   * numeric() → tableRow(), taken only when every token is a plain number and no branch would
   * quote the line in an error; otherwise false, with nothing changed that line() would not
   * change first in the same way.
   */
  private rowBytes(buf: Buffer, s: number, e: number, n: number): boolean {
    if (this.pendingBanner !== null || !(this.inHeader || this.kind !== null)) return false;
    let i = s;
    while (i < e && (buf[i] === 32 || buf[i] === 9)) i++;
    const c = buf[i] ?? 0;
    // line() sends a row to numeric() only when it starts like a number ("+1" does not).
    if (!((c >= 48 && c <= 57) || c === 45 || c === 46)) return false;
    const row = this.byteRow;
    if (!row.read(buf, i, e)) return false;
    if (this.kind === null) {
      this.kind = this.classify();
      if (this.kind !== 'omni-human') this.markClassic();
      this.inHeader = false;
    }
    const kind = this.kind;
    const k = row.length;
    if (kind === 'stream') {
      if (k < 5) return false;
    } else if (kind === 'udp' || kind === 'rr') {
      const fresh = this.cur === null || (this.rowsInTable === 0 && this.curHasResult) || this.rowsInTable >= 2;
      if ((fresh || this.rowsInTable === 0) && k < 6) return false;
    } else return false;
    this.tableRow('', '', n, row);
    return true;
  }
  private interimUnits = '';

  /**
   * `Interim result:  36.46 10^6bits/s over 2.01 seconds ending at 1327963880.565` read from the
   * bytes. Accepts only the plain ASCII form whose numbers num() reads by its fast path (so the
   * values are identical); anything else returns false before any state changes and takes the
   * string path (INTERIM regex).
   */
  private interimBytes(buf: Buffer, s: number, e: number, n: number): boolean {
    // "Interim result:" by explicit byte tests, like the other fixed words below.
    if (
      !(s + 15 <= e && buf[s] === 73 && buf[s + 1] === 110 && buf[s + 2] === 116 && buf[s + 3] === 101 && buf[s + 4] === 114 &&
        buf[s + 5] === 105 && buf[s + 6] === 109 && buf[s + 7] === 32 && buf[s + 8] === 114 && buf[s + 9] === 101 &&
        buf[s + 10] === 115 && buf[s + 11] === 117 && buf[s + 12] === 108 && buf[s + 13] === 116 && buf[s + 14] === 58)
    ) return false;
    let i = s + INTERIM_PREFIX.length;
    i = skipWs(buf, i, e);
    // Numbers go through a Float64Array: a double returned from a call that is not inlined is boxed.
    const nums = INTERIM_NUMS;
    i = byteNumTo(buf, i, e, nums, 0);
    if (i < 0) return false;
    let j = skipWs(buf, i, e);
    if (j === i) return false;
    const uStart = j;
    const uEnd = byteTokenEnd(buf, j, e);
    if (uEnd < 0 || uEnd === uStart) return false;
    i = skipWs(buf, uEnd, e);
    // The fixed words by explicit byte tests: a loop over a constant Buffer costs several times more.
    if (i === uEnd || !(i + 4 <= e && buf[i] === 111 && buf[i + 1] === 118 && buf[i + 2] === 101 && buf[i + 3] === 114)) return false; // "over"
    j = skipWs(buf, i + OVER.length, e);
    if (j === i + OVER.length) return false;
    i = byteNumTo(buf, j, e, nums, 1);
    if (i < 0) return false;
    j = skipWs(buf, i, e);
    if (j === i || !(j + 7 <= e && buf[j] === 115 && buf[j + 1] === 101 && buf[j + 2] === 99 && buf[j + 3] === 111 && buf[j + 4] === 110 && buf[j + 5] === 100 && buf[j + 6] === 115)) return false; // "seconds"
    i = j + SECONDS.length;
    let hasEnd = false;
    if (i < e) {
      // After "seconds": either only blanks, or " ending at VALUE" (and anything after it).
      j = skipWs(buf, i, e);
      if (j === i) return false;
      if (j < e) {
        if (!(j + 9 <= e && buf[j] === 101 && buf[j + 1] === 110 && buf[j + 2] === 100 && buf[j + 3] === 105 && buf[j + 4] === 110 && buf[j + 5] === 103 && buf[j + 6] === 32 && buf[j + 7] === 97 && buf[j + 8] === 116)) return false; // "ending at"
        i = j + ENDING_AT.length;
        j = skipWs(buf, i, e);
        if (j === i || j >= e) return false;
        const numEnd = byteNumTo(buf, j, e, nums, 2);
        if (numEnd < 0) return false;
        hasEnd = true;
        // The rest of the line must be plain ASCII (the regex ignores it; non-ASCII whitespace would not be).
        for (let k = numEnd; k < e; k++) {
          const c = buf[k] ?? 0;
          if (c >= 127 || (c < 32 && c !== 9)) return false;
        }
      }
    }
    // The units of the previous line, if the bytes are the same (latin1: one char per byte).
    let units = this.interimUnits;
    let same = units.length === uEnd - uStart;
    for (let k = 0; same && k < units.length; k++) same = units.charCodeAt(k) === buf[uStart + k];
    if (!same) {
      units = buf.toString('latin1', uStart, uEnd);
      this.interimUnits = units;
    }
    // addInterim(), written out so the numbers go from the Float64Array into the columns unboxed.
    let rec = this.cur;
    if (rec === null) {
      rec = this.bareRecord(n, 'UNKNOWN');
      this.cur = rec;
    }
    const list = rec.interim ?? (rec.interim = { throughput_units: units, throughput: [], seconds: [], line: n });
    list.throughput.push(nums[0] ?? 0);
    list.seconds.push(nums[1] ?? 0);
    if (hasEnd) (list.ending_at ?? (list.ending_at = [])).push(nums[2] ?? 0);
    return true;
  }

  line(raw: string, n: number): void {
    this.lineNo = n;
    this.rawLine = raw;
    if (this.bareWait !== null && this.bareFollow(raw, n)) return;
    if (this.pendingBanner !== null) {
      const p = this.pendingBanner;
      this.pendingBanner = null;
      // A hard-wrapped banner ("... AF_INET to" / "host () port ..."): join it back.
      if (raw.trim() !== '' && !isHeaderStart(raw.trim())) {
        this.banner(p.text + ' ' + raw.trim(), p.line);
        return;
      }
      this.banner(p.text, p.line);
    }
    const c0 = raw.charCodeAt(0);
    // Hot paths without a trimmed copy: header rows inside a table header (they end in padding
    // spaces), and indented result rows (tokens() skips the indent itself).
    if (this.inHeader && raw.length <= MAX_NETPERF_LINE && ((c0 >= 65 && c0 <= 90 && c0 !== 73) || (c0 >= 97 && c0 <= 122))) {
      if (!(this.mayBeBanner(raw) && this.tryBanner(raw.trimEnd(), n))) this.addHeaderLine(raw);
      return;
    }
    if ((c0 === 32 || c0 === 9) && raw.length <= MAX_NETPERF_LINE) {
      let i = 1;
      while (i < raw.length && (raw.charCodeAt(i) === 32 || raw.charCodeAt(i) === 9)) i++;
      const c = raw.charCodeAt(i);
      if (((c >= 48 && c <= 57) || c === 45 || c === 46) && startsWithNumber(raw, i) && (this.inHeader || this.kind !== null)) {
        this.numeric(raw, raw, n);
        return;
      }
    }
    let t = raw;
    if (c0 === 32 || c0 === 9 || c0 === 13) t = raw.trim();
    else if (raw.length > 0 && raw.charCodeAt(raw.length - 1) <= 32) t = raw.trimEnd();
    if (t === '') {
      this.blank(raw);
      return;
    }
    // netperf never prints lines this long; skipping them keeps every regex below linear-time safe.
    if (t.length > MAX_NETPERF_LINE) {
      this.other('');
      return;
    }
    const c = t.charCodeAt(0);
    if ((c >= 48 && c <= 57) || c === 45 || c === 46) {
      if (startsWithNumber(t)) {
        this.numeric(t, raw, n);
        return;
      }
    }
    if (c === 33 && t.startsWith('!!!')) {
      this.confidence(t);
      return;
    }
    if (c === 73 && t.startsWith('Interim result:')) {
      this.interim(t, n);
      return;
    }
    if (this.inHeader) {
      if (this.mayBeBanner(t) && this.tryBanner(t, n)) return;
      this.addHeaderLine(raw);
      return;
    }
    if (this.csvHeader !== null && this.csvPending !== null && /^[A-Za-z(]/.test(t)) {
      // omni -o header hard-wrapped over several lines: the wrap replaced a space.
      this.csvPending += ' ' + t;
      return;
    }
    if (this.mayBeBanner(t) && this.tryBanner(t, n)) return;
    if (isHeaderStart(t) || (this.cur !== null && this.cur.test === 'OMNI' && !this.curHasResult && t.startsWith('Throughput') && !t.includes(','))) {
      this.startHeader(raw, n);
      return;
    }
    if (c === 72 && t.startsWith('Histogram of')) {
      this.inHistogram = true;
      return;
    }
    if (this.inHistogram && this.histogramRow(t)) return;
    if (c === 62 && t.startsWith('>100_SECS')) {
      this.histogramRow(t);
      return;
    }
    const eq = t.indexOf('=');
    if (eq > 0 && /^[A-Z][A-Z0-9_]*=/.test(t)) {
      this.keyval(t.slice(0, eq), t.slice(eq + 1), n);
      return;
    }
    if (t.includes(',') && /^[A-Za-z]/.test(t) && !t.includes(' -')) {
      this.csvHeader = [];
      this.csvPending = t;
      return;
    }
    if (this.isError(t)) {
      this.error(t, n);
      return;
    }
    this.other(t);
  }

  private blank(raw: string): void {
    if (this.inHeader) {
      // omni -O prints whitespace-only title rows; a truly empty line ends nothing either.
      if (this.kind === null) this.addHeaderLine(raw);
      return;
    }
    this.inHistogram = false;
    if (this.kind !== null) this.endTable();
  }

  /** Banners repeat run after run: parse each distinct one once (bounded cache). */
  private readonly bannerCache = new Map<string, LogRecord | null>();
  /** Templates whose extra holds only first_burst and banner_options, in that order (bannerExtra() copies those by name). */
  private readonly plainBannerExtra = new WeakSet<object>();

  private parseBannerCached(t: string, n: number): LogRecord | null {
    let tmpl = this.bannerCache.get(t);
    if (tmpl === undefined) {
      tmpl = parseBanner(own(t), n);
      if (tmpl !== null) tmpl.banner = own(tmpl.banner ?? t);
      if (tmpl?.extra !== undefined && isPlainBannerExtra(tmpl.extra)) this.plainBannerExtra.add(tmpl.extra);
      if (this.bannerCache.size < 1024) this.bannerCache.set(this.keepText(t), tmpl);
    }
    if (tmpl === null) return null;
    // parseBanner only sets these fields; named copies beat Object.assign on this path.
    const rec = shaped(n, tmpl.test);
    rec.banner = tmpl.banner;
    if (tmpl.migrated !== undefined) rec.migrated = tmpl.migrated;
    if (tmpl.family !== undefined) rec.family = tmpl.family;
    if (tmpl.remote_host !== undefined) rec.remote_host = tmpl.remote_host;
    // The echoed command joins extra here in one allocation (openRecord would add it next).
    if (tmpl.extra !== undefined) {
      const e = tmpl.extra;
      if (this.plainBannerExtra.has(e)) rec.extra = bannerExtra(e, this.lastCommand);
      else rec.extra = this.lastCommand !== null ? { ...e, command: this.lastCommand } : { ...e };
    }
    if (tmpl.confidence !== undefined) rec.confidence = { ...tmpl.confidence };
    return rec;
  }

  private tryBanner(t: string, n: number): boolean {
    if (t.endsWith(' to') || t.endsWith(' AF_INET to') ) {
      if (/\bTEST\b/.test(t) && /^(MIGRATED\s+)?[A-Za-z0-9][A-Za-z0-9/ -]*?\s+TEST\s+(from|to)\b/.test(t)) {
        this.pendingBanner = { text: t, line: n };
        return true;
      }
    }
    const rec = this.parseBannerCached(t, n);
    if (rec === null) return false;
    this.openRecord(rec);
    return true;
  }

  private banner(t: string, n: number): void {
    const rec = this.parseBannerCached(t, n);
    if (rec !== null) this.openRecord(rec);
  }

  private openRecord(rec: LogRecord): void {
    this.closeRecord();
    const cmd = this.lastCommand;
    if (cmd !== null) {
      // parseBannerCached() has usually put it there already; storing it again is a slow keyed store.
      if (rec.extra === undefined) rec.extra = { command: cmd };
      else if (rec.extra['command'] !== cmd) rec.extra['command'] = cmd;
    }
    if (rec.test === 'OMNI') this.sawOmni = this.lineNo;
    this.openedRecords++;
    this.cur = rec;
    this.curHasResult = false;
    this.inHeader = false;
    this.header = [];
    this.headerCut = false;
    this.kind = null;
    this.rowsInTable = 0;
    this.csvHeader = null;
    this.csvPending = null;
    this.inHistogram = false;
  }

  private closeRecord(): void {
    const rec = this.cur;
    if (rec === null) return;
    if (!this.curHasResult && rec.error === undefined) {
      rec.error =
        rec.interim !== undefined && rec.interim.throughput.length > 0
          ? 'run cut off: interim results were printed but no final result'
          : 'run cut off or failed: the banner was printed but no result followed';
    }
    this.push(rec);
    this.cur = null;
    this.curHasResult = false;
    this.endTable();
  }

  /**
   * Hands a finished run to the spill, which keeps only its encoded bytes (the fields that were
   * set), so the wide construction object dies young; returns it (an error message may still grow).
   */
  private push(rec: LogRecord): LogRecord {
    if (this.kept >= this.maxRecords) {
      // Refused rather than cut: dropping the rest while saving the first part would leave runs
      // that can never be imported (the same bytes again are a duplicate).
      const max = INT_FMT.format(this.maxRecords);
      throw new LogParseError(
        this.file,
        rec.line,
        `more than ${max} netperf runs: the run starting here would be run ${INT_FMT.format(this.maxRecords + 1)}, and one import keeps at most ${max}; nothing was saved. Split the log between runs into parts of at most ${max} runs and import each part (a log of one -P 0 row per run: split -l ${this.maxRecords} FILE part-)`,
      );
    }
    this.storeReady();
    this.pending.push(rec);
    this.kept++;
    return rec;
  }

  /** Stores pending runs, oldest first, up to one the parser may still change. */
  private storeReady(): void {
    const p = this.pending;
    let i = 0;
    for (; i < p.length; i++) {
      const r = p[i] as LogRecord;
      if (r === this.lastErrorRecord && this.lineNo - this.lastErrorLine <= 2) break;
      this.store(r);
    }
    // pop() for the usual one or two: assigning length calls into the runtime.
    if (i === p.length) while (p.length > 0) p.pop();
    else if (i > 0) p.splice(0, i);
  }

  private store(r: LogRecord): void {
    // A UDP_STREAM run's throughput is what its receiver got (netperf's second row), as an iperf3 UDP
    // run's is: the sender's rate (kept in extra) can be far above it — 2,787 Mbit/s sent, 0 received.
    // A remote row whose throughput was left empty ("-nan") still makes the sender's rate no
    // stand-in for it (remote_elapsed_s: only that row sets it).
    if (r.test === 'UDP_STREAM' && (r.remote_throughput !== undefined || r.remote_elapsed_s !== undefined) && r.extra?.['sent_throughput'] === undefined) {
      r.extra = { ...r.extra, ...(r.throughput !== undefined ? { sent_throughput: r.throughput } : {}), ...(r.throughput_text !== undefined ? { sent_throughput_text: r.throughput_text } : {}) };
      if (r.remote_throughput !== undefined) r.throughput = r.remote_throughput;
      else delete r.throughput;
      delete r.throughput_text;
    }
    if (this.lateHistogram.delete(r)) this.spill.add(r, 'histogram');
    else this.spill.add(r);
    if (r.error !== undefined) {
      this.errorWarnings.push(`line ${r.line}: ${r.test} run: ${r.error.split('\n')[0] ?? ''}`);
      this.errorWarningRuns.push(this.spill.count - 1);
    }
  }

  private endTable(): void {
    this.inHeader = false;
    this.header = [];
    this.headerCut = false;
    this.kind = null;
    this.rowsInTable = 0;
  }

  private startHeader(raw: string, n: number): void {
    // A second header inside one run (-v 2 Alignment block) keeps the record open.
    if (this.cur !== null && this.curHasResult && !raw.trim().startsWith('Alignment')) {
      this.closeRecord();
    }
    this.inHeader = true;
    this.header = [raw];
    this.headerCut = false;
    this.headerLine = n;
    this.kind = null;
    this.rowsInTable = 0;
  }

  /** A line of the current table header: kept up to MAX_HEADER_LINES, later ones counted in a warning. */
  private addHeaderLine(raw: string): void {
    if (this.header.length < MAX_HEADER_LINES) {
      this.header.push(raw);
      return;
    }
    if (this.headerCut) return;
    this.headerCut = true;
    const k = ++this.headersCut;
    if (k <= MAX_HEADER_WARNINGS) {
      this.warnings.push(`line ${this.lineNo}: table header from line ${this.headerLine} runs past ${MAX_HEADER_LINES} lines; only its first ${MAX_HEADER_LINES} are used`);
    } else if (k === MAX_HEADER_WARNINGS + 1) {
      this.warnings.push(`line ${this.lineNo}: more table headers longer than ${MAX_HEADER_LINES} lines; not reported one by one`);
    }
  }

  /**
   * Table kind and units line per distinct header (headers repeat run after run), in a trie keyed
   * by the header's lines: repeated lines are the same cached strings, so each step is a Map hit
   * on an already-hashed string instead of joining and hashing the whole header.
   */
  private readonly headerTrie: HeaderNode = newHeaderNode();
  private headerTrieNodes = 0;
  private headerTrieChars = 0;
  private headerMemoFor: string[] | null = null;
  private headerMemoLen = -1;
  private headerMemoEntry: HeaderEntry = { kind: null, unitsLine: null };

  private headerEntry(): HeaderEntry {
    const h = this.header;
    if (this.headerMemoFor === h && this.headerMemoLen === h.length) return this.headerMemoEntry;
    let node: HeaderNode | undefined = this.headerTrie;
    for (let i = 0; i < h.length && node !== undefined; i++) {
      const line = h[i] ?? '';
      let child: HeaderNode | undefined = childOf(node, line);
      // Bounded (nodes and characters kept), so odd input cannot grow it: past the bound a header is just not memoized.
      if (child === undefined && this.headerTrieNodes < 4096 && this.headerTrieChars + line.length <= 1 << 20) {
        child = newHeaderNode();
        addChild(node, this.keepLine(line), child);
        this.headerTrieNodes++;
        this.headerTrieChars += line.length;
      }
      node = child;
    }
    let entry: HeaderEntry;
    if (node === undefined) entry = { kind: null, unitsLine: null };
    else entry = node.entry ?? (node.entry = { kind: null, unitsLine: null });
    this.headerMemoFor = h;
    this.headerMemoLen = h.length;
    this.headerMemoEntry = entry;
    return entry;
  }

  private classify(): TableKind {
    const entry = this.headerEntry();
    return entry.kind ?? (entry.kind = this.classifyUncached());
  }

  private classifyUncached(): TableKind {
    return this.classifyText((this.header[0] ?? '').trim(), this.header.length <= 8 ? this.header.join('\n') : this.header.slice(0, 8).join('\n'));
  }

  private classifyText(first: string, all: string): TableKind {
    if (first.startsWith('Alignment')) return 'align';
    if (/\bMessages\b/.test(all) && /\bOkay\b/.test(all)) return 'udp';
    if (first.startsWith('Local /Remote') || /\bRequest\b/.test(all)) return 'rr';
    if (/^Recv\s+Send\s+Send/.test(first) || /\bThroughput\b/.test(all) && /\bMessage\b/.test(all)) return 'stream';
    return 'omni-human';
  }

  private numeric(t: string, raw: string, n: number): void {
    if (this.inHeader || this.kind !== null) {
      if (this.kind === null) {
        this.kind = this.classify();
        if (this.kind !== 'omni-human') this.markClassic();
        this.inHeader = false;
      }
      this.tableRow(t, raw, n);
      return;
    }
    if (this.csvHeader !== null && t.includes(',')) {
      this.csvValues(t, n);
      return;
    }
    if (this.inHistogram) return;
    const parts = t.includes(',') && !/\s/.test(t) ? null : tokens(t);
    if (parts === null) {
      // Headerless omni CSV (-P 0 -o): one run per line, field names unknown.
      const rec = this.bareRecord(n, 'OMNI');
      const fields = t.split(',');
      const first = fields[0] ?? '';
      const v = num(first);
      if (v !== null) {
        rec.throughput = v;
        rec.throughput_text = first;
      }
      const extra: Record<string, string | number> = rec.extra ?? {};
      fields.slice(1).forEach((f, i) => {
        extra[`field${i + 2}`] = f;
      });
      if (fields.length > 1) rec.extra = extra;
      this.push(rec);
      return;
    }
    this.bareRow(parts, t, n);
  }

  private bareRecord(n: number, test: string): LogRecord {
    this.sawBare = this.lineNo;
    const rec = shaped(n, this.lastCommandTest ?? test);
    if (this.lastCommand !== null) rec.extra = { command: this.lastCommand };
    return rec;
  }

  /**
   * -P 0 rows: no banner, no header. One number is a -v 0 value; a longer row is read by the
   * layout of the test echoed before it (-t), else by its shape (applyBare). A line that is not
   * shaped like one (bareShape: ping, dd or wc output in a script log) is skipped and listed in
   * a warning, never stored as a run.
   */
  private bareRow(parts: string[], t: string, n: number): void {
    const row = StringRow.from(parts);
    if (row.columns === 0) {
      this.other(parts.join(' '));
      return;
    }
    if (!bareShape(row)) {
      if (this.skipped.count === 0) this.skippedExample = t.length > 80 ? `${t.slice(0, 80)}…` : own(t);
      this.skipped.add(n);
      return;
    }
    if (this.cur !== null && !this.curHasResult) {
      // A banner was printed and results follow without a header (e.g. -v 0 after a banner).
      this.applyBare(this.cur, row, n, true);
      this.curHasResult = true;
      return;
    }
    const rec = this.bareRecord(n, 'UNKNOWN');
    this.applyBare(rec, row, n);
    this.push(rec);
  }

  /**
   * The columns of a -P 0 row. The test named by the banner or the echoed command (rec.test)
   * decides them when the row has at least the numbers of that test's row. A shorter row under an
   * echoed command is not that test's (the command echoed last was for another run) and is read
   * by its shape; under a banner it is refused. The shape: 5 numbers (9 with -c -C CPU columns)
   * are a STREAM row. TCP_RR prints 6 (10) and then a row of its 2 remote socket sizes,
   * UDP_STREAM 6 (8) and then a remote row of 4 (6): such a row is read only once the next line
   * shows which it is, since 6 numbers fit both and the columns mean different things
   * (bareFollow).
   */
  private applyBare(rec: LogRecord, row: StringRow, n: number, banner = false): void {
    const k = row.columns;
    if (k < row.length) rec.tag = row.tail(k);
    if (k === 1) {
      const v = row.rate(0);
      if (v !== null) {
        rec.throughput = v;
        rec.throughput_text = row.text(0);
      } else this.reportBad(row, n, V0_COLUMNS);
      return;
    }
    const named = bareLayoutOf(rec.test);
    const least = named === 'stream' ? 5 : 6;
    if (named !== null && k >= least) {
      this.bareLocal(rec, named, row, k);
      if (row.bad !== 0) this.reportBad(row, n, named === 'stream' ? STREAM_COLUMNS : named === 'rr' ? RR_COLUMNS : UDP_LOCAL_COLUMNS);
      if (named !== 'stream') this.bareWait = { rec, line: n, layout: named, k, row };
      return;
    }
    if (named !== null && banner) {
      bareUnassigned(rec, row, k, `result row of ${k} numbers without a header; a ${rec.test} row has at least ${least}`);
      return;
    }
    // The echoed command was for another run: the name goes with the reading.
    if (named !== null) rec.test = 'UNKNOWN';
    if (k === 5 || k === 9) {
      if (rec.test === 'UNKNOWN') rec.test = 'TCP_STREAM';
      this.streamRow(rec, row, k);
      if (row.bad !== 0) this.reportBad(row, n, STREAM_COLUMNS);
    } else if (k === 6 || k === 8 || k === 10) {
      this.bareWait = { rec, line: n, layout: null, k, row };
    } else {
      bareUnassigned(rec, row, k, `-P 0 row of ${k} numbers: no netperf result row has that many (1: -v 0; 5 or 9: STREAM; 6 or 10, then 2: TCP_RR; 6 or 8, then 4 or 6: UDP_STREAM)`);
    }
  }

  /** The first row of a -P 0 result in the given layout (the columns of the classic table's first row). */
  private bareLocal(rec: LogRecord, layout: BareLayout, row: RowTokens, k: number): void {
    if (layout === 'stream') this.streamRow(rec, row, k);
    else if (layout === 'rr') rrLocalRow(rec, row, k);
    else udpLocalRow(rec, row, k);
  }

  /**
   * The line after a -P 0 row that may have a second line (bareWait): if it is that row, it goes
   * into the same run (and, for a row read by its shape, tells its layout) and true is returned;
   * otherwise the waiting row is settled and the line is parsed as usual.
   */
  private bareFollow(raw: string, n: number): boolean {
    const w = this.bareWait;
    if (w === null) return false;
    this.bareWait = null;
    if (n === w.line + 1 && raw.length <= MAX_NETPERF_LINE) {
      const remote = StringRow.of(raw);
      const c = remote.length;
      if (c > 0 && remote.columns === c) {
        let layout = w.layout;
        // By shape: TCP_RR's 6 (10) numbers are followed by 2, UDP_STREAM's 6 (8) by 4 (6).
        if (layout === null) layout = c === 2 && (w.k === 6 || w.k === 10) ? 'rr' : (c === 4 && w.k === 6) || (c === 6 && w.k === 8) ? 'udp' : null;
        if (layout !== null && c === (layout === 'rr' ? 2 : layout === 'udp' ? (w.k >= 8 ? 6 : 4) : -1)) {
          if (w.layout === null) {
            if (w.rec.test === 'UNKNOWN') w.rec.test = layout === 'rr' ? 'TCP_RR' : 'UDP_STREAM';
            this.bareLocal(w.rec, layout, w.row, w.k);
            if (w.row.bad !== 0) this.reportBad(w.row, w.line, layout === 'rr' ? RR_COLUMNS : UDP_LOCAL_COLUMNS);
          }
          if (layout === 'rr') rrRemoteRow(w.rec, remote);
          else udpRemoteRow(w.rec, remote, c);
          if (remote.bad !== 0) this.reportBad(remote, n, layout === 'rr' ? RR_REMOTE_COLUMNS : UDP_REMOTE_COLUMNS);
          return true;
        }
      }
    }
    this.settleBare(w);
    return false;
  }

  /** A waiting row whose second line did not come: a row read by its shape stays unassigned. */
  private settleBare(w: BareWait): void {
    if (w.layout !== null) return;
    const what = w.k === 6 ? "TCP_RR's (then a row of 2) or UDP_STREAM's (then a row of 4)" : w.k === 8 ? "UDP_STREAM's with CPU columns (then a row of 6)" : "TCP_RR's with CPU columns (then a row of 2)";
    bareUnassigned(w.rec, w.row, w.k, `-P 0 row of ${w.k} numbers is ${what}, and line ${w.line + 1} is not that row: the columns are unknown (the netperf command echoed before the run would tell)`);
  }

  private streamRow(rec: LogRecord, p: RowTokens, k: number): void {
    const maerts = rec.test === 'TCP_MAERTS';
    const a = p.num(0);
    const b = p.num(1);
    if (a !== null) rec[maerts ? 'local_recv_socket_bytes' : 'remote_recv_socket_bytes'] = a;
    if (b !== null) rec[maerts ? 'remote_send_socket_bytes' : 'local_send_socket_bytes'] = b;
    {
          const v = p.num(2);
          if (v !== null) rec.message_bytes = v;
        }
    {
          const v = p.num(3);
          if (v !== null) rec.elapsed_s = v;
        }
    if (k >= 5) {
      const v = p.rate(4);
      if (v !== null) {
        rec.throughput = v;
        rec.throughput_text = p.text(4);
      }
    }
    if (k >= 9) {
      {
          const v = p.num(5);
          if (v !== null) rec.cpu_local_pct = v;
        }
      {
          const v = p.num(6);
          if (v !== null) rec.cpu_remote_pct = v;
        }
      {
          const v = p.num(7);
          if (v !== null) rec.service_demand_local = v;
        }
      {
          const v = p.num(8);
          if (v !== null) rec.service_demand_remote = v;
        }
    }
  }

  private readonly unitsCache = new Map<string, Pick<LogRecord, 'throughput_units' | 'cpu_method_local' | 'cpu_method_remote' | 'service_demand_units'>>();

  private applyHeaderUnits(rec: LogRecord, kind: TableKind | null): void {
    const entry = this.headerEntry();
    const unitsLine = entry.unitsLine ?? (entry.unitsLine = own(this.header.find((h) => /^\s*bytes\b/i.test(h) || /bits\/s|Bytes\/s|per sec/.test(h)) ?? ''));
    const cached = this.unitsCache.get(unitsLine);
    if (cached !== undefined) {
      // Named stores (rec has every field already, so the order of keys does not change).
      if (cached.throughput_units !== undefined) rec.throughput_units = cached.throughput_units;
      if (cached.cpu_method_local !== undefined) rec.cpu_method_local = cached.cpu_method_local;
      if (cached.cpu_method_remote !== undefined) rec.cpu_method_remote = cached.cpu_method_remote;
      if (cached.service_demand_units !== undefined) rec.service_demand_units = cached.service_demand_units;
      return;
    }
    const before = { ...rec };
    this.unitsFromLine(rec, unitsLine, kind);
    const got: Pick<LogRecord, 'throughput_units' | 'cpu_method_local' | 'cpu_method_remote' | 'service_demand_units'> = {};
    for (const k of ['throughput_units', 'cpu_method_local', 'cpu_method_remote', 'service_demand_units'] as const) {
      const v = rec[k];
      if (v !== undefined && v !== before[k]) got[k] = v;
    }
    // Keyed by the entry's own string, so the next table under this header finds it by identity.
    if (this.unitsCache.size < 256) this.unitsCache.set(unitsLine, got);
  }

  private unitsFromLine(rec: LogRecord, unitsLine: string, kind: TableKind | null): void {
    const u = unitsOf(unitsLine);
    if (u !== undefined) {
      if (u === 'per sec') rec.throughput_units = 'Trans/s';
      else rec.throughput_units = u;
    } else if (kind === 'stream' || kind === 'udp' || kind === 'rr') {
      // Not dropped: a run without units reads as a -P 0 row, which the tables convert as
      // netperf's default 10^6bits/s. Warned once per unit (the result is cached per header).
      const other = otherUnitsOf(unitsLine);
      if (other !== undefined) {
        rec.throughput_units = other;
        if (!this.unitsWarned.has(other) && this.unitsWarned.size < MAX_UNIT_WARNINGS) {
          this.unitsWarned.add(other);
          const at = this.header.indexOf(unitsLine);
          this.warnings.push(
            `line ${this.headerLine + Math.max(0, at)}: the table header gives the throughput in "${other}", which are no units netperf prints (10^N bits/s, k/m/g bits/s, K/M/G Bytes/s, Trans/s): kept as printed, and the measured tables leave runs in them out`,
          );
        }
      }
    }
    const methods = [...unitsLine.matchAll(/%\s*([A-Za-z?]{1,2})\b/g)].map((m) => m[1] ?? '');
    if (methods[0] !== undefined) rec.cpu_method_local = methods[0];
    if (methods[1] !== undefined) rec.cpu_method_remote = methods[1];
    const sd = /(us\/(?:KB|Tr))/.exec(unitsLine);
    if (sd?.[1] !== undefined) rec.service_demand_units = sd[1];
  }

  /**
   * One row of a classic results table. `row` is given when the bytes path has already read the
   * tokens (all plain numbers, see rowBytes()); otherwise they are cut from `t`.
   */
  private tableRow(t: string, raw: string, n: number, given?: RowTokens): void {
    const kind = this.kind;
    const row = given ?? StringRow.of(t, true);
    const k = row.columns;
    if (kind === 'align') {
      const rec = this.cur;
      if (rec !== null) {
        const names = ['local_send_align', 'remote_recv_align', 'local_send_offset', 'remote_recv_offset', 'round_trip_latency_usec_per_tran', 'transaction_rate_per_s', 'outbound_throughput', 'inbound_throughput'];
        const extra: Record<string, string | number> = { ...(rec.extra ?? {}) };
        for (let i = 0; i < k && i < names.length; i++) extra[names[i] ?? `v${i}`] = row.num(i) ?? 0;
        rec.extra = extra;
        if (k >= 6 && rec.transactions_per_s === undefined) rec.transactions_per_s = row.num(5) ?? undefined;
      }
      this.endTable();
      return;
    }
    let rec = this.cur;
    const fresh = rec === null || (this.rowsInTable === 0 && this.curHasResult) || (kind === 'stream' && this.rowsInTable > 0) || this.rowsInTable >= 2;
    if (fresh) {
      // Another result under the same header, or a header with no banner (-P 0 after a header).
      if (rec !== null && this.curHasResult) {
        const prev = rec;
        this.push(prev);
        this.cur = null;
        rec = shaped(n, prev.test);
        for (const key of ['banner', 'migrated', 'family', 'remote_host'] as const) {
          if (prev[key] !== undefined) (rec as unknown as Record<string, unknown>)[key] = prev[key];
        }
      } else if (rec === null) {
        rec = shaped(this.headerLine, this.lastCommandTest ?? (kind === 'rr' ? 'TCP_RR' : kind === 'udp' ? 'UDP_STREAM' : kind === 'stream' ? 'TCP_STREAM' : 'OMNI'));
      }
      this.cur = rec;
      this.curHasResult = false;
      this.rowsInTable = 0;
    }
    if (rec === null) return;
    const rowNo = this.rowsInTable++;
    if (rowNo === 0) this.applyHeaderUnits(rec, kind);
    const truncated = k < row.length && kind !== 'omni-human' && !(kind === 'stream' && k >= 5);
    let names: readonly string[] = [];
    if (kind === 'stream') {
      names = STREAM_COLUMNS;
      this.streamRow(rec, row, k);
      if (k < 5) rec.error = cutOff(n, k, t);
      else {
        const tag = row.tail(k);
        if (tag !== '') rec.tag = tag;
      }
    } else if (kind === 'udp') {
      if (rowNo === 0) {
        names = UDP_LOCAL_COLUMNS;
        udpLocalRow(rec, row, k);
        if (k < 6) rec.error = cutOff(n, k, t);
      } else {
        names = UDP_REMOTE_COLUMNS;
        udpRemoteRow(rec, row, k);
      }
    } else if (kind === 'rr') {
      if (rowNo === 0) {
        names = RR_COLUMNS;
        rrLocalRow(rec, row, k);
        if (k < 6) rec.error = cutOff(n, k, t);
      } else {
        names = RR_REMOTE_COLUMNS;
        rrRemoteRow(rec, row);
      }
    } else {
      this.omniHuman(rec, raw, n);
    }
    if (row.bad !== 0) this.reportBad(row, n, names);
    if (truncated && rec.error === undefined && kind !== 'stream') {
      rec.error = `run cut off: unexpected text in the result row at line ${n} ("${t}")`;
    }
    this.curHasResult = true;
  }

  /**
   * Values of the result row at line `n` left empty (row.bad: "-nan", "1e309", "79x5.31", a
   * negative throughput): warned at the row's own line with the value as printed, the first
   * MAX_BAD_ROW_WARNINGS rows one by one and later ones by line, so the rest of the run is kept
   * and nothing is left out unsaid.
   */
  private reportBad(row: RowTokens, n: number, names: readonly string[]): void {
    if (++this.badRows > MAX_BAD_ROW_WARNINGS) {
      this.badRowLines.add(n);
      return;
    }
    const what: string[] = [];
    for (let i = 0; i < 31; i++) {
      if ((row.bad & (1 << i)) === 0) continue;
      const text = (row.text(i) ?? '').slice(0, 40);
      what.push(`column ${i + 1} (${names[i] ?? 'value'}) "${text}" is ${badWhy(text)}`);
    }
    this.warnings.push(`line ${n}: result row: ${what.join('; ')}; left empty${row.columns > 1 ? ', the rest of the row is kept' : ''}`);
  }

  /** A bad THROUGHPUT value of omni output (applyOmniField), at line `n`. */
  private reportBadOmni(problem: string | null, n: number): void {
    if (problem === null) return;
    if (++this.badRows > MAX_BAD_ROW_WARNINGS) this.badRowLines.add(n);
    else this.warnings.push(`line ${n}: ${problem}; left empty`);
  }

  /** Warnings that list lines, once every line is seen (the end of the parse, or of a part of a split parse). */
  private flushLineWarnings(): void {
    if (this.lineWarningsFlushed) return;
    this.lineWarningsFlushed = true;
    if (this.skipped.count > 0) {
      this.warnings.push(
        `${this.skipped.text()}: not netperf output, skipped: ${this.skipped.count === 1 ? 'it starts' : 'they start'} with a number but ${this.skipped.count === 1 ? 'is' : 'are'} not shaped like a netperf result row (e.g. "${this.skippedExample}")`,
      );
    }
    const more = this.badRowLines.count;
    if (more > 0) {
      this.warnings.push(`${this.badRowLines.text()}: ${INT_FMT.format(more)} more result rows with a value that is not a number (or a negative throughput); those values were left empty, the rest of each row is kept`);
    }
  }

  /** The current header's -O columns (made once per header, see omniHuman). */
  private omniCols: OmniColumns | null = null;

  /** omni -O: titles are stacked in columns above the values; cut titles at the value columns. */
  private omniHuman(rec: LogRecord, raw: string, n: number): void {
    const starts: number[] = [];
    const re = /\S+/g;
    let m: RegExpExecArray | null;
    const values: string[] = [];
    while ((m = re.exec(raw)) !== null) {
      starts.push(m.index);
      values.push(m[0]);
    }
    // The header does not change once rows come (and a new one is a new array).
    let cols = this.omniCols;
    if (cols === null || !cols.isFor(this.header)) cols = this.omniCols = new OmniColumns(this.header);
    const titles = cols.titles(starts);
    for (let i = 0; i < values.length; i++) {
      const title = titles[i] ?? '';
      this.reportBadOmni(applyOmniField(rec, title === '' ? `field${i + 1}` : title, values[i] ?? ''), n);
    }
    this.sawOmni = this.lineNo;
  }

  private csvValues(t: string, n: number): void {
    if (this.csvPending !== null) {
      this.csvHeader = this.csvPending.split(',').map((s) => s.trim());
      this.csvPending = null;
    }
    const names = this.csvHeader ?? [];
    let rec = this.cur;
    if (rec === null || this.curHasResult) {
      if (rec !== null) this.closeRecord();
      rec = this.bareRecord(n, 'OMNI');
      this.cur = rec;
    }
    const vals = t.split(',');
    // Throughput first so its units decide transactions_per_s regardless of column order.
    vals.forEach((v, i) => this.reportBadOmni(applyOmniField(rec, names[i] ?? `field${i + 1}`, v), n));
    const tp = names.findIndex((s) => s.toUpperCase() === 'THROUGHPUT');
    if (tp >= 0 && rec.throughput_units !== undefined && /^trans/i.test(rec.throughput_units) && rec.throughput !== undefined) {
      rec.transactions_per_s = rec.throughput;
    }
    this.curHasResult = true;
    this.sawOmni = this.lineNo;
  }

  private keyval(key: string, value: string, n: number): void {
    let rec = this.cur;
    if (rec === null || (this.curHasResult && rec.extra?.[key] !== undefined)) {
      if (rec !== null) this.closeRecord();
      rec = this.bareRecord(n, 'OMNI');
      this.cur = rec;
    }
    this.reportBadOmni(applyOmniField(rec, key, value), n);
    this.curHasResult = true;
    this.sawOmni = this.lineNo;
  }

  private confidence(t: string): void {
    const rec = this.cur;
    if (rec === null) return;
    const conf = { ...(rec.confidence ?? {}) };
    if (t.includes('WARNING')) conf.warning = true;
    const m = /(Throughput|Local CPU util|Remote CPU util)\s*:\s*([\d.]+)%/.exec(t);
    if (m?.[1] !== undefined && m[2] !== undefined) {
      const key = m[1].toLowerCase().replace(/ /g, '_');
      conf.achieved_pct = { ...(conf.achieved_pct ?? {}), [key]: Number(m[2]) };
    }
    rec.confidence = conf;
  }

  private interim(t: string, n: number): void {
    // "Interim result:   36.46 10^6bits/s over 2.01 seconds ending at 1327963880.565"
    const r = INTERIM.exec(t);
    if (r === null) return;
    const tp = num(r[1]);
    const secs = num(r[3]);
    const endAt = r[4] === undefined ? undefined : num(r[4]);
    if (tp === null || secs === null || endAt === null) return;
    this.addInterim(tp, r[2] ?? '', secs, endAt, n);
  }

  private addInterim(tp: number, units: string, secs: number, endAt: number | undefined, n: number): void {
    let rec = this.cur;
    if (rec === null) {
      rec = this.bareRecord(n, 'UNKNOWN');
      this.cur = rec;
    }
    const list = rec.interim ?? (rec.interim = { throughput_units: units, throughput: [], seconds: [], line: n });
    list.throughput.push(tp);
    list.seconds.push(secs);
    if (endAt !== undefined) (list.ending_at ?? (list.ending_at = [])).push(endAt);
  }

  private histogramRow(t: string): boolean {
    const m = /^([A-Z_>0-9]+)\s*:(.*)$/.exec(t);
    if (m === null) {
      this.inHistogram = false;
      return false;
    }
    const rec = this.cur ?? this.pending[this.pending.length - 1];
    if (rec === undefined) return true;
    // Added to a finished run: the key comes after the ones it had (as on the stored object before).
    if (rec !== this.cur && rec.histogram === undefined) this.lateHistogram.add(rec);
    const vals = (m[2] ?? '').split(':').map((s) => Number(s.trim())).filter((v) => Number.isFinite(v));
    rec.histogram = { ...(rec.histogram ?? {}), [m[1] ?? '']: vals };
    return true;
  }

  private isError(t: string): boolean {
    return this.lineIs(t, ERROR_WORDS_KNOWN) && (this.lineIs(t, ERROR_PREFIX_KNOWN) || this.cur !== null);
  }

  /**
   * LineCache slot of the line being parsed, or -1: facts about the text (see lineIs) are then
   * remembered with it, since the same line comes back run after run.
   */
  private memoSlot = -1;

  /** mayBeBanner(t), remembered per cached line (t is the line, or the line without trailing blanks: same answer). */
  private mayBeBanner(t: string): boolean {
    return this.lineIs(t, BANNER_KNOWN);
  }

  /**
   * A test of the line's text only (`known` names it; the bit above it is its answer), from the
   * LineCache's flags when the line came from there. Only used with tests that give the same
   * answer for the line and for the line without trailing blanks, which is what line() passes.
   */
  private lineIs(t: string, known: number): boolean {
    const slot = this.memoSlot;
    const flags = this.lineCache.flags;
    const f = slot >= 0 ? (flags[slot] ?? 0) : 0;
    if ((f & known) !== 0) return (f & (known << 1)) !== 0;
    const r = known === BANNER_KNOWN ? mayBeBanner(t) : known === ERROR_WORDS_KNOWN ? ERROR_WORDS.test(t) : ERROR_PREFIX.test(t);
    if (slot >= 0) flags[slot] = f | known | (r ? known << 1 : 0);
    return r;
  }

  private error(t: string, n: number): void {
    if (this.cur !== null && !this.curHasResult) {
      this.cur.error = this.cur.error === undefined || this.cur.error.startsWith('run cut off') ? t : `${this.cur.error}\n${t}`;
      this.curHasResult = true;
      this.lastErrorRecord = null;
      this.lastErrorLine = n;
      return;
    }
    if (this.cur !== null && this.cur.error !== undefined && n - this.lastErrorLine <= 2) {
      this.cur.error = `${this.cur.error}\n${t}`;
      this.lastErrorLine = n;
      return;
    }
    if (this.lastErrorRecord !== null && n - this.lastErrorLine <= 2) {
      this.lastErrorRecord.error = `${this.lastErrorRecord.error ?? ''}\n${t}`;
      this.lastErrorLine = n;
      return;
    }
    this.closeRecord();
    const rec = this.bareRecord(n, 'UNKNOWN');
    rec.error = t;
    this.lastErrorRecord = this.push(rec);
    this.lastErrorLine = n;
  }

  /**
   * Prompts, echoed commands, separators: remember the last netperf command for the next run. An
   * echoed command of another program ("$ ping -c 3 h") forgets it: what follows is that
   * program's output, and a -P 0 row after it is read by its shape, not as the earlier test's.
   */
  private other(t: string): void {
    // A line seen before (loops print the same commands run after run, sweeps a few dozen
    // variants): same result, and the same command string, which the record encoder then finds
    // by identity.
    const hit = this.otherMemo.get(t);
    if (hit !== undefined) {
      if (hit.cmd !== null || hit.clears) {
        this.lastCommand = hit.cmd;
        this.lastCommandTest = hit.test;
      }
    } else {
      const i = t.search(/(^|[\s/#$>])netperf\s/);
      let cmd: string | null = null;
      let test: string | null = null;
      let clears = false;
      if (i >= 0) {
        cmd = own(t.slice(t.indexOf('netperf', i)));
        const m = /\s-t\s*([A-Za-z_0-9]+)/.exec(cmd);
        test = m?.[1] !== undefined ? m[1].toUpperCase() : null;
        this.lastCommand = cmd;
        this.lastCommandTest = test;
      } else {
        const word = SHELL_COMMAND.exec(t)?.[1];
        clears = word !== undefined && !KEEPS_COMMAND.has(word);
        if (clears) {
          this.lastCommand = null;
          this.lastCommandTest = null;
        }
      }
      if (t.length <= 1024) {
        // Bounded: a log of ever-new lines starts the memo afresh instead of growing it.
        if (this.otherMemo.size >= OTHER_MEMO) this.otherMemo.clear();
        this.otherMemo.set(this.keepText(t), { cmd, test, clears });
      }
    }
    if (this.kind !== null) this.endTable();
  }

  private readonly otherMemo = new Map<string, { cmd: string | null; test: string | null; clears: boolean }>();

  /** The document with its runs in it (small inputs; a big import uses finishRecords()). */
  finish(): ImportDoc {
    const doc = this.close();
    const records = [...this.spill];
    this.spill.dispose();
    return { tool: doc.tool, format: doc.format, warnings: doc.warnings, records, profiles: doc.profiles };
  }

  /** Frees the runs stored so far (a failed or cancelled import); the parser is done with then. */
  dispose(): void {
    this.spill.dispose();
  }

  /** The document without its runs, and the runs as stored; the caller disposes of them. */
  finishRecords(): { doc: ImportDoc; records: RecordSpill } {
    return { doc: this.close(), records: this.spill };
  }

  private close(): ImportDoc {
    this.closeParts();
    this.flushLineWarnings();
    for (const w of this.errorWarnings) this.warnings.push(w);
    return { tool: 'netperf', format: formatName(this.sawOmni > 0, this.sawClassic > 0, this.sawBare > 0), warnings: this.warnings, records: [], profiles: [] };
  }

  /** Ends the last run and stores every run. */
  private closeParts(): void {
    const w = this.bareWait;
    if (w !== null) {
      this.bareWait = null;
      this.settleBare(w);
    }
    if (this.pendingBanner !== null) {
      const p = this.pendingBanner;
      this.pendingBanner = null;
      this.banner(p.text, p.line);
    }
    this.closeRecord();
    this.storePending();
  }

  private storePending(): void {
    for (const r of this.pending) this.store(r);
    this.pending.length = 0;
  }

  // ---- A parse split in two (split-parse.ts) ----

  /**
   * Everything that decides what later lines do to the output, as a string, once line `n` is
   * parsed; null when the state cannot be handed over at this line (no open run, a banner
   * waiting for its second half, an error message that may still continue, or a finished run
   * that a later line could still change). Two parsers with the same key here produce the same
   * output from the next line on, whatever came before: the caches only remember answers.
   */
  splitKey(n: number): string | null {
    if (this.cur === null || this.pendingBanner !== null || this.bareWait !== null || n + 1 - this.lastErrorLine <= 2) return null;
    return JSON.stringify(
      [this.cur, this.curHasResult, this.header, this.headerLine, this.headerCut, this.inHeader, this.kind, this.rowsInTable, this.csvHeader, this.csvPending, this.inHistogram, this.lastCommandTest, this.lastCommand],
      (_k, v: unknown) => (v === undefined ? '\u0000undefined' : typeof v === 'number' && !Number.isFinite(v) ? `\u0000${String(v)}` : v),
    );
  }

  /**
   * Takes `t` as an echoed line seen before the first line (the second half of a split parse
   * guesses the first half's last command this way; splitKey tells whether the guess was right).
   */
  primeLastCommand(t: string): void {
    if (t !== '' && t.length <= MAX_NETPERF_LINE) this.other(t);
  }

  /** Runs kept at most (a log with more is refused). */
  get runLimit(): number {
    return this.maxRecords;
  }

  /** Runs pushed so far (stored or pending), in the order they are stored. */
  get runsPushed(): number {
    return this.kept;
  }

  /**
   * The first part of a split parse, at a line where splitKey matched the second part's: the
   * finished runs are stored and the open one is left to the second part.
   */
  handOff(): SplitPart {
    this.storePending();
    return this.part();
  }

  /** The second part of a split parse, at its end (like finishRecords, with the pieces apart). */
  finishPart(): SplitPart {
    this.closeParts();
    return this.part();
  }

  private part(): SplitPart {
    // The line lists end here: a part with any warning is not joined (split-parse.ts), so a
    // part's lists are all that the joined document lists.
    this.flushLineWarnings();
    return {
      records: this.spill,
      errorWarnings: this.errorWarnings,
      errorWarningRuns: this.errorWarningRuns,
      otherWarnings: this.warnings,
      sawOmni: this.sawOmni,
      sawClassic: this.sawClassic,
      sawBare: this.sawBare,
    };
  }
}

/** What each part of a split netperf parse hands to the join (split-parse.ts). */
export interface SplitPart {
  records: RecordSpill;
  errorWarnings: string[];
  errorWarningRuns: number[];
  otherWarnings: string[];
  sawOmni: number;
  sawClassic: number;
  sawBare: number;
}

export function formatName(omni: boolean, classic: boolean, bare: boolean): string {
  return omni ? (classic ? 'netperf mixed classic+omni' : 'netperf omni') : bare ? 'netperf -P 0 rows' : 'netperf classic';
}


const INTERIM_PREFIX = Buffer.from('Interim result:', 'latin1');
const OVER = Buffer.from('over', 'latin1');
const SECONDS = Buffer.from('seconds', 'latin1');
const ENDING_AT = Buffer.from('ending at', 'latin1');

function skipWs(buf: Buffer, i: number, e: number): number {
  while (i < e && (buf[i] === 32 || buf[i] === 9)) i++;
  return i;
}

/** End of a token of printable ASCII starting at i (up to a space/tab or e); -1 on any other byte. */
function byteTokenEnd(buf: Buffer, i: number, e: number): number {
  while (i < e) {
    const c = buf[i] ?? 0;
    if (c === 32 || c === 9) return i;
    if (c <= 32 || c >= 127) return -1;
    i++;
  }
  return i;
}


const INTERIM_NUMS = new Float64Array(3);

/**
 * The plain decimal (≤ 15 digits, optional sign and dot) at buf[i..] up to a space/tab or e,
 * computed exactly as num()'s fast path, stored in out[k]; returns where the token ends, or -1
 * (nothing stored) when the token is anything else.
 */
function byteNumTo(buf: Buffer, i: number, e: number, out: Float64Array, k: number): number {
  let neg = false;
  const c0 = buf[i] ?? 0;
  if (c0 === 45 || c0 === 43) {
    neg = c0 === 45;
    i++;
  }
  let mant = 0;
  let digits = 0;
  let frac = -1;
  for (; i < e; i++) {
    const c = buf[i] ?? 0;
    if (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0) frac = 0;
    else if (c === 32 || c === 9) break;
    else return -1;
  }
  if (digits === 0 || digits > 15) return -1;
  const v = frac > 0 ? mant / (POW10[frac] ?? 1) : mant;
  out[k] = neg ? -v : v;
  return i;
}

/**
 * The column titles of an omni -O header: for a value starting at column `from` (0 for the first
 * value) and the next one at `to` (the line's end for the last), each header line's text in
 * [from, to) without surrounding whitespace, the non-empty ones joined by a space; exactly
 * `h.slice(from, to).trim()` per line. Each line's words are found once, and a title is cut by
 * two binary searches per line, so a row costs nothing like a scan of the header; the titles of
 * the last row layout are kept (rows under one header usually share it).
 */
export class OmniColumns {
  /** Per header line, its words as [start, end) pairs, in order. */
  private readonly words: Int32Array[];
  private readonly len: number;
  private lastStarts: number[] | null = null;
  private lastTitles: string[] = [];

  constructor(private readonly header: readonly string[]) {
    this.len = header.length;
    this.words = header.map((h) => {
      const at: number[] = [];
      const re = /\S+/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(h)) !== null) at.push(m.index, m.index + m[0].length);
      return Int32Array.from(at);
    });
  }

  /** Made from this very header, at its present length. */
  isFor(header: readonly string[]): boolean {
    return header === this.header && header.length === this.len;
  }

  /** Titles for values starting at `starts` (ascending); '' where the header has none. */
  titles(starts: readonly number[]): string[] {
    const last = this.lastStarts;
    // The first value's title starts at column 0 wherever the value does.
    if (last !== null && last.length === starts.length && starts.every((s, i) => i === 0 || s === last[i])) return this.lastTitles;
    const out: string[] = [];
    for (let i = 0; i < starts.length; i++) {
      const from = i === 0 ? 0 : (starts[i] ?? 0);
      const to = starts[i + 1] ?? Infinity;
      let title = '';
      for (let k = 0; k < this.len; k++) {
        const part = this.cut(k, from, to);
        if (part !== '') title = title === '' ? part : `${title} ${part}`;
      }
      out.push(title);
    }
    this.lastStarts = [...starts];
    this.lastTitles = out;
    return out;
  }

  /** Header line k's text in [from, to), trimmed. */
  private cut(k: number, from: number, to: number): string {
    const w = this.words[k];
    if (w === undefined) return '';
    const n = w.length >> 1;
    // a: the first word ending after `from`; b: the first word starting at or after `to`.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((w[2 * mid + 1] ?? 0) > from) hi = mid;
      else lo = mid + 1;
    }
    const a = lo;
    hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((w[2 * mid] ?? 0) >= to) hi = mid;
      else lo = mid + 1;
    }
    const b = lo;
    if (b <= a) return '';
    return (this.header[k] ?? '').slice(Math.max(from, w[2 * a] ?? 0), Math.min(to, w[2 * b - 1] ?? 0));
  }
}

interface HeaderEntry {
  kind: TableKind | null;
  unitsLine: string | null;
}

/**
 * A trie node: children in two short arrays searched with === (a header line has one or two
 * continuations in practice, and comparing strings beats hashing them), a Map past a few.
 */
interface HeaderNode {
  keys: string[];
  kids: HeaderNode[];
  map: Map<string, HeaderNode> | null;
  entry: HeaderEntry | null;
}

const HEADER_NODE_ARRAY_MAX = 8;

function newHeaderNode(): HeaderNode {
  return { keys: [], kids: [], map: null, entry: null };
}

function childOf(node: HeaderNode, line: string): HeaderNode | undefined {
  if (node.map !== null) return node.map.get(line);
  const keys = node.keys;
  for (let k = 0; k < keys.length; k++) if (keys[k] === line) return node.kids[k];
  return undefined;
}

function addChild(node: HeaderNode, line: string, child: HeaderNode): void {
  if (node.map === null && node.keys.length < HEADER_NODE_ARRAY_MAX) {
    node.keys.push(line);
    node.kids.push(child);
    return;
  }
  if (node.map === null) {
    node.map = new Map();
    for (let k = 0; k < node.keys.length; k++) node.map.set(node.keys[k] ?? '', node.kids[k] as HeaderNode);
    node.keys = [];
    node.kids = [];
  }
  node.map.set(line, child);
}

/** Lines longer than this are not cached (real table headers and banners are far shorter). */
const LINE_CACHE_MAX_BYTES = 320;
const LINE_CACHE_SLOTS = 1024;

/**
 * Decoded strings of recently seen lines, by content (direct-mapped on an FNV-1a hash of the
 * bytes, verified byte by byte): netperf repeats its table headers and banners every run.
 */
class LineCache {
  private readonly keys: Array<DataView | null> = new Array<DataView | null>(LINE_CACHE_SLOTS).fill(null);
  private readonly strs: string[] = new Array<string>(LINE_CACHE_SLOTS).fill('');
  /**
   * Per slot, the slot of the cached line that came after it last time: netperf prints the same
   * lines in the same order run after run (banner, then its header rows), so the next line is
   * first checked against that one, which spares hashing it.
   */
  private readonly after = new Int16Array(LINE_CACHE_SLOTS).fill(-1);
  private view: DataView = new DataView(new ArrayBuffer(0));
  private viewOf: Buffer | null = null;
  /** Slot of the string get() returned last. */
  slot = -1;
  /** Per slot, what the parser found out about its line (cleared when the slot takes another line). */
  readonly flags = new Uint8Array(LINE_CACHE_SLOTS);

  get(buf: Buffer, s: number, e: number): string {
    if (buf !== this.viewOf) {
      this.viewOf = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    const prev = this.slot;
    const guess = prev >= 0 ? (this.after[prev] ?? -1) : -1;
    if (guess >= 0 && this.holds(guess, s, e)) {
      this.slot = guess;
      return this.strs[guess] ?? buf.toString('utf8', s, e);
    }
    // A hash of every byte, four at a time (a collision only costs a decode, never a wrong
    // string). Sampling a few bytes was cheaper but put lines that differ in one field (commands
    // echoed by a sweep over hosts or sizes) in one slot, where they evicted each other.
    const len = e - s;
    const v = this.view;
    let h = Math.imul(len, 0x9e3779b1);
    let i = s;
    for (; i + 4 <= e; i += 4) {
      // The shift folds high bits down: a product's low bits (the slot) see only low bits of its operands.
      h = Math.imul(h ^ v.getInt32(i, true), 0x9e3779b1);
      h ^= h >>> 15;
    }
    for (; i < e; i++) h = Math.imul(h ^ (buf[i] ?? 0), 0x01000193);
    const slot = (h ^ (h >>> 16)) & (LINE_CACHE_SLOTS - 1);
    if (prev >= 0) this.after[prev] = slot;
    this.slot = slot;
    if (this.holds(slot, s, e)) return this.strs[slot] ?? buf.toString('utf8', s, e);
    const str = buf.toString('utf8', s, e);
    const copy = Buffer.from(buf.subarray(s, e));
    this.keys[slot] = new DataView(copy.buffer, copy.byteOffset, copy.byteLength);
    this.strs[slot] = str;
    this.flags[slot] = 0;
    return str;
  }

  /** The slot holds exactly the bytes [s, e) of the current buffer. */
  private holds(slot: number, s: number, e: number): boolean {
    const key = this.keys[slot];
    const len = e - s;
    if (key === null || key === undefined || key.byteLength !== len) return false;
    // Four bytes at a time through DataViews (little-endian: no byte swap on x86 and ARM): several
    // times faster than a byte loop over Buffers.
    const v = this.view;
    let k = 0;
    for (; k + 4 <= len; k += 4) if (key.getInt32(k, true) !== v.getInt32(s + k, true)) return false;
    for (; k < len; k++) if (key.getUint8(k) !== v.getUint8(s + k)) return false;
    return true;
  }
}

/** The first token (up to whitespace or comma) is a number: "-----" rules and dates are not. */
function startsWithNumber(t: string, from = 0): boolean {
  let end = from;
  while (end < t.length) {
    const c = t.charCodeAt(end);
    if (c === 32 || c === 9 || c === 44) break;
    end++;
  }
  return isNumberToken(t.slice(from, end));
}

/**
 * Records are built with every field present (undefined) in one fixed order, so V8 keeps a single
 * hidden class and field stores stay fast; the spill's encoder (record-codec.ts) skips the unset ones.
 */
function shaped(line: number, test: string): LogRecord {
  return {
    line, test, banner: undefined, migrated: undefined, family: undefined, remote_host: undefined,
    throughput: undefined, throughput_text: undefined, throughput_units: undefined, transactions_per_s: undefined,
    elapsed_s: undefined, message_bytes: undefined, request_bytes: undefined, response_bytes: undefined,
    local_send_socket_bytes: undefined, local_recv_socket_bytes: undefined, remote_send_socket_bytes: undefined,
    remote_recv_socket_bytes: undefined, messages_ok: undefined, messages_errors: undefined, remote_messages_ok: undefined,
    remote_throughput: undefined, remote_elapsed_s: undefined, cpu_local_pct: undefined, cpu_remote_pct: undefined,
    cpu_method_local: undefined, cpu_method_remote: undefined, service_demand_local: undefined, service_demand_remote: undefined,
    service_demand_units: undefined, confidence: undefined, interim: undefined, tag: undefined, extra: undefined,
    histogram: undefined, error: undefined,
  };
}

/** How a classic test lays out its result rows (STREAM, request/response, UDP_STREAM). */
type BareLayout = 'stream' | 'rr' | 'udp';

/** A -P 0 row that may be followed by its second line (NetperfParser.bareWait). */
interface BareWait {
  rec: LogRecord;
  line: number;
  /** null: the row was read by its shape, and its second line is to tell TCP_RR from UDP_STREAM. */
  layout: BareLayout | null;
  /** Numbers in the row. */
  k: number;
  row: StringRow;
}

/** The row layout of a classic test by its name (as -t or the banner gives it); null when unknown. */
function bareLayoutOf(test: string): BareLayout | null {
  if (/^(?:XTI_)?UDP_STREAM$/.test(test)) return 'udp';
  if (/_(?:C?RR|CC)(?:_MANY)?$/.test(test)) return 'rr';
  if (/_(?:STREAM|MAERTS|SENDFILE)(?:_MANY)?$/.test(test)) return 'stream';
  return null;
}

/** A result row with fewer values than its table's: the run's line is its banner's, so the row's own is said. */
function cutOff(n: number, k: number, t: string): string {
  return `run cut off: the result row at line ${n} ends after ${k} values ("${t}")`;
}

/** The value columns of each classic result row, by name (for the warnings of values left empty). */
const STREAM_COLUMNS = ['receive socket size', 'send socket size', 'message size', 'elapsed time', 'throughput', 'local CPU utilisation', 'remote CPU utilisation', 'local service demand', 'remote service demand'];
const RR_COLUMNS = ['send socket size', 'receive socket size', 'request size', 'response size', 'elapsed time', 'transaction rate', 'local CPU utilisation', 'remote CPU utilisation', 'local service demand', 'remote service demand'];
const RR_REMOTE_COLUMNS = ['remote send socket size', 'remote receive socket size'];
const UDP_LOCAL_COLUMNS = ['socket size', 'message size', 'elapsed time', 'messages sent', 'send errors', 'throughput', 'local CPU utilisation', 'local service demand'];
const UDP_REMOTE_COLUMNS = ['socket size', 'elapsed time', 'messages received', 'throughput', 'remote CPU utilisation', 'remote service demand'];
const V0_COLUMNS = ['result (-v 0)'];

/**
 * Text after the numbers that is no -B tag: a unit or a count ("0.05 ms", "12.5 MB/s", "64 bytes
 * from …", "3 packets transmitted, …"), or key=value output (ping's ttl=64 time=0.05). Case
 * matters: "-v 0 -c" prints the CPU method letter ("10.226 S"), which is no "s" of seconds.
 */
const UNIT_WORD = /^(?:bytes?|Bytes|packets?|records?|[kKMGT]i?B|[kKMGT]?bits?|ms|us|µs|ns|s|secs?|seconds?|%)(?=$|[\s,;:()])|^\S*\/s(?:ec)?(?=$|[\s,;:)])/;

/**
 * A line outside a table that starts with a number is a -P 0 / -v 0 row only in netperf's shape:
 * a -v 0 value is printed with decimals (%7.2f; %6.3f for -c service demand), and text after the
 * values is a -B tag, which netperf prints only after a whole first row (1, 5 or 9, 6, 8 or 10
 * values), and which is no unit or key=value output (UNIT_WORD). Rows of numbers only keep
 * being read as before (an odd count is an UNKNOWN run with its numbers kept).
 */
function bareShape(row: StringRow): boolean {
  const c = row.columns;
  if (c === 1 && !(row.text(0) ?? '').includes('.')) return false;
  if (c === row.length) return true;
  if (!(c === 1 || c === 5 || c === 6 || c === 8 || c === 9 || c === 10)) return false;
  const tag = row.tail(c);
  return !tag.includes('=') && !UNIT_WORD.test(tag);
}

/** A -P 0 row whose columns cannot be told: its numbers kept as field1…fieldK, and the run marked. */
function bareUnassigned(rec: LogRecord, row: RowTokens, k: number, why: string): void {
  const extra: Record<string, string | number> = { ...(rec.extra ?? {}) };
  for (let i = 0; i < k; i++) extra[`field${i + 1}`] = row.num(i) ?? row.text(i) ?? '';
  rec.extra = extra;
  rec.error = why;
}

/** A UDP_STREAM result's first row (the sender's): socket, message size, elapsed, messages sent OK / in error, throughput; -c -C: CPU %, service demand. */
function udpLocalRow(rec: LogRecord, row: RowTokens, k: number): void {
  {
    const v = row.num(0);
    if (v !== null) rec.local_send_socket_bytes = v;
  }
  {
    const v = row.num(1);
    if (v !== null) rec.message_bytes = v;
  }
  {
    const v = row.num(2);
    if (v !== null) rec.elapsed_s = v;
  }
  {
    const v = row.num(3);
    if (v !== null) rec.messages_ok = v;
  }
  {
    const v = row.num(4);
    if (v !== null) rec.messages_errors = v;
  }
  if (k >= 6) {
    const v = row.rate(5);
    if (v !== null) {
      rec.throughput = v;
      rec.throughput_text = row.text(5);
    }
  }
  if (k >= 8) {
    {
      const v = row.num(6);
      if (v !== null) rec.cpu_local_pct = v;
    }
    {
      const v = row.num(7);
      if (v !== null) rec.service_demand_local = v;
    }
  }
}

/** A UDP_STREAM result's second row (the receiver's): socket, elapsed, messages received, throughput; -c -C: CPU %, service demand. */
function udpRemoteRow(rec: LogRecord, row: RowTokens, k: number): void {
  {
    const v = row.num(0);
    if (v !== null) rec.remote_recv_socket_bytes = v;
  }
  {
    const v = row.num(1);
    if (v !== null) rec.remote_elapsed_s = v;
  }
  {
    const v = row.num(2);
    if (v !== null) rec.remote_messages_ok = v;
  }
  {
    const v = row.rate(3);
    if (v !== null) rec.remote_throughput = v;
  }
  if (k >= 6) {
    {
      const v = row.num(4);
      if (v !== null) rec.cpu_remote_pct = v;
    }
    {
      const v = row.num(5);
      if (v !== null) rec.service_demand_remote = v;
    }
  }
}

/** A request/response result's first row: local socket sizes, request and response sizes, elapsed, transactions/s; -c -C: CPU % and service demand, local and remote. */
function rrLocalRow(rec: LogRecord, row: RowTokens, k: number): void {
  {
    const v = row.num(0);
    if (v !== null) rec.local_send_socket_bytes = v;
  }
  {
    const v = row.num(1);
    if (v !== null) rec.local_recv_socket_bytes = v;
  }
  {
    const v = row.num(2);
    if (v !== null) rec.request_bytes = v;
  }
  {
    const v = row.num(3);
    if (v !== null) rec.response_bytes = v;
  }
  {
    const v = row.num(4);
    if (v !== null) rec.elapsed_s = v;
  }
  if (k >= 6) {
    const v = row.rate(5);
    if (v !== null) {
      rec.throughput = v;
      rec.throughput_text = row.text(5);
      if (rec.throughput_units === undefined) rec.throughput_units = 'Trans/s';
      if (rec.throughput_units === 'Trans/s') rec.transactions_per_s = v;
    }
  }
  if (k >= 10) {
    {
      const v = row.num(6);
      if (v !== null) rec.cpu_local_pct = v;
    }
    {
      const v = row.num(7);
      if (v !== null) rec.cpu_remote_pct = v;
    }
    {
      const v = row.num(8);
      if (v !== null) rec.service_demand_local = v;
    }
    {
      const v = row.num(9);
      if (v !== null) rec.service_demand_remote = v;
    }
  }
}

/** A request/response result's second row: the remote socket sizes. */
function rrRemoteRow(rec: LogRecord, row: RowTokens): void {
  {
    const v = row.num(0);
    if (v !== null) rec.remote_send_socket_bytes = v;
  }
  {
    const v = row.num(1);
    if (v !== null) rec.remote_recv_socket_bytes = v;
  }
}

/** A result row's tokens, cut from a decoded line or read straight from its bytes. */
interface RowTokens {
  /** Number of tokens. */
  readonly length: number;
  /**
   * How many leading tokens are the row's values: numbers, and values that are no usable number
   * but stand where one was printed ("-nan", "1e309", a mistyped "79x5.31" between numbers).
   */
  readonly columns: number;
  /** Token i as a number; null when it is missing or not a usable number (a value column is then marked in `bad`). */
  num(i: number): number | null;
  /** num(i) for a throughput or transaction rate: a negative one is not usable either. */
  rate(i: number): number | null;
  /** Bit i set: value column i was read and is not usable (reportBad says which and why). */
  readonly bad: number;
  /** Token i as printed. */
  text(i: number): string | undefined;
  /** Tokens from i on, joined by one space. */
  tail(i: number): string;
}

/** Starts like a number ("79x5.31"): a value, not text, when numbers follow it. */
const NUMBER_START = /^[-+]?\.?\d/;

class StringRow implements RowTokens {
  bad = 0;

  constructor(
    private readonly parts: string[],
    readonly columns: number,
  ) {}

  /** `inTable`: the line is a row under a table header (see valueColumns). */
  static of(t: string, inTable = false): StringRow {
    return StringRow.from(tokens(t), inTable);
  }

  static from(parts: string[], inTable = false): StringRow {
    let k = 0;
    while (k < parts.length && isNumberToken(parts[k] ?? '')) k++;
    return new StringRow(parts, k === parts.length ? k : valueColumns(parts, k, inTable));
  }

  get length(): number {
    return this.parts.length;
  }

  num(i: number): number | null {
    const v = num(this.parts[i]);
    if (v === null && i < this.columns && i < 31) this.bad |= 1 << i;
    return v;
  }

  rate(i: number): number | null {
    const v = this.num(i);
    if (v === null || v >= 0) return v;
    this.bad |= 1 << i;
    return null;
  }

  text(i: number): string | undefined {
    return this.parts[i];
  }

  tail(i: number): string {
    // bareShape() and applyBare() both ask for the tag.
    if (i !== this.tailFrom) {
      this.tailFrom = i;
      this.tailText = this.parts.slice(i).join(' ');
    }
    return this.tailText;
  }

  private tailFrom = -1;
  private tailText = '';
}

/**
 * The value columns of a row whose token `k` is not a number: netperf's "-nan" and the like, and
 * in a row under a table header (`inTable`: it is a result row) tokens that start like a number
 * ("79x5.31") while a number or "-nan" comes after them; text after the last of those is a -B tag
 * or text that is no value. Outside a table such a token is text: "0.15 0.10 0.05 1/123 4567"
 * (/proc/loadavg) is no row of five values.
 */
function valueColumns(parts: readonly string[], k: number, inTable: boolean): number {
  let end = k;
  for (let j = k; j < parts.length && j < 31; j++) {
    const p = parts[j] ?? '';
    // A -B tag's words ("this", "-b") are told by a character or two, without a regex: after a
    // sign, a value goes on with a digit or a dot, or with the n or i of nan and inf.
    let c = p.charCodeAt(0);
    if (c === 45 || c === 43) c = p.charCodeAt(1);
    c |= 32;
    if (c > 57 && c !== 110 && c !== 105) break;
    if (isNumberToken(p) || NAN_WORD.test(p)) end = j + 1;
    else if (!inTable || !NUMBER_START.test(p)) break;
  }
  return end;
}

/** Why a value column is not usable, for the warning. */
function badWhy(text: string): string {
  if (NAN_WORD.test(text)) return 'not a number (netperf prints it for a value it could not compute)';
  if (isNumberToken(text)) return Number.isFinite(Number(text)) ? 'negative' : 'too large for a number';
  return 'not a number';
}

const MAX_ROW_TOKENS = 32;

/**
 * A row whose every token is a plain decimal, read from the bytes without decoding the line:
 * values computed as num() computes them, text only for the token that is kept as printed.
 */
class ByteRow implements RowTokens {
  private buf: Buffer = Buffer.alloc(0);
  private readonly starts = new Int32Array(MAX_ROW_TOKENS);
  private readonly ends = new Int32Array(MAX_ROW_TOKENS);
  private readonly vals = new Float64Array(MAX_ROW_TOKENS);
  length = 0;
  bad = 0;

  get columns(): number {
    return this.length;
  }

  /** Reads buf[s..e); false (nothing kept) unless it is only plain numbers separated by blanks. */
  read(buf: Buffer, s: number, e: number): boolean {
    let n = 0;
    let i = s;
    for (;;) {
      while (i < e && (buf[i] === 32 || buf[i] === 9)) i++;
      if (i >= e) break;
      if (n === MAX_ROW_TOKENS) return false;
      const end = byteNumTo(buf, i, e, this.vals, n);
      if (end < 0) return false;
      this.starts[n] = i;
      this.ends[n] = end;
      i = end;
      n++;
    }
    if (n === 0) return false;
    this.buf = buf;
    this.length = n;
    this.bad = 0;
    return true;
  }

  num(i: number): number | null {
    return i < this.length ? (this.vals[i] ?? null) : null;
  }

  rate(i: number): number | null {
    if (i >= this.length) return null;
    const v = this.vals[i] ?? 0;
    if (v >= 0) return v;
    this.bad |= 1 << i;
    return null;
  }

  text(i: number): string | undefined {
    return i < this.length ? this.buf.toString('latin1', this.starts[i] ?? 0, this.ends[i] ?? 0) : undefined;
  }

  tail(i: number): string {
    // Usually nothing follows the numbers.
    if (i >= this.length) return '';
    const out: string[] = [];
    for (let k = i; k < this.length; k++) out.push(this.text(k) ?? '');
    return out.join(' ');
  }
}

function isPlainBannerExtra(e: Record<string, string | number>): boolean {
  const keys = Object.keys(e);
  const want = ['first_burst', 'banner_options'].filter((k) => e[k] !== undefined);
  return keys.length === want.length && keys.every((k, i) => k === want[i]);
}

/**
 * A copy of a banner template's extra plus the echoed command, by named stores (same keys in the
 * same order as `{ ...e, command }`, which costs several times more on this path).
 */
function bannerExtra(e: Record<string, string | number>, cmd: string | null): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  const fb = e['first_burst'];
  if (fb !== undefined) out['first_burst'] = fb;
  const bo = e['banner_options'];
  if (bo !== undefined) out['banner_options'] = bo;
  if (cmd !== null) out['command'] = cmd;
  return out;
}
