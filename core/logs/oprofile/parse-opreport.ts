import type { Domain, DomainRule, ImportDoc, Profile, ProfileEvent, RowRole } from '../types.js';
import type { LineSink } from '../line-reader.js';
import { LogParseError } from '../errors.js';
import { classifyImage, compileRules, type CompiledRule } from './domains.js';
import { own, POW10 } from '../numbers.js';
import { countDiffGroups, readDiffColumns } from './diff-columns.js';

/** Rows kept per profile; beyond it only per-image totals are kept, so memory stays bounded. */
export const DEFAULT_MAX_ROWS = 50_000;

interface Building {
  profile: Profile;
  /** Σ samples of leaf rows per image (for domain totals over all rows, kept or not). */
  imageTotals: Map<string, number[]>;
  groups: number;
  hasVma: boolean;
  nameCols: string[];
  /** Where each name column's title starts in the header line; null when tabs make that meaningless. */
  nameStarts: number[] | null;
  headerSeen: boolean;
  hierarchical: boolean;
  /** "samples|" bar column → depth. */
  barDepth: Map<number, number>;
  /** Current top-level row of a hierarchical listing, and whether it had nested rows. */
  top: { image: string; samples: number[]; hadChildren: boolean } | null;
  blockPrimarySeen: boolean;
  threadIds: string[];
  /** "diff %" columns: > 0 makes this differential output (rows go through diffRow). */
  diffCols: number;
  /** Differential output with opreport -a: "cum. samples" and "cum. %" follow each column. */
  diffAccumulated: boolean;
  /** Differential output with opreport -g: a "linenr info" column precedes the names. */
  diffLinenr: boolean;
  /** A column header with a symbol column was seen: indented rows are call-graph entries. */
  callgraphIndent: boolean;
  /** How the fast paths past the row cap may cut the image name from a row (see fastImageMode). */
  fastImage: FastImage;
  /** Rows carry a symbol column, whose " [self]" rows are not counted (the fast paths leave them). */
  fastSelfCheck: boolean;
  /** The row cap was passed and its warning pushed. */
  capWarned: boolean;
}

/**
 * Which name the slow path (splitNames and the column loop in row()) takes as the image, so the
 * fast paths can take the same one without splitting:
 * FAST_NONE: leave every row to the slow path (the image is not the first name, or there is none).
 * FAST_FIRST: no name columns: the first field (up to a tab or two spaces), single spaces included.
 * FAST_FIRST_OF_MANY: ≥ 2 name columns, the first being the image: the first field, but a field with a
 *   single space in it may be a name wider than its column (splitNames cuts it there): slow path.
 * FAST_WHOLE: one name column: all fields joined, so only a row with a single field is fast.
 */
const FAST_NONE = 0;
const FAST_FIRST = 1;
const FAST_FIRST_OF_MANY = 2;
const FAST_WHOLE = 3;
type FastImage = typeof FAST_NONE | typeof FAST_FIRST | typeof FAST_FIRST_OF_MANY | typeof FAST_WHOLE;

function fastImageMode(nameCols: string[]): FastImage {
  if (nameCols.length === 0) return FAST_FIRST;
  // The column loop in row(): the last "image" column wins; without one, the last "app" column.
  let at = nameCols.lastIndexOf('image');
  if (at < 0) at = nameCols.lastIndexOf('app');
  if (at !== 0) return FAST_NONE;
  return nameCols.length === 1 ? FAST_WHOLE : FAST_FIRST_OF_MANY;
}

const COUNTED_END = /\bcount\s+(\d+)\s*$/;
const MAX_FAST_GROUPS = 16;

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Parses opreport text output (summaries, -l, -c call graphs, hierarchical, -t/-e columns). */
export class OpreportParser implements LineSink {
  readonly profiles: Profile[] = [];
  readonly warnings: string[] = [];
  private b: Building | null = null;
  private counted: { text: string; line: number } | null = null;
  private pendingCpu: { cpu: string; mhz: number | null; line: number } | null = null;
  private pendingEvents: ProfileEvent[] = [];
  private pendingThreads: string[] = [];
  private elidedWarned = false;
  private readonly rules: CompiledRule[];
  /** Reused per row: avoids one array allocation per line. */
  private readonly nums: number[] = [];
  private readonly fastNums = new Float64Array(2 * MAX_FAST_GROUPS);
  /** Byte fast path: FNV-1a hash of an image name's bytes → names with that hash and their totals. */
  private readonly byteImages = new Map<number, Array<{ name: Buffer; acc: number[] }>>();

  constructor(
    private readonly file: string,
    domainRules?: DomainRule[],
    private readonly maxRows = DEFAULT_MAX_ROWS,
  ) {
    this.rules = compileRules(domainRules);
  }

  line(raw: string, n: number): void {
    // Hot path first: data rows start with spaces or a digit.
    const c0 = raw.charCodeAt(0);
    if (this.counted !== null && !(c0 === 32 && raw.trimStart().startsWith('samples|'))) {
      if (this.continueCounted(raw, n)) return;
    }
    if (isDigit(c0) || c0 === 32 || c0 === 9 || (this.b !== null && this.b.hasVma && isHex(c0))) {
      if (this.row(raw, n)) return;
    }
    const t = raw.trim();
    if (t === '') return;
    const c = t.charCodeAt(0);
    if (c === 67 && t.startsWith('CPU: ')) {
      const m = /^CPU:\s*(.*?),\s*speed\s+([-+\d.eE]+)\s*MHz/.exec(t);
      this.newProfilePending();
      this.pendingCpu = { cpu: m?.[1] ?? t.slice(5).trim(), mhz: m?.[2] !== undefined ? Number(m[2]) : null, line: n };
      return;
    }
    if (c === 67 && t.startsWith('Counted ')) {
      if (this.b !== null && this.b.profile.rows.length + this.b.profile.row_count > 0) this.newProfilePending();
      this.counted = { text: t, line: n };
      if (COUNTED_END.test(t)) this.finishCounted();
      return;
    }
    if (t.startsWith('Profiling through timer interrupt')) {
      this.pendingEvents.push({ name: 'timer', count: null, unit_mask: null, description: t });
      return;
    }
    if (t.startsWith('Processes with a thread ID of') || t.startsWith('Processes with thread ID')) {
      const m = /(\d+)\s*$/.exec(t);
      this.pendingThreads.push(`tid ${m?.[1] ?? '?'}`);
      return;
    }
    if (/^(vma\s+)?samples\s/.test(t) || t === 'samples  %') {
      this.columnHeader(t, n, raw);
      return;
    }
    if (t.endsWith('...|') || t.endsWith('|') && /^[\w:.-]+\|$/.test(t)) {
      this.ensure(n).hierarchical = true;
      return;
    }
    if (t.startsWith('samples|')) {
      const b = this.ensure(n);
      b.hierarchical = true;
      const bar = raw.indexOf('|');
      if (!b.barDepth.has(bar)) b.barDepth.set(bar, b.barDepth.size);
      return;
    }
    if (c === 45 && /^-+$/.test(t)) {
      if (this.b !== null) this.b.blockPrimarySeen = false;
      return;
    }
    if (t === '...' || t === '[...]' || /^\.[\s.]*$/.test(t)) {
      if (!this.elidedWarned) {
        this.warnings.push(`line ${n}: the listing was elided ("${t.slice(0, 20)}"); totals cover only the rows present`);
        this.elidedWarned = true;
      }
      return;
    }
    if (/^warning:/i.test(t) || /^error:/i.test(t)) {
      this.warnings.push(`line ${n}: ${t}`);
      return;
    }
    if (t.startsWith('Using ') || t.startsWith('Overflow stats') || t.startsWith('opreport')) return;
    if (this.b !== null && this.b.headerSeen) {
      this.warnings.push(`line ${n}: not an opreport row: "${t.slice(0, 80)}"`);
    }
  }

  private continueCounted(raw: string, n: number): boolean {
    const counted = this.counted;
    if (counted === null) return false;
    const t = raw.trim();
    // The mailer or terminal wrapped the Counted statement; it always ends with "count N".
    if (t === '' || n - counted.line > 6 || /^(vma\s+)?samples\b/.test(t) || /^\d/.test(t)) {
      this.finishCounted();
      return false;
    }
    counted.text += ' ' + t;
    if (COUNTED_END.test(counted.text)) this.finishCounted();
    return true;
  }

  private finishCounted(): void {
    const c = this.counted;
    if (c === null) return;
    this.counted = null;
    const t = c.text.replace(/\s+/g, ' ');
    const name = /^Counted (\S+) events/.exec(t)?.[1] ?? 'unknown';
    const desc = /^Counted \S+ events \((.*?)\) with a unit mask/.exec(t)?.[1];
    const um = /unit mask of (0x[0-9a-fA-F]+|\d+)/.exec(t)?.[1] ?? null;
    const count = COUNTED_END.exec(t)?.[1];
    if (count === undefined) this.warnings.push(`line ${c.line}: Counted line has no "count N": "${t.slice(0, 120)}"`);
    const ev: ProfileEvent = { name, count: count !== undefined ? Number(count) : null, unit_mask: um };
    if (desc !== undefined && desc !== '') ev.description = desc;
    if (this.b !== null && this.b.profile.row_count === 0) this.b.profile.events.push(ev);
    else this.pendingEvents.push(ev);
  }

  /** A CPU: line after rows starts the next profile of a concatenated file. */
  private newProfilePending(): void {
    if (this.b !== null && this.b.profile.row_count > 0) this.close();
  }

  private ensure(n: number): Building {
    if (this.counted !== null) this.finishCounted();
    if (this.b !== null) return this.b;
    const cpu = this.pendingCpu;
    const profile: Profile = {
      line: cpu?.line ?? n,
      cpu: cpu?.cpu ?? null,
      cpu_mhz: cpu?.mhz ?? null,
      events: this.pendingEvents,
      columns: [],
      rows: [],
      domain_totals: [],
      row_count: 0,
    };
    this.pendingCpu = null;
    this.pendingEvents = [];
    this.b = {
      profile,
      imageTotals: new Map(),
      groups: 0,
      hasVma: false,
      nameCols: [],
      nameStarts: null,
      headerSeen: false,
      hierarchical: false,
      barDepth: new Map(),
      top: null,
      blockPrimarySeen: false,
      threadIds: this.pendingThreads,
      diffCols: 0,
      diffAccumulated: false,
      diffLinenr: false,
      callgraphIndent: false,
      fastImage: FAST_FIRST,
      fastSelfCheck: false,
      capWarned: false,
    };
    this.pendingThreads = [];
    return this.b;
  }

  private columnHeader(t: string, n: number, raw: string): void {
    if (this.b !== null && this.b.profile.row_count > 0 && this.b.headerSeen) this.close();
    const b = this.ensure(n);
    b.headerSeen = true;
    b.hasVma = t.startsWith('vma');
    b.groups = (t.match(/\bsamples\b/g) ?? []).length;
    b.diffCols = (t.match(/\bdiff\b/g) ?? []).length;
    b.nameCols = (t.match(/\b(image|app|symbol) name\b/g) ?? []).map((s) => s.split(' ')[0] ?? '');
    // Titles are padded like the names under them, so a name filling its column starts under its title.
    b.nameStarts = raw.includes('\t') ? null : [...raw.matchAll(/\b(?:image|app|symbol) name\b/g)].map((m) => m.index);
    b.callgraphIndent = b.nameCols.includes('symbol');
    b.fastImage = fastImageMode(b.nameCols);
    b.fastSelfCheck = b.callgraphIndent;
    if (b.diffCols > 0) {
      // -a adds "cum. samples" (and "cum. %") to each group: they are not groups of their own.
      const cum = (t.match(/\bcum\. samples\b/g) ?? []).length;
      b.groups -= cum;
      b.diffAccumulated = cum > 0;
      b.diffLinenr = /\blinenr info\b/.test(t);
    }
    // opreport prints "samples  %  diff %" once per column group; anything else would pair columns wrongly.
    if (b.diffCols > 0 && b.diffCols !== b.groups) {
      throw new LogParseError(this.file, n, `differential header has ${b.groups} "samples" and ${b.diffCols} "diff %" columns; opreport prints one of each per column group`);
    }
  }

  /** Returns false when the line is not a data row (so the caller tries the other shapes). */
  private row(raw: string, n: number): boolean {
    const len = raw.length;
    let i = 0;
    while (i < len && (raw.charCodeAt(i) === 32 || raw.charCodeAt(i) === 9)) i++;
    if (i >= len) return false;
    const indent = i;
    const b0 = this.b;
    if (b0 !== null && b0.diffCols > 0) return this.diffRow(raw, n, b0, i);
    let vma: string | null = null;
    if (b0 !== null && b0.hasVma) {
      const s = i;
      while (i < len && raw.charCodeAt(i) > 32) i++;
      vma = raw.slice(s, i);
      if (!/^[0-9a-fA-F]+$/.test(vma)) return false;
      while (i < len && (raw.charCodeAt(i) === 32 || raw.charCodeAt(i) === 9)) i++;
    } else if (!isDigit(raw.charCodeAt(i))) {
      return false;
    }
    // Leading numbers: samples/percent pairs (and diff columns), scanned without substrings.
    const nums = this.nums;
    nums.length = 0;
    let firstEnd = -1;
    const want = b0 !== null && b0.groups > 0 ? b0.groups * 2 + b0.diffCols : Infinity;
    while (i < len && nums.length < want) {
      const end = scanNumber(raw, i, len);
      if (end < 0) break;
      if (firstEnd < 0) firstEnd = end;
      nums.push(scannedValue);
      i = end;
      while (i < len && (raw.charCodeAt(i) === 32 || raw.charCodeAt(i) === 9)) i++;
    }
    if ((b0 === null || (!b0.headerSeen && b0.profile.row_count === 0)) && i < len && (raw.charCodeAt(i) === 43 || raw.charCodeAt(i) === 45)) {
      // First row without a column header (--no-header): a signed or "+++"/"---" column after the
      // numbers can only be differential output, which must be read by its own column layout.
      const groups = countDiffGroups(raw, indent);
      if (groups > 0) {
        const b = this.ensure(n);
        b.groups = groups;
        b.diffCols = groups;
        return this.diffRow(raw, n, b, indent);
      }
    }
    if (nums.length < 2) {
      // Inside a listing, a row with a single number was cut off (truncated file or copy/paste).
      if (nums.length === 1 && b0 !== null && (b0.headerSeen || b0.profile.row_count > 0)) {
        throw new LogParseError(this.file, n, `opreport row is cut off after one number: "${raw.trim().slice(0, 80)}"`);
      }
      return false;
    }
    // Past the row cap only the image matters (for domain totals): take the fast way out.
    if (b0 !== null && !b0.hierarchical && b0.groups > 0 && nums.length >= b0.groups * 2 && b0.profile.rows.length >= this.maxRows && !(b0.headerSeen && indent > 0 && b0.nameCols.includes('symbol'))) {
      if (this.tallyImageOnly(b0, raw, i, len)) {
        b0.profile.row_count++;
        if (!b0.capWarned) this.capWarn(b0, n);
        return true;
      }
    }
    const rest = i < len ? raw.slice(i).trim() : '';
    const b = this.ensure(n);
    let groups = b.groups;
    if (groups === 0) {
      groups = Math.floor(nums.length / 2);
      b.groups = groups;
    }
    if (nums.length < groups * 2) {
      throw new LogParseError(this.file, n, `opreport row has ${nums.length} numbers; the header announced ${groups} samples/% column pairs`);
    }
    const samples: number[] = new Array<number>(groups);
    const percent: number[] = new Array<number>(groups);
    for (let g = 0; g < groups; g++) {
      samples[g] = nums[2 * g] ?? 0;
      percent[g] = nums[2 * g + 1] ?? 0;
    }
    if (rest === '') throw new LogParseError(this.file, n, 'opreport row has numbers but no image or symbol name');
    // Depth and role.
    let depth = 0;
    let role: RowRole = 'primary';
    let symbolText: string | null = null;
    let image: string;
    let app: string | null = null;
    if (b.hierarchical) {
      const d = b.barDepth.get(firstEnd);
      depth = d ?? (indent > 8 ? 1 : 0);
      image = rest;
      if (depth === 0) {
        this.flushTop();
        b.top = { image, samples, hadChildren: false };
      } else {
        role = 'child';
        if (b.top !== null) {
          app = b.top.image;
          b.top.hadChildren = true;
        }
        if (depth === 1) addTotals(b.imageTotals, image, samples);
      }
    } else {
      const names = splitNames(rest, b.nameCols.length, b.nameStarts, i);
      if (namesNote !== null) this.namesWarning(n, rest, b.nameCols, names);
      if (b.nameCols.length === 0) {
        image = names[0] ?? rest;
      } else if (names.length > b.nameCols.length && b.nameCols.length >= 2) {
        // Header says "image name  symbol name" but rows carry image, app and symbol (JIT listings).
        image = names[0] ?? '';
        app = names[1] ?? null;
        symbolText = names.slice(2).join(' ');
      } else {
        image = '';
        for (let k = 0; k < b.nameCols.length; k++) {
          const v = k === b.nameCols.length - 1 ? names.slice(k).join(' ') : (names[k] ?? '');
          const col = b.nameCols[k];
          if (col === 'image') image = v;
          else if (col === 'app') {
            app = v;
            if (!b.nameCols.includes('image')) image = v;
          } else if (col === 'symbol') symbolText = v;
        }
      }
      if (symbolText !== null && symbolText.endsWith(' [self]')) {
        symbolText = symbolText.slice(0, -7);
        role = 'self';
        depth = 1;
      } else if (b.headerSeen && indent > 0 && b.nameCols.includes('symbol')) {
        role = b.blockPrimarySeen ? 'callee' : 'caller';
        depth = 1;
      } else {
        b.blockPrimarySeen = true;
        addTotals(b.imageTotals, image, samples);
      }
    }
    const p = b.profile;
    if (depth === 0) p.row_count++;
    if (p.rows.length < this.maxRows) {
      p.rows.push({ samples, percent, image, app, symbol: symbolText, vma, domain: 'native', depth, role, line: n });
    } else if (!b.capWarned) {
      this.capWarn(b, n);
    }
    return true;
  }

  /**
   * A row of differential output (see diff-columns.ts). Kept apart from row() so the ordinary
   * listings — the large files — keep their scanner; differential output has no call graph, no
   * hierarchy and no [self] rows (opreport refuses --callgraph and --details with it).
   */
  private diffRow(raw: string, n: number, b: Building, start: number): boolean {
    let i = start;
    let vma: string | null = null;
    if (b.hasVma) {
      while (i < raw.length && raw.charCodeAt(i) > 32) i++;
      vma = raw.slice(start, i);
      if (!/^[0-9a-fA-F]+$/.test(vma)) return false;
      while (i < raw.length && (raw.charCodeAt(i) === 32 || raw.charCodeAt(i) === 9)) i++;
    }
    const cols = readDiffColumns(raw, i, b.groups, b.diffAccumulated);
    if (cols === null) return false;
    if (typeof cols === 'string') throw new LogParseError(this.file, n, `${cols}: "${raw.trim().slice(0, 80)}"`);
    const rest = raw.slice(cols.end).trim();
    if (rest === '') throw new LogParseError(this.file, n, 'opreport row has numbers but no image or symbol name');
    const { samples, percent, diff } = cols;
    const names = splitNames(rest, Math.max(b.nameCols.length, 1) + (b.diffLinenr ? 1 : 0));
    // The profile shape has no field for -g's "file:line"; it is read past so the names line up.
    if (b.diffLinenr) names.shift();
    let image: string | null = null;
    let app: string | null = null;
    let symbol: string | null = null;
    if (b.nameCols.length === 0) {
      // No header: differential output always ends with the symbol; image (and app) columns come
      // first when the listing spans several images (applications).
      symbol = names[names.length - 1] ?? rest;
      if (names.length >= 2) image = names[0] ?? null;
      if (names.length >= 3) {
        app = names[1] ?? null;
        symbol = names.slice(2).join(' ');
      }
    } else {
      for (let k = 0; k < b.nameCols.length; k++) {
        const v = k === b.nameCols.length - 1 ? names.slice(k).join(' ') : (names[k] ?? '');
        const col = b.nameCols[k];
        if (col === 'image') image = v;
        else if (col === 'app') app = v;
        else if (col === 'symbol') symbol = v;
      }
    }
    // Domain totals are of the second profile: a "---" group's count is the first profile's.
    let gone = false;
    for (const d of diff) if (d === '---') gone = true;
    // A listing of one image has no image column; its rows still count (under no name, so the
    // Xen/native fallback domain applies), as they do in ordinary output.
    addTotals(b.imageTotals, image ?? '', gone ? samples.map((s, g) => (diff[g] === '---' ? 0 : s)) : samples);
    const p = b.profile;
    p.row_count++;
    if (p.rows.length < this.maxRows) {
      p.rows.push({ samples, percent, diff_percent: diff, image, app, symbol, vma, domain: 'native', depth: 0, role: 'primary', line: n });
    } else if (!b.capWarned) {
      this.capWarn(b, n);
    }
    return true;
  }

  /** A row whose names splitNames could split more than one way (namesNote says why). */
  private namesWarning(n: number, rest: string, cols: string[], names: string[]): void {
    const got = cols.map((c, k) => `${c} "${k === cols.length - 1 ? names.slice(k).join(' ') : (names[k] ?? '')}"`).join(', ');
    this.warnings.push(`line ${n}: the names "${rest.slice(0, 120)}" ${namesNote ?? ''}: read as ${got}`);
  }

  /** The first row of a profile past the row cap, whichever path reads it: says so once. */
  private capWarn(b: Building, n: number): void {
    b.capWarned = true;
    this.warnings.push(`line ${n}: more than ${this.maxRows} rows; later rows are counted in domain_totals but not kept`);
  }

  /**
   * Byte fast path for rows past the retention cap (see LineSink.bytes): parses the sample
   * columns and the image name straight from the buffer and adds them to the image's total.
   * Anything unusual (exponents, vma, diff columns, overflowing names) returns false, so the
   * string path — the reference behaviour — handles it.
   */
  bytes(buf: Buffer, start: number, end: number, n: number): boolean {
    const b = this.b;
    if (b === null || this.counted !== null || b.hierarchical || b.hasVma || b.diffCols > 0 || b.groups === 0 || b.fastImage === FAST_NONE || b.profile.rows.length < this.maxRows) return false;
    let i = start;
    while (i < end && (buf[i] === 32 || buf[i] === 9)) i++;
    if (i > start && b.callgraphIndent) return false;
    const groups = b.groups;
    if (groups > MAX_FAST_GROUPS) return false;
    const nums = this.fastNums;
    for (let k = 0; k < groups * 2; k++) {
      let mant = 0;
      let digits = 0;
      let frac = -1;
      for (; i < end; i++) {
        const c = buf[i] ?? 0;
        if (c >= 48 && c <= 57) {
          mant = mant * 10 + (c - 48);
          digits++;
          if (frac >= 0) frac++;
        } else if (c === 46 && frac < 0) frac = 0;
        else break;
      }
      if (digits === 0 || digits > 15 || i >= end || (buf[i] !== 32 && buf[i] !== 9)) return false;
      nums[k] = frac > 0 ? mant / (POW10[frac] ?? 1) : mant;
      while (i < end && (buf[i] === 32 || buf[i] === 9)) i++;
    }
    const mode = b.fastImage;
    const s = i;
    let h = 2166136261;
    let e = i;
    // The image is the first field, cut where splitNames cuts (a tab or two spaces). Anything but
    // printable ASCII and space (other whitespace that /\s/ would split at, UTF-8) is left to the
    // string path, as is a single space where splitNames might cut a wide name.
    let odd = false;
    for (; e < end; e++) {
      const c = buf[e] ?? 0;
      if (c < 33 || c > 126) {
        if (c === 9 || (c === 32 && e + 1 < end && buf[e + 1] === 32)) break;
        odd = true;
      }
      h = Math.imul(h ^ c, 16777619);
    }
    if (odd) {
      if (mode === FAST_FIRST_OF_MANY) return false;
      for (let k = s; k < e; k++) {
        const c = buf[k] ?? 0;
        if (c !== 32 && (c < 33 || c > 126)) return false;
      }
    }
    let t = e;
    while (t > s && buf[t - 1] === 32) t--;
    if (t === s) return false;
    if (mode === FAST_WHOLE) {
      // One name column takes every field: only a row with nothing after the first one is fast.
      for (let k = e; k < end; k++) if (buf[k] !== 32 && buf[k] !== 9) return false;
    } else if (b.fastSelfCheck) {
      // "… [self]" rows (and rows ending in something trim() would cut) go the string path.
      let z = end;
      while (z > s && (buf[z - 1] === 32 || buf[z - 1] === 9)) z--;
      const last = buf[z - 1] ?? 0;
      if (last === 93 || last < 32 || last > 126) return false;
    }
    // Trailing spaces were hashed when the name ended at end of line; rehash only then.
    if (t !== e) {
      h = 2166136261;
      for (let k = s; k < t; k++) h = Math.imul(h ^ (buf[k] ?? 0), 16777619);
    }
    let acc: number[] | undefined;
    const bucket = this.byteImages.get(h);
    if (bucket !== undefined) {
      for (const ent of bucket) {
        const nb = ent.name;
        if (nb.length !== t - s) continue;
        let same = true;
        for (let k = 0; k < nb.length; k++) {
          if (nb[k] !== buf[s + k]) {
            same = false;
            break;
          }
        }
        if (same) {
          acc = ent.acc;
          break;
        }
      }
    }
    if (acc === undefined) {
      const name = buf.toString('utf8', s, t);
      acc = b.imageTotals.get(name);
      if (acc === undefined) {
        acc = new Array<number>(groups).fill(0);
        b.imageTotals.set(name, acc);
      }
      const ent = { name: Buffer.from(buf.subarray(s, t)), acc };
      if (bucket !== undefined) bucket.push(ent);
      else this.byteImages.set(h, [ent]);
    }
    for (let g = 0; g < groups; g++) acc[g] = (acc[g] ?? 0) + (nums[2 * g] ?? 0);
    b.profile.row_count++;
    if (!b.capWarned) this.capWarn(b, n);
    return true;
  }

  /**
   * Adds a row's samples to its image's total without building the row. Returns false when the
   * image cannot be cut out the way splitNames would cut it without splitting (see FastImage),
   * so the full path runs.
   */
  private tallyImageOnly(b: Building, raw: string, start: number, len: number): boolean {
    const mode = b.fastImage;
    if (mode === FAST_NONE) return false;
    let e = start;
    let odd = false;
    for (; e < len; e++) {
      const c = raw.charCodeAt(e);
      if (c < 33 || c > 126) {
        if (c === 9 || (c === 32 && e + 1 < len && raw.charCodeAt(e + 1) === 32)) break;
        odd = true;
      }
    }
    if (odd) {
      // As in bytes(): a single space in a name of several columns, or a character that is not
      // printable ASCII, is for the full path.
      if (mode === FAST_FIRST_OF_MANY) return false;
      for (let k = start; k < e; k++) {
        const c = raw.charCodeAt(k);
        if (c !== 32 && (c < 33 || c > 126)) return false;
      }
    }
    let end = e;
    while (end > start && raw.charCodeAt(end - 1) === 32) end--;
    if (end === start) return false;
    if (mode === FAST_WHOLE) {
      for (let k = e; k < len; k++) if (raw.charCodeAt(k) !== 32 && raw.charCodeAt(k) !== 9) return false;
    } else if (b.fastSelfCheck) {
      let z = len;
      while (z > start && (raw.charCodeAt(z - 1) === 32 || raw.charCodeAt(z - 1) === 9)) z--;
      const last = raw.charCodeAt(z - 1);
      if (last === 93 || last < 32 || last > 126) return false;
    }
    const image = raw.slice(start, end);
    const acc = b.imageTotals.get(image);
    const nums = this.nums;
    if (acc === undefined) {
      const s = new Array<number>(b.groups);
      for (let g = 0; g < b.groups; g++) s[g] = nums[2 * g] ?? 0;
      b.imageTotals.set(own(image), s);
    } else {
      for (let g = 0; g < b.groups; g++) acc[g] = (acc[g] ?? 0) + (nums[2 * g] ?? 0);
    }
    return true;
  }

  private flushTop(): void {
    const b = this.b;
    if (b === null || b.top === null) return;
    if (!b.top.hadChildren) addTotals(b.imageTotals, b.top.image, b.top.samples);
    b.top = null;
  }

  private close(): void {
    const b = this.b;
    if (b === null) return;
    this.flushTop();
    this.b = null;
    this.byteImages.clear();
    const p = b.profile;
    if (b.diffCols > 0) p.differential = true;
    const groups = Math.max(b.groups, 1);
    if (p.columns.length === 0) {
      if (b.threadIds.length === groups) p.columns = b.threadIds;
      else if (p.events.length === groups) p.columns = p.events.map((e) => e.name);
      else p.columns = Array.from({ length: groups }, (_, i) => p.events[i]?.name ?? p.events[0]?.name ?? `column ${i + 1}`);
    }
    // Classify distinct images once; the Xen fallback needs to know if any image is a Xen one.
    const cache = new Map<string, Domain | null>();
    let xen = false;
    const classify = (img: string): Domain | null => {
      let d = cache.get(img);
      if (d === undefined) {
        d = classifyImage(img, this.rules);
        cache.set(img, d);
      }
      return d;
    };
    for (const img of b.imageTotals.keys()) if (classify(img) !== null && classify(img) !== 'native') xen = true;
    for (const r of p.rows) if (r.image !== null && classify(r.image) !== null && classify(r.image) !== 'native') xen = true;
    const fallback: Domain = xen ? 'driver' : 'native';
    for (const r of p.rows) r.domain = (r.image !== null ? classify(r.image) : null) ?? fallback;
    const totals = new Map<Domain, number[]>();
    for (const [img, s] of b.imageTotals) {
      const d = classify(img) ?? fallback;
      const acc = totals.get(d) ?? new Array<number>(groups).fill(0);
      for (let g = 0; g < groups; g++) acc[g] = (acc[g] ?? 0) + (s[g] ?? 0);
      totals.set(d, acc);
    }
    p.domain_totals = [...totals].map(([domain, samples]) => ({ domain, samples }));
    this.profiles.push(p);
  }

  finish(): ImportDoc {
    if (this.counted !== null) this.finishCounted();
    if (this.b === null && (this.pendingCpu !== null || this.pendingEvents.length > 0)) this.ensure(this.pendingCpu?.line ?? 1);
    this.close();
    if (this.profiles.length === 0) throw new LogParseError(this.file, 1, 'no opreport header or rows found');
    const first = this.profiles[0];
    const format = first?.differential === true ? 'opreport differential' : first !== undefined && first.rows.some((r) => r.role === 'caller' || r.role === 'callee' || r.role === 'self') ? 'opreport callgraph' : first?.rows.some((r) => r.role === 'child') ? 'opreport hierarchical' : first?.rows.some((r) => r.symbol !== null) ? 'opreport symbols' : 'opreport image summary';
    return { tool: 'oprofile', format, warnings: this.warnings, records: [], profiles: this.profiles };
  }
}

function addTotals(map: Map<string, number[]>, image: string, samples: number[]): void {
  const acc = map.get(image);
  if (acc === undefined) {
    map.set(own(image), samples.slice());
    return;
  }
  for (let g = 0; g < samples.length; g++) acc[g] = (acc[g] ?? 0) + (samples[g] ?? 0);
}

let scannedValue = 0;

/**
 * Scans one whitespace-delimited number at raw[i]: samples are integers, percents "0", "12.7973",
 * "100.000" or scientific "1.2e-04". Returns the end index (value in scannedValue) or -1.
 * For ≤ 15 digits mantissa / 10^k is one correctly rounded division, i.e. exactly Number(text).
 */
function scanNumber(raw: string, i: number, len: number): number {
  const s = i;
  let mant = 0;
  let digits = 0;
  let frac = -1;
  let c = raw.charCodeAt(i);
  if (!isDigit(c) && c !== 46) return -1;
  for (; i < len; i++) {
    c = raw.charCodeAt(i);
    if (isDigit(c)) {
      mant = mant * 10 + (c - 48);
      digits++;
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0) frac = 0;
    else break;
  }
  if (i < len && c !== 32 && c !== 9) {
    // Exponent or something else glued on: let Number decide for the whole token.
    let e = i;
    while (e < len && raw.charCodeAt(e) !== 32 && raw.charCodeAt(e) !== 9) e++;
    const v = Number(raw.slice(s, e));
    if (!Number.isFinite(v)) return -1;
    scannedValue = v;
    return e;
  }
  if (digits === 0) return -1;
  if (digits > 15 || frac > 15) {
    scannedValue = Number(raw.slice(s, i));
    return i;
  }
  scannedValue = frac > 0 ? mant / (POW10[frac] ?? 1) : mant;
  return i;
}


const ANON = /^anon \(tgid:\d+ range:[^)]*\)/;

/** Why splitNames' last split was one reading of several, or null when it was the only one. */
let namesNote: string | null = null;

/**
 * Name columns are padded to their width (25 characters for image and app names), so two or more
 * spaces (or a tab) separate them; a name as wide as its column or wider is followed by a single
 * space (opreport puts at least one). When fewer fields than columns appear, the row is cut where
 * its names start under the header's titles (`starts`, for a row whose names start at `offset`),
 * which holds up to the first name that overflows; otherwise every column but the last takes one
 * word — image and app names have no spaces ("anon (tgid:… range:…)" counts as one) — and the
 * last, the symbol, the rest ("foo(int, char)"). That reading is the only one unless a single
 * space follows a name narrower than its column (opreport would have padded it), or there are
 * fewer words than columns (then the first field is split at its first space, as ever): namesNote
 * says which. A first field without a single space is the image either way, as the fast paths
 * past the row cap take it, so domain totals do not depend on the reading.
 */
function splitNames(rest: string, want: number, starts: number[] | null = null, offset = 0): string[] {
  namesNote = null;
  const parts = rest.split(/\t+\s*|\s{2,}/).filter((s) => s !== '');
  if (want <= 1 || parts.length >= want) return parts;
  const words: Array<{ at: number; end: number }> = [];
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(rest)) !== null) words.push({ at: m.index, end: m.index + m[0].length });
  const aligned = starts !== null && starts.length === want && starts[0] === offset ? cutAtStarts(rest, words, starts, offset) : null;
  if (aligned !== null) return aligned;
  const out: string[] = [];
  let w = 0;
  for (let k = 0; k < want - 1; k++) {
    const word = words[w];
    if (word === undefined) break;
    const anon = ANON.exec(rest.slice(word.at));
    const end = anon !== null ? word.at + anon[0].length : word.end;
    while (w < words.length && (words[w]?.at ?? 0) < end) w++;
    const name = rest.slice(word.at, end);
    out.push(name);
    const next = words[w];
    const width = starts !== null && starts.length === want ? (starts[k + 1] ?? 0) - (starts[k] ?? 0) : 0;
    if (next !== undefined && next.at === end + 1 && rest.charCodeAt(end) === 32 && name.length < width - 1 && namesNote === null) {
      namesNote = `do not line up with the header's columns and a single space follows "${name}", narrower than its column`;
    }
  }
  const last = words[w];
  if (out.length < want - 1 || last === undefined) {
    namesNote = `are fewer than the header's ${want} name columns`;
    const first = parts[0] ?? '';
    const anon = ANON.exec(first);
    const at = anon !== null ? anon[0].length : first.indexOf(' ');
    if (at <= 0 || at >= first.length) return parts;
    return [first.slice(0, at), first.slice(at + 1).trim(), ...parts.slice(1)];
  }
  out.push(rest.slice(last.at));
  return out;
}

/**
 * The names cut where the header's name titles start, if every later column's start is where a
 * word starts after a space, and every wider gap (which only padding makes) is at one of them.
 */
function cutAtStarts(rest: string, words: Array<{ at: number; end: number }>, starts: number[], offset: number): string[] | null {
  const cuts: number[] = [];
  for (let k = 1; k < starts.length; k++) {
    const p = (starts[k] ?? 0) - offset;
    if (p <= (cuts[cuts.length - 1] ?? 0) || p >= rest.length || rest.charCodeAt(p - 1) !== 32 || rest.charCodeAt(p) === 32) return null;
    cuts.push(p);
  }
  for (let j = 1; j < words.length; j++) {
    const word = words[j];
    const prev = words[j - 1];
    if (word !== undefined && prev !== undefined && (word.at - prev.end > 1 || rest.charCodeAt(prev.end) !== 32) && !cuts.includes(word.at)) return null;
  }
  const out: string[] = [];
  let from = 0;
  for (const c of cuts) {
    out.push(rest.slice(from, c).trim());
    from = c;
  }
  out.push(rest.slice(from).trim());
  return out;
}
