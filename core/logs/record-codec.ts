import type { LogRecord } from './types.js';

/**
 * A compact binary form of LogRecord, so a netperf import of hundreds of MB does not keep half a
 * million record objects on the heap (≈ 1.2 KB each; the encoded form is ≈ 60–150 B, about a fifth
 * of their JSON). Decoding gives back a record that JSON.stringify prints byte for byte as the
 * original: same keys in the same order, numbers as the same doubles (-0 and NaN included),
 * strings as the same UTF-16 (lone surrogates included).
 *
 * Strings that repeat run after run (banners, units, commands, extra keys) are written once and
 * then referenced by number; the table is bounded so odd input cannot grow it.
 */

/** Record fields in the order every stored record has them (parse-netperf.ts's shaped()/StoredRecord). */
export const RECORD_FIELDS = [
  'line', 'test', 'banner', 'migrated', 'family', 'remote_host', 'throughput', 'throughput_text', 'throughput_units',
  'transactions_per_s', 'elapsed_s', 'message_bytes', 'request_bytes', 'response_bytes', 'local_send_socket_bytes',
  'local_recv_socket_bytes', 'remote_send_socket_bytes', 'remote_recv_socket_bytes', 'messages_ok', 'messages_errors',
  'remote_messages_ok', 'remote_throughput', 'remote_elapsed_s', 'cpu_local_pct', 'cpu_remote_pct', 'cpu_method_local',
  'cpu_method_remote', 'service_demand_local', 'service_demand_remote', 'service_demand_units', 'confidence', 'interim',
  'tag', 'extra', 'histogram', 'error',
] as const satisfies ReadonlyArray<keyof LogRecord>;

const END = 0xff;
// Value tags.
const T_UNDEF = 0;
const T_FALSE = 1;
const T_TRUE = 2;
const T_NULL = 3;
const T_UINT = 4;
const T_F64 = 5;
const T_STR_REF = 6;
const T_STR_NEW = 7;
const T_STR_ASCII = 8;
const T_STR_UTF16 = 9;
const T_ARR = 10;
const T_NUM_ARR = 11;
const T_OBJ = 12;
const T_STR_NEW_UTF16 = 13;
const T_SMALL = 14;
/** A plain object whose keys, in order, are a known shape: shape id, then the values. */
const T_OBJ_SHAPE = 15;
/** A plain object with a new shape: key count, keys, values; the shape gets the next id. */
const T_OBJ_NEW_SHAPE = 16;

/** Strings longer than this are written inline, never kept in the table. */
const MAX_INTERN_CHARS = 512;
const MAX_INTERNED = 8192;
const MAX_INTERN_TOTAL_CHARS = 1 << 20;
const RECENT_SLOTS = 256;
/** Recent values remembered per string field (a power of two). */
const FIELD_WAYS = 4;
/** Object shapes (key lists) remembered; objects with more keys are written key by key. */
const MAX_SHAPES = 1024;
const MAX_SHAPE_KEYS = 32;
/** Shapes tried before an object counts as a new shape (a power of two). */
const RECENT_SHAPES = 4;

/** Where encoded bytes go: ensure() makes room for n more bytes at `pos` (it may swap `buf`). */
export interface ByteOut {
  buf: Buffer;
  view: DataView;
  pos: number;
  ensure(n: number): void;
}

export class RecordEncoder {
  private readonly ids = new Map<string, number>();
  private internChars = 0;
  private readonly lastStr: Array<string | null> = new Array<string | null>(RECORD_FIELDS.length * FIELD_WAYS).fill(null);
  private readonly lastId: number[] = new Array<number>(RECORD_FIELDS.length * FIELD_WAYS).fill(0);
  private readonly lastNext: number[] = new Array<number>(RECORD_FIELDS.length).fill(0);
  private readonly recentStr: Array<string | null> = new Array<string | null>(RECENT_SLOTS).fill(null);
  private readonly recentId: number[] = new Array<number>(RECENT_SLOTS).fill(0);
  /**
   * Key lists of objects written before (interim columns, extra): the same few recur run after
   * run, so an object whose keys match one is written as its id and its values, and its keys
   * are compared (usually the same interned strings: a pointer test) instead of written.
   */
  private readonly shapes: string[][] = [];
  private readonly shapeIds = new Map<string, number>();
  private readonly recentShapes: number[] = new Array<number>(RECENT_SHAPES).fill(-1);
  private recentShapeNext = 0;

  constructor(private readonly out: ByteOut) {}

  /**
   * Appends one record: fields in RECORD_FIELDS order, undefined ones skipped, except `last`,
   * written after all the others (a field added to a record after it was finished comes last in
   * its key order, and the decoder assigns fields in the order they were written).
   */
  record(r: LogRecord, last?: keyof LogRecord): void {
    const o = this.out;
    if (last === undefined) {
      // Named loads (a loop over field names would be a keyed, megamorphic load per field), and
      // numbers written here rather than passed to a helper: a double loaded from an object and
      // passed to a call that is not inlined is boxed, one allocation per field per run.
      let v: unknown;
      v = r.line;
      if (typeof v === 'number') this.num(0, v);
      else if (v !== undefined) this.field(0, v);
      this.field(1, r.test);
      this.field(2, r.banner);
      this.field(3, r.migrated);
      this.field(4, r.family);
      this.field(5, r.remote_host);
      v = r.throughput;
      if (typeof v === 'number') this.num(6, v);
      else if (v !== undefined) this.field(6, v);
      this.text(7, r.throughput_text);
      this.field(8, r.throughput_units);
      v = r.transactions_per_s;
      if (typeof v === 'number') this.num(9, v);
      else if (v !== undefined) this.field(9, v);
      v = r.elapsed_s;
      if (typeof v === 'number') this.num(10, v);
      else if (v !== undefined) this.field(10, v);
      v = r.message_bytes;
      if (typeof v === 'number') this.num(11, v);
      else if (v !== undefined) this.field(11, v);
      v = r.request_bytes;
      if (typeof v === 'number') this.num(12, v);
      else if (v !== undefined) this.field(12, v);
      v = r.response_bytes;
      if (typeof v === 'number') this.num(13, v);
      else if (v !== undefined) this.field(13, v);
      v = r.local_send_socket_bytes;
      if (typeof v === 'number') this.num(14, v);
      else if (v !== undefined) this.field(14, v);
      v = r.local_recv_socket_bytes;
      if (typeof v === 'number') this.num(15, v);
      else if (v !== undefined) this.field(15, v);
      v = r.remote_send_socket_bytes;
      if (typeof v === 'number') this.num(16, v);
      else if (v !== undefined) this.field(16, v);
      v = r.remote_recv_socket_bytes;
      if (typeof v === 'number') this.num(17, v);
      else if (v !== undefined) this.field(17, v);
      v = r.messages_ok;
      if (typeof v === 'number') this.num(18, v);
      else if (v !== undefined) this.field(18, v);
      v = r.messages_errors;
      if (typeof v === 'number') this.num(19, v);
      else if (v !== undefined) this.field(19, v);
      v = r.remote_messages_ok;
      if (typeof v === 'number') this.num(20, v);
      else if (v !== undefined) this.field(20, v);
      v = r.remote_throughput;
      if (typeof v === 'number') this.num(21, v);
      else if (v !== undefined) this.field(21, v);
      v = r.remote_elapsed_s;
      if (typeof v === 'number') this.num(22, v);
      else if (v !== undefined) this.field(22, v);
      v = r.cpu_local_pct;
      if (typeof v === 'number') this.num(23, v);
      else if (v !== undefined) this.field(23, v);
      v = r.cpu_remote_pct;
      if (typeof v === 'number') this.num(24, v);
      else if (v !== undefined) this.field(24, v);
      this.field(25, r.cpu_method_local);
      this.field(26, r.cpu_method_remote);
      v = r.service_demand_local;
      if (typeof v === 'number') this.num(27, v);
      else if (v !== undefined) this.field(27, v);
      v = r.service_demand_remote;
      if (typeof v === 'number') this.num(28, v);
      else if (v !== undefined) this.field(28, v);
      this.field(29, r.service_demand_units);
      this.field(30, r.confidence);
      this.field(31, r.interim);
      this.field(32, r.tag);
      this.field(33, r.extra);
      this.field(34, r.histogram);
      this.field(35, r.error);
    } else {
      const src = r as unknown as Record<string, unknown>;
      for (let i = 0; i < RECORD_FIELDS.length; i++) {
        const name = RECORD_FIELDS[i] as string;
        if (name !== last) this.field(i, src[name]);
      }
      this.field(RECORD_FIELDS.indexOf(last as (typeof RECORD_FIELDS)[number]), src[last]);
    }
    o.ensure(1);
    o.buf[o.pos++] = END;
  }

  /** A number field: small counts in one byte, the rest as raw doubles. Kept small so it is inlined. */
  private num(i: number, v: number): void {
    const o = this.out;
    o.ensure(10);
    const buf = o.buf;
    const p = o.pos;
    buf[p] = i;
    if (v >= 0 && v < 128 && (v | 0) === v && (v !== 0 || 1 / v > 0)) {
      buf[p + 1] = T_SMALL;
      buf[p + 2] = v;
      o.pos = p + 3;
    } else {
      buf[p + 1] = T_F64;
      o.view.setFloat64(p + 2, v, true);
      o.pos = p + 10;
    }
  }

  private field(i: number, v: unknown): void {
    if (v === undefined) return;
    const o = this.out;
    if (typeof v === 'number') {
      // Inline: most fields are numbers. Small counts in one byte, the rest as raw doubles
      // (a varint loop costs more than the bytes it saves).
      o.ensure(10);
      const buf = o.buf;
      let p = o.pos;
      buf[p++] = i;
      if (v >= 0 && v < 128 && (v | 0) === v && (v !== 0 || 1 / v > 0)) {
        buf[p++] = T_SMALL;
        buf[p++] = v;
      } else {
        buf[p++] = T_F64;
        o.view.setFloat64(p, v, true);
        p += 8;
      }
      o.pos = p;
      return;
    }
    o.ensure(1);
    o.buf[o.pos++] = i;
    if (typeof v !== 'string') {
      this.value(v);
      return;
    }
    // String fields take one of a few values that recur run after run (usually the very same
    // string objects: banner, test, units), so the last few per field are checked first.
    const b = i * FIELD_WAYS;
    const last = this.lastStr;
    let w = -1;
    if (v === last[b]) w = b;
    else if (v === last[b + 1]) w = b + 1;
    else if (v === last[b + 2]) w = b + 2;
    else if (v === last[b + 3]) w = b + 3;
    if (w >= 0) {
      o.ensure(6);
      o.buf[o.pos++] = T_STR_REF;
      this.varuint(this.lastId[w] ?? 0);
      return;
    }
    const id = this.string(v);
    if (id >= 0) {
      const at = b + ((this.lastNext[i] = ((this.lastNext[i] ?? 0) + 1) & (FIELD_WAYS - 1)));
      last[at] = v;
      this.lastId[at] = id;
    }
  }

  /** A number as printed (throughput_text): different every run, so never put in the table. */
  private text(i: number, v: string | undefined): void {
    if (v === undefined) return;
    const o = this.out;
    o.ensure(1);
    o.buf[o.pos++] = i;
    this.inline(v);
  }

  private varuint(v: number): void {
    const o = this.out;
    o.ensure(5);
    while (v >= 0x80) {
      o.buf[o.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    o.buf[o.pos++] = v;
  }

  private number(v: number): void {
    const o = this.out;
    // Small non-negative integers (sizes, line numbers) as varints; -0 stays a double so it decodes as -0.
    if (v >>> 0 === v && v <= 0x7fffffff && (v !== 0 || 1 / v > 0)) {
      o.ensure(1);
      o.buf[o.pos++] = T_UINT;
      this.varuint(v);
      return;
    }
    o.ensure(9);
    o.buf[o.pos++] = T_F64;
    o.view.setFloat64(o.pos, v, true);
    o.pos += 8;
  }

  /** Writes a string (a reference when it is in the table); returns its table id, or -1. */
  private string(s: string): number {
    const o = this.out;
    // A small direct-mapped cache in front of the table: comparing with one candidate is much
    // cheaper than hashing, and a fresh string with the same text (a command echoed every run)
    // would otherwise be hashed every time.
    const len = s.length;
    const slot = (len > 0 ? Math.imul(len, 31) + s.charCodeAt(0) * 7 + s.charCodeAt(len - 1) : 0) & (RECENT_SLOTS - 1);
    const id = s === this.recentStr[slot] ? this.recentId[slot] : this.ids.get(s);
    if (id !== undefined) {
      o.ensure(6);
      o.buf[o.pos++] = T_STR_REF;
      this.varuint(id);
      this.recentStr[slot] = s;
      this.recentId[slot] = id;
      return id;
    }
    const n = s.length;
    if (n <= MAX_INTERN_CHARS && this.ids.size < MAX_INTERNED && this.internChars + n <= MAX_INTERN_TOTAL_CHARS) {
      const nid = this.ids.size;
      this.ids.set(s, nid);
      this.internChars += n;
      this.raw(s, true);
      return nid;
    }
    this.raw(s, false);
    return -1;
  }

  /** A string written out in full, never put in the table. */
  private inline(s: string): void {
    this.raw(s, false);
  }

  private raw(s: string, intern: boolean): void {
    const o = this.out;
    const n = s.length;
    // Room for the tag, the length and the widest form at once: ensure() may move the record to a
    // new buffer, which would leave tagAt pointing into the old one.
    o.ensure(6 + 2 * n);
    const buf = o.buf;
    const tagAt = o.pos++;
    this.varuint(n);
    const start = o.pos;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      buf[start + i] = c;
    }
    if (i === n) {
      o.pos = start + n;
      buf[tagAt] = intern ? T_STR_NEW : T_STR_ASCII;
      return;
    }
    // Not ASCII: UTF-16 code units as they are, so even a lone surrogate comes back unchanged.
    o.pos = start + buf.write(s, start, 2 * n, 'utf16le');
    buf[tagAt] = intern ? T_STR_NEW_UTF16 : T_STR_UTF16;
  }

  private value(v: unknown): void {
    const o = this.out;
    switch (typeof v) {
      case 'number':
        this.number(v);
        return;
      case 'string':
        this.string(v);
        return;
      case 'boolean':
        o.ensure(1);
        o.buf[o.pos++] = v ? T_TRUE : T_FALSE;
        return;
      case 'undefined':
        o.ensure(1);
        o.buf[o.pos++] = T_UNDEF;
        return;
      default:
        break;
    }
    if (v === null) {
      o.ensure(1);
      o.buf[o.pos++] = T_NULL;
      return;
    }
    if (Array.isArray(v)) {
      let allNumbers = true;
      for (let i = 0; i < v.length; i++) {
        if (typeof v[i] !== 'number') {
          allNumbers = false;
          break;
        }
      }
      o.ensure(1);
      o.buf[o.pos++] = allNumbers ? T_NUM_ARR : T_ARR;
      this.varuint(v.length);
      if (allNumbers) {
        // Interim columns: raw doubles, no tag per element.
        o.ensure(8 * v.length);
        const view = o.view;
        let p = o.pos;
        for (let i = 0; i < v.length; i++, p += 8) view.setFloat64(p, v[i] as number, true);
        o.pos = p;
      } else for (let i = 0; i < v.length; i++) this.value(v[i]);
      return;
    }
    if (typeof v === 'object') {
      const obj = v as Record<string, unknown>;
      if (Object.getPrototypeOf(obj) === Object.prototype) {
        // for…in visits the same keys in the same order as Object.keys on a plain object (nothing
        // inherited is enumerable), without allocating a key array for every run's extra.
        const shape = this.knownShape(obj);
        if (shape >= 0) {
          o.ensure(6);
          o.buf[o.pos++] = T_OBJ_SHAPE;
          this.varuint(shape);
          for (const k in obj) this.value(obj[k]);
          return;
        }
        const keys = Object.keys(obj);
        if (keys.length <= MAX_SHAPE_KEYS) {
          // A shape seen before but not lately (more than RECENT_SHAPES alternate): found by its keys.
          // JSON of the key list: unambiguous whatever the keys hold (a joined list is not: keys may contain the separator).
          const sig = JSON.stringify(keys);
          const known = this.shapeIds.get(sig);
          if (known !== undefined) {
            this.recentShapes[(this.recentShapeNext = (this.recentShapeNext + 1) & (RECENT_SHAPES - 1))] = known;
            o.ensure(6);
            o.buf[o.pos++] = T_OBJ_SHAPE;
            this.varuint(known);
            for (const k of keys) this.value(obj[k]);
            return;
          }
          if (this.shapes.length < MAX_SHAPES) {
            const id = this.shapes.length;
            this.shapes.push(keys);
            this.shapeIds.set(sig, id);
            this.recentShapes[(this.recentShapeNext = (this.recentShapeNext + 1) & (RECENT_SHAPES - 1))] = id;
            o.ensure(1);
            o.buf[o.pos++] = T_OBJ_NEW_SHAPE;
            this.varuint(keys.length);
            for (const k of keys) this.string(k);
            for (const k of keys) this.value(obj[k]);
            return;
          }
        }
        o.ensure(1);
        o.buf[o.pos++] = T_OBJ;
        let n = 0;
        for (const _k in obj) n++;
        this.varuint(n);
        for (const k in obj) {
          this.string(k);
          this.value(obj[k]);
        }
        return;
      }
      const keys = Object.keys(obj);
      o.ensure(1);
      o.buf[o.pos++] = T_OBJ;
      this.varuint(keys.length);
      for (const k of keys) {
        this.string(k);
        this.value(obj[k]);
      }
      return;
    }
    throw new Error(`cannot store a ${typeof v} in an import record`);
  }

  /** Id of a recent shape that is exactly obj's keys in order, or -1. */
  private knownShape(obj: Record<string, unknown>): number {
    const recent = this.recentShapes;
    for (let r = 0; r < RECENT_SHAPES; r++) {
      const id = recent[r] ?? -1;
      if (id < 0) continue;
      const keys = this.shapes[id] as string[];
      let j = 0;
      let same = true;
      for (const k in obj) {
        if (j >= keys.length || keys[j] !== k) {
          same = false;
          break;
        }
        j++;
      }
      if (same && j === keys.length) return id;
    }
    return -1;
  }
}

/** Sets o[k] as an own enumerable key (plain assignment to "__proto__" would set the prototype instead). */
function setKey(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** Reads records back in the order they were written (the string table is rebuilt on the way). */
export class RecordDecoder {
  private readonly strs: string[] = [];
  private readonly shapes: string[][] = [];
  private internChars = 0;
  private buf: Buffer = Buffer.alloc(0);
  private view: DataView = new DataView(new ArrayBuffer(0));
  private pos = 0;
  private end = 0;

  /** Decodes every record in buf[0..end). */
  *records(buf: Buffer, end: number): Generator<LogRecord> {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = 0;
    this.end = end;
    while (this.pos < this.end) yield this.record();
  }

  private record(): LogRecord {
    const rec: Record<string, unknown> = {};
    for (;;) {
      const f = this.byte();
      if (f === END) break;
      const name = RECORD_FIELDS[f];
      if (name === undefined) throw new Error(`damaged import spill: field ${f}`);
      rec[name] = this.value();
    }
    return rec as unknown as LogRecord;
  }

  private byte(): number {
    if (this.pos >= this.end) throw new Error('damaged import spill: record runs past its chunk');
    return this.buf[this.pos++] ?? 0;
  }

  private varuint(): number {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
      shift += 7;
    }
  }

  private f64(): number {
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  private rawString(tag: number): string {
    const n = this.varuint();
    const utf16 = tag === T_STR_UTF16 || tag === T_STR_NEW_UTF16;
    const bytes = utf16 ? 2 * n : n;
    const s = this.buf.toString(utf16 ? 'utf16le' : 'latin1', this.pos, this.pos + bytes);
    this.pos += bytes;
    if ((tag === T_STR_NEW || tag === T_STR_NEW_UTF16) && this.strs.length < MAX_INTERNED && this.internChars + n <= MAX_INTERN_TOTAL_CHARS) {
      this.strs.push(s);
      this.internChars += n;
    }
    return s;
  }

  private value(): unknown {
    const tag = this.byte();
    switch (tag) {
      case T_UNDEF:
        return undefined;
      case T_FALSE:
        return false;
      case T_TRUE:
        return true;
      case T_NULL:
        return null;
      case T_UINT:
        return this.varuint();
      case T_SMALL:
        return this.byte();
      case T_F64:
        return this.f64();
      case T_STR_REF: {
        const s = this.strs[this.varuint()];
        if (s === undefined) throw new Error('damaged import spill: unknown string');
        return s;
      }
      case T_STR_NEW:
      case T_STR_ASCII:
      case T_STR_UTF16:
      case T_STR_NEW_UTF16:
        return this.rawString(tag);
      case T_NUM_ARR: {
        const n = this.varuint();
        const a = new Array<number>(n);
        for (let i = 0; i < n; i++) a[i] = this.f64();
        return a;
      }
      case T_ARR: {
        const n = this.varuint();
        const a = new Array<unknown>(n);
        for (let i = 0; i < n; i++) a[i] = this.value();
        return a;
      }
      case T_OBJ: {
        const n = this.varuint();
        const o: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const k = this.value();
          if (typeof k !== 'string') throw new Error('damaged import spill: object key');
          setKey(o, k, this.value());
        }
        return o;
      }
      case T_OBJ_NEW_SHAPE: {
        const n = this.varuint();
        const keys: string[] = [];
        for (let i = 0; i < n; i++) {
          const k = this.value();
          if (typeof k !== 'string') throw new Error('damaged import spill: object key');
          keys.push(k);
        }
        this.shapes.push(keys);
        return this.shaped(keys);
      }
      case T_OBJ_SHAPE: {
        const keys = this.shapes[this.varuint()];
        if (keys === undefined) throw new Error('damaged import spill: unknown object shape');
        return this.shaped(keys);
      }
      default:
        throw new Error(`damaged import spill: tag ${tag}`);
    }
  }

  /** An object with these keys, in this order, and the values that follow. */
  private shaped(keys: string[]): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) setKey(o, keys[i] as string, this.value());
    return o;
  }
}
