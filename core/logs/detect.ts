import { constants, gunzipSync } from 'node:zlib';
import type { Tool } from './types.js';

/**
 * How the importer must read the file once its tool is known. `gzip`: the log is gzip-compressed
 * (an archived netperf.log.gz or opreport.txt.gz); what is inside has this shape. flent's own
 * .flent.gz is its native form, `gzip-json`.
 */
export type Shape = (
  | { tool: 'netperf'; via: 'lines' }
  | { tool: 'netperf'; via: 'json-strings' }
  | { tool: 'oprofile'; via: 'lines' }
  | { tool: 'oprofile'; via: 'xml' }
  | { tool: 'perf'; via: 'lines' }
  | { tool: 'iperf3'; via: 'json' }
  | { tool: 'flent'; via: 'gzip-json' }
  | { tool: 'flent'; via: 'json' }
) & { gzip?: true };

export const DETECT_BYTES = 64 * 1024;

/** iperf3 -J opens with {"start": {"connected": [...]}; flent results never carry these keys. */
const IPERF3_HEAD = /"connected"\s*:|"intervals"\s*:/;

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * The start of what a gzip head decompresses to, for detection: DETECT_BYTES of text, as plain
 * text gives, from the first 16 KiB of compressed data or, for data that compresses less than 4:1,
 * from all of the head (at most ≈ 66 MB even at deflate's extreme ratio); flushed without requiring
 * the end of the stream. Empty when the data is not valid gzip.
 */
function gunzipHead(head: Uint8Array): Buffer {
  const inflate = (n: number): Buffer => {
    try {
      return gunzipSync(head.subarray(0, n), { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      return Buffer.alloc(0);
    }
  };
  let out = inflate(16 * 1024);
  if (out.length < DETECT_BYTES && head.length > 16 * 1024) out = inflate(head.length);
  return out.subarray(0, DETECT_BYTES);
}

/**
 * Decides the tool from the content of the file's head (never its name): each tool has lines no
 * other tool prints. Scores rather than first-match, because logs mix prompts and commands with
 * output and a netperf command line mentions words an opreport header also uses.
 */
export function detectShape(head: Uint8Array): Shape | null {
  if (isGzip(head)) {
    const inflated = gunzipHead(head);
    const inner = detectText(inflated);
    if (inner === null) return null;
    // A gzip-compressed JSON object is flent's own .flent.gz (whose head need not show flent's
    // keys), unless it starts like iperf3 -J output.
    if (inner.tool === 'iperf3' && IPERF3_HEAD.test(inflated.toString('utf8'))) return { ...inner, gzip: true };
    if (inner.tool === 'flent' || inner.tool === 'iperf3') return { tool: 'flent', via: 'gzip-json' };
    return { ...inner, gzip: true };
  }
  return detectText(head);
}

/**
 * Bytes no text log holds: NUL and the C0 controls other than tab, the line and page ends, and the
 * BEL, BS and ESC of a terminal capture (a script(1) typescript's prompt holds those).
 */
function isBinaryByte(b: number): boolean {
  return b < 0x20 && (b < 0x07 || b > 0x0d) && b !== 0x1b;
}

/**
 * UTF-16 text: a byte-order mark, or NULs in every other byte with others between them (ASCII text
 * in UTF-16). A block of NULs has them in both places: that is not UTF-16 but binary data.
 */
export function looksUtf16(head: Uint8Array): boolean {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return true;
  const n = Math.min(head.length, 64) & ~1;
  if (n < 8) return false;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  const most = (n / 2) * 0.9;
  const few = n / 2 - most;
  return (evenNul >= most && oddNul <= few) || (oddNul >= most && evenNul <= few);
}

/** Where binary data starts in a head: 1-based line, 0-based byte; `nul` when it is a run of NUL bytes. */
export interface BinaryAt {
  line: number;
  byte: number;
  nul: boolean;
}

/**
 * The first binary data in the head: four or more binary bytes within 64 (a stray control byte in a
 * prompt is not enough; random bytes hold one in ten, a crash's NUL block nothing else). Null for
 * UTF-16 text, which import.ts names as such.
 */
export function binaryAt(head: Uint8Array): BinaryAt | null {
  if (looksUtf16(head)) return null;
  const recent: Array<{ byte: number; line: number }> = [];
  let line = 1;
  const n = Math.min(head.length, DETECT_BYTES);
  for (let i = 0; i < n; i++) {
    const b = head[i] as number;
    if (b === 10) line++;
    else if (isBinaryByte(b)) {
      while (recent.length > 0 && (recent[0] as { byte: number }).byte <= i - 64) recent.shift();
      recent.push({ byte: i, line });
      const at = recent[0] as { byte: number; line: number };
      if (recent.length >= 4) return { ...at, nul: head[at.byte] === 0 };
    }
  }
  return null;
}

/** Past this much inflated output a whole gzip file is taken as not damaged (it is not inflated further). */
const GZIP_CHECK_BYTES = 64 << 20;

/**
 * Why a whole gzip file (all of its bytes given) cannot be read, as import.ts says it for a cut
 * found while parsing; null when it inflates (or inflates past GZIP_CHECK_BYTES without error).
 */
function gzipDamage(bytes: Uint8Array): string | null {
  try {
    const out = gunzipSync(bytes, { maxOutputLength: GZIP_CHECK_BYTES });
    return out.length === 0 ? 'empty file (the gzip data decompresses to nothing)' : null;
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') return null;
    return `gzip data is damaged or cut off: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** iperf3's plain-text output (not -J): lines iperf 2 and the tools rxlab reads do not print. */
const IPERF3_TEXT = /^(Connecting to host \S+, port \d+|Server listening on \d+(\s*$| \(test #\d+\))|iperf Done\.|\[ ID\] Interval\s+Transfer\s+Bitrate)/;

/**
 * A more precise refusal than "cannot tell which tool" for a head detectShape found no tool in:
 * binary data (said where, and for a NUL block what to do), or iperf3's plain-text output (said that
 * rxlab reads -J). Null when there is nothing more to say; UTF-16 text is left to the caller.
 * `whole`: `head` is all of the file, so a gzip stream that ends early in it is cut off (in a
 * longer file's head it always ends early).
 */
export function explainUnknown(head: Uint8Array, whole = false): { line: number; detail: string } | null {
  let content = head;
  let where = '';
  if (isGzip(head)) {
    // A gzip file cut in its first bytes (just the magic, or a header and a few bytes of deflate)
    // inflates to nothing or to a few characters no tool is detected in: without this it was
    // "cannot tell which tool wrote this file", where a longer cut said it was damaged.
    if (whole) {
      const damage = gzipDamage(head);
      if (damage !== null) return { line: 1, detail: damage };
    }
    content = gunzipHead(head);
    where = ' of what the gzip data decompresses to';
    if (content.length === 0) return null;
  }
  const bin = binaryAt(content);
  if (bin !== null) {
    return {
      line: bin.line,
      detail: bin.nul
        ? `binary data (NUL bytes) at byte ${bin.byte}${where} (line ${bin.line}): not a text log; if the log was cut by a crash, remove the NUL block (e.g. tr -d '\\000' < FILE > FILE.txt) and import what is left`
        : `binary data (control bytes) at byte ${bin.byte}${where} (line ${bin.line}): not a text log, or a log with something else written into it; remove what is not the tool's output and import what is left`,
    };
  }
  const text = Buffer.from(content.buffer, content.byteOffset, Math.min(content.byteLength, DETECT_BYTES)).toString('utf8');
  const lines = text.split('\n', 400);
  for (let i = 0; i < lines.length; i++) {
    if (IPERF3_TEXT.test((lines[i] as string).trim())) {
      return { line: i + 1, detail: "this is iperf3's plain-text output; rxlab reads iperf3's JSON output: run iperf3 with -J (e.g. iperf3 -c HOST -J > FILE.json)" };
    }
  }
  return null;
}

/** detectShape for uncompressed content (a gzip inside a gzip is not looked into). */
function detectText(head: Uint8Array): Shape | null {
  if (isGzip(head)) return null;
  const text = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, DETECT_BYTES)).toString('utf8');
  const t = text.replace(/^\uFEFF/, '').trimStart();
  if (t.startsWith('<?xml') || t.startsWith('<profile')) {
    if (/<profile\b/.test(t) || /opreport/.test(t)) return { tool: 'oprofile', via: 'xml' };
    return null;
  }
  if (t.startsWith('{')) {
    if (/"x_values"|"raw_values"|"FLENT_VERSION"/.test(t)) return { tool: 'flent', via: 'json' };
    return { tool: 'iperf3', via: 'json' };
  }
  if (t.startsWith('[')) {
    if (/\bTEST\b|THROUGHPUT|Throughput/.test(t)) return { tool: 'netperf', via: 'json-strings' };
    return null;
  }
  const score: Record<Tool, number> = { netperf: 0, oprofile: 0, perf: 0, iperf3: 0, flent: 0 };
  const lines = t.split('\n', 400);
  // The first line a tool wrote (index into lines), to tell bytes before the log from bytes in it.
  let firstToolLine = -1;
  for (let i = 0; i < lines.length; i++) {
    const before = score.netperf + score.oprofile + score.perf;
    scoreLine((lines[i] as string).trim(), score);
    if (firstToolLine < 0 && score.netperf + score.oprofile + score.perf > before) firstToolLine = i;
  }
  let best: Tool | null = null;
  let bestScore = 0;
  for (const k of ['oprofile', 'perf', 'netperf'] as const) {
    if (score[k] > bestScore) {
      best = k;
      bestScore = score[k];
    }
  }
  if (best === null) return null;
  // Binary bytes before the tool's first line (junk a crash or a copy left) are not part of the log:
  // refused, where parsers would skip them and import the rest as if the file were whole.
  const bin = binaryAt(head);
  if (bin !== null) {
    const skipped = text.length - t.length;
    const toolLine = firstToolLine + 1 + (text.slice(0, skipped).match(/\n/g) ?? []).length;
    if (bin.line <= toolLine) return null;
  }
  return { tool: best, via: 'lines' } as Shape;
}

/** Adds what one trimmed line says about which tool wrote it to `score`. */
function scoreLine(l: string, score: Record<Tool, number>): void {
  if (l === '') return;
  if (l.startsWith('#')) {
    if (/^# (Samples|Overhead|Children|Event count|Total Lost Samples|========|captured on|perf version|cmdline)\b/.test(l)) score.perf += 5;
    return;
  }
  if (/^CPU: .*speed/.test(l) || /^Counted \S+ events\b/.test(l)) score.oprofile += 10;
  else if (/^(vma\s+)?samples\s+%/.test(l) || /^samples\|\s+%\|/.test(l) || /^[A-Za-z_]+\.\.\.\|$/.test(l)) score.oprofile += 8;
  else if (/\bTEST\s+(from|to)\b/.test(l) || /^Interim result:/.test(l) || /^THROUGHPUT(_UNITS)?=/.test(l)) score.netperf += 10;
  else if (/^(Recv\s+Send\s+Send|Socket\s+Size\s+Request|Socket\s+Message\s+Elapsed|Local \/Remote)/.test(l)) score.netperf += 8;
  else if (/^(establish[ _]control\b|netperf: |send_data: |recv_response|netperf_response|complete_addrinfo)/.test(l)) score.netperf += 10;
  else if (/(^|[\s/#$>])netperf\s+(-\S|$)/.test(l)) score.netperf += 2;
  else if (/\[[k.]\]\s/.test(l) && /%/.test(l)) score.perf += 2;
  else if (/^\d+\s+[\d.e+-]+(\s+\d+\s+[\d.e+-]+)*\s+\S/.test(l) && /^\d+\s+\d+(\.\d+)?(e[-+]?\d+)?\s+[^\d\s]/.test(l)) score.oprofile += 1;
  else if (/^\d+\s+\d+(\.\d+)?\s+\d+(\.\d+)?\s+\d+(\.\d+)?/.test(l) || /^[-\d.]+,[A-Za-z]/.test(l) || /^\d+(\.\d+)?\s+-\S/.test(l)) score.netperf += 1;
  if (/^\d+\s+\d+(\.\d+)?\s+\d+\s+\d+(\.\d+)?\s+domain\d+-/.test(l)) score.oprofile += 5;
}
