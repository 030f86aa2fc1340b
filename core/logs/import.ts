import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { DomainRule, ImportDoc } from './types.js';
import { ImportAbortedError, LogParseError } from './errors.js';
import { DETECT_BYTES, detectShape, explainUnknown, looksUtf16, type Shape } from './detect.js';
export type { Shape } from './detect.js';
import { readBytesLines, readFileLines, readGzipFileLines, type LineSink } from './line-reader.js';
import { fileHash, type ChunkHash } from './hash-worker.js';
import { NetperfParser } from './netperf/parse-netperf.js';
import { parseNetperfSplit, splitWorth } from './netperf/split-parse.js';
import { OpreportParser } from './oprofile/parse-opreport.js';
import { parseOpreportXml } from './oprofile/parse-opreport-xml.js';
import { PerfReportParser } from './perf/parse-perf-report.js';
import { parseIperf3 } from './iperf3/parse-iperf3.js';
import { parseFlent } from './flent/parse-flent.js';
import { isObj, parseConcatenatedJson } from './json-split.js';
import { arraySource, type RecordSource } from './record-spill.js';
export type { RecordSource } from './record-spill.js';

/** Bumped whenever a parser's output for the same bytes could change (stored with every import). */
export const PARSER_VERSION = 'rxlab-logs/1.5.0';

/** Whole-document formats (JSON, XML, gzip) are parsed in memory; refuse beyond this. */
export const MAX_WHOLE_DOC_BYTES = 256 * 1024 * 1024;

/**
 * A gzip-compressed text log held in memory (an upload) is inflated whole before it is split into
 * lines; refuse one that inflates beyond this (rxlab import streams a file of any size instead).
 */
export const MAX_GUNZIPPED_BYTES = 1024 * 1024 * 1024;

/** The inflated bytes of a gzip-compressed log in memory, or a LogParseError saying why not. */
function gunzipLog(file: string, bytes: Uint8Array, max: number): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: max });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new LogParseError(file, 1, `gzip-compressed log inflates to more than ${max / 1024 / 1024} MiB${max === MAX_GUNZIPPED_BYTES ? '; import it with `rxlab import FILE`, which reads it as it inflates' : ''}`);
    throw new LogParseError(file, 1, `gzip data is damaged or cut off: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The document's format, marked when the log came gzip-compressed. */
function markGzip(doc: ImportDoc, shape: Shape): ImportDoc {
  if (shape.gzip === true) doc.format = `${doc.format} (gzip)`;
  return doc;
}

export interface ImportOptions {
  signal?: AbortSignal;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Xenoprof image → domain overrides (see oprofile/domains.ts). */
  domainRules?: DomainRule[];
  /** Profile rows kept per profile (domain totals always cover all rows). */
  maxRows?: number;
}

export interface ImportResult {
  doc: ImportDoc;
  sha256: string;
  sizeBytes: number;
  parserVersion: string;
  fileName: string;
}

/**
 * An import whose runs are not in the document but in `records`, stored compactly as they were
 * parsed (past a few MB in a temporary file): memory stays bounded however many runs a file has.
 * `doc.records` is empty. The caller must dispose() of `records` when done.
 */
export interface StreamedImport extends Omit<ImportResult, 'doc'> {
  doc: ImportDoc;
  records: RecordSource;
}

/** The document with its runs in it, and the RecordSource disposed of. */
function docWithRecords(doc: ImportDoc, records: RecordSource): ImportDoc {
  try {
    // A spread keeps the document's key order; `records` keeps its place in it.
    return { ...doc, records: [...records] };
  } finally {
    records.dispose();
  }
}

/** The ImportResult (runs in the document) of a StreamedImport. */
export function withRecords(s: StreamedImport): ImportResult {
  return { doc: docWithRecords(s.doc, s.records), sha256: s.sha256, sizeBytes: s.sizeBytes, parserVersion: s.parserVersion, fileName: s.fileName };
}

/** Moves the runs of a document into a RecordSource (whole-document formats, profiles). */
function streamed(doc: ImportDoc): { doc: ImportDoc; records: RecordSource } {
  const records = arraySource(doc.records);
  return { doc: { ...doc, records: [] }, records };
}

interface LineParser extends LineSink {
  finish(): ImportDoc;
  /** Parsers that store runs as they go (netperf) hand them over without building the array. */
  finishRecords?(): { doc: ImportDoc; records: RecordSource };
  /** Frees the runs stored so far (an import that failed or was cancelled half-way). */
  dispose?(): void;
}

/**
 * Runs `read` on a parser and frees what the parser stored if it fails: past a few MB a netperf
 * parser's runs are in a temporary file, unlinked but open, whose disk space a long-running app
 * would otherwise keep until it exits (a cancelled 250 MiB import: ≈ 75 MB).
 */
async function reading<T>(parser: LineParser, read: () => Promise<T>, hash?: ChunkHash): Promise<T> {
  try {
    return await read();
  } catch (e) {
    parser.dispose?.();
    hash?.abandon?.();
    throw e;
  }
}

/** reading() for a parse that runs to its end in one call (bytes already in memory). */
function readingSync<T>(parser: LineParser, read: () => T): T {
  try {
    return read();
  } catch (e) {
    parser.dispose?.();
    throw e;
  }
}

function lineParser(shape: Shape, file: string, opts: ImportOptions): LineParser {
  switch (shape.tool) {
    case 'netperf':
      return new NetperfParser({ file });
    case 'oprofile':
      return new OpreportParser(file, opts.domainRules, opts.maxRows);
    case 'perf':
      return new PerfReportParser(file, opts.maxRows);
    default:
      throw new LogParseError(file, 1, `${shape.tool} output is not line-oriented`);
  }
}

/**
 * A log whose last line has no line end may have been cut short mid-value (a copy taken while netperf
 * was still writing, a truncated download): "2997.84" cut after "29" parses as 29. Every real log we
 * know of ends with one, so the import says so, at that line, rather than storing the value silently.
 */
function warnIfCut(doc: ImportDoc, lastByte: number | undefined, lines: number): void {
  if (lastByte !== undefined && lastByte !== 10) doc.warnings.push(`line ${Math.max(1, lines)}: the file ends without a line end; if it was cut short, the last value on this line may be incomplete`);
}

function finishChecked(p: LineParser, file: string, lines: number): ImportDoc {
  const s = finishStreamed(p, file, lines);
  return docWithRecords(s.doc, s.records);
}

function finishStreamed(p: LineParser, file: string, lines: number): { doc: ImportDoc; records: RecordSource } {
  let s: { doc: ImportDoc; records: RecordSource } | undefined;
  try {
    s = p.finishRecords !== undefined ? p.finishRecords() : streamed(p.finish());
    if (s.doc.tool === 'netperf' && s.records.count === 0) {
      throw new LogParseError(file, Math.max(1, lines), 'no netperf run found (no banner, result row, CSV or KEY=value output)');
    }
    return s;
  } catch (e) {
    // finishing can fail before the runs are handed over: then they are still the parser's
    if (s === undefined) p.dispose?.();
    else s.records.dispose();
    if (e instanceof LogParseError) throw e;
    throw new LogParseError(file, Math.max(1, lines), `cannot finish reading: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Archive formats that are not read (gzip is): named, with the command that unpacks them. */
const ARCHIVES: Array<{ magic: number[]; what: string; unpack: string }> = [
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'xz-compressed', unpack: 'xz -d FILE' },
  { magic: [0x42, 0x5a, 0x68], what: 'bzip2-compressed', unpack: 'bunzip2 FILE' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], what: 'zstd-compressed', unpack: 'zstd -d FILE' },
  { magic: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive', unpack: 'unzip FILE' },
];


/** `whole`: `head` is every byte of the file (an upload, or a file no longer than DETECT_BYTES). */
function unknownTool(file: string, head?: Uint8Array, whole = false): LogParseError {
  const archive = head === undefined ? undefined : ARCHIVES.find((a) => a.magic.every((b, i) => head[i] === b));
  if (archive !== undefined) return new LogParseError(file, 1, `this is ${archive.what}; unpack it first (${archive.unpack}) and import the log inside (gzip-compressed logs are read as they are)`);
  // Before the UTF-16 check: a block of NUL bytes (what a crash leaves) would pass for UTF-16 text.
  const why = head === undefined ? null : explainUnknown(head, whole);
  if (why !== null) return new LogParseError(file, why.line, why.detail);
  if (head !== undefined && looksUtf16(head)) {
    return new LogParseError(file, 1, "this is UTF-16 text (as Windows PowerShell's > writes it); convert it to UTF-8 first, e.g. iconv -f UTF-16 -t UTF-8 FILE > FILE.txt");
  }
  return new LogParseError(file, 1, 'cannot tell which tool wrote this file (expected netperf, opreport, perf report --stdio, iperf3 -J or flent output)');
}

/** The line on which each string value (not an object key) starts, in the order they appear. */
function stringValueLines(text: string): number[] {
  const out: number[] = [];
  let line = 1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 34) {
      const at = line;
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
        else if (d === 10) line++; // not valid JSON, but keep counting
      }
      let j = i + 1;
      while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9 || text.charCodeAt(j) === 13 || text.charCodeAt(j) === 10)) j++;
      if (text.charCodeAt(j) !== 58) out.push(at); // a key is followed by ':'
    }
  }
  return out;
}

/** PerfKitBenchmarker stores netperf output as a JSON list of [banner, CSV header, CSV values]. */
function parseNetperfJsonStrings(file: string, text: string): ImportDoc {
  const docs = parseConcatenatedJson(file, text);
  const p = new NetperfParser({ file });
  // The line of each string value, in document order, from one pass over the text: the strings are
  // met in that order below. (Searching the text for each string re-encoded was quadratic whenever the
  // file escapes differently from JSON.stringify, e.g. Python's \u00e9 or \/.)
  const lines = stringValueLines(text);
  let next = 0;
  let line = 1;
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      line = lines[next++] ?? line;
      for (const part of v.split('\n')) p.line(part, line);
      return;
    }
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
      // Each inner list is one run; a blank line ends its table.
      p.line('', line);
      return;
    }
    if (isObj(v)) for (const x of Object.values(v)) visit(x);
  };
  for (const d of docs) visit(d.value);
  const doc = finishChecked(p, file, line);
  doc.format = 'netperf omni (JSON list of output lines)';
  return doc;
}

function parseWhole(shape: Shape, file: string, bytes: Buffer, opts: ImportOptions): ImportDoc {
  try {
    if (shape.tool === 'flent') {
      let raw = bytes;
      if (shape.via === 'gzip-json') {
        try {
          raw = gunzipSync(bytes, { maxOutputLength: MAX_WHOLE_DOC_BYTES });
        } catch (e) {
          throw new LogParseError(file, 1, `gzip data is damaged or too large: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      return parseFlent(file, raw.toString('utf8'));
    }
    const text = bytes.toString('utf8');
    if (shape.tool === 'iperf3') return parseIperf3(file, text);
    if (shape.tool === 'oprofile') return parseOpreportXml(file, text, opts.domainRules);
    return parseNetperfJsonStrings(file, text);
  } catch (e) {
    if (e instanceof LogParseError) throw e;
    throw new LogParseError(file, 1, `cannot read: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Imports a log file: detects the tool by content, streams line formats; the runs come in the document. */
export async function importFile(path: string, opts: ImportOptions = {}): Promise<ImportResult> {
  return withRecords(await importFileRecords(path, opts));
}

/**
 * importFile with bounded memory: the runs stay in their compact store (`records`) instead of
 * becoming half a million objects; read them once or several times, then dispose() of them.
 */
export async function importFileRecords(path: string, opts: ImportOptions = {}): Promise<StreamedImport> {
  const fileName = basename(path);
  const st = await stat(path);
  if (st.isDirectory()) throw new LogParseError(path, 1, `is a directory; give the logs in it (e.g. rxlab import ${path.replace(/\/+$/, '')}/*)`);
  if (!st.isFile()) throw new LogParseError(path, 1, 'not a regular file');
  if (st.size === 0) throw new LogParseError(path, 1, 'empty file');
  const head = Buffer.alloc(Math.min(DETECT_BYTES, st.size));
  const fh = await open(path, 'r');
  try {
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  const shape = detectShape(head);
  if (shape === null) throw unknownTool(path, head, head.length === st.size);
  if (shape.via === 'lines') {
    if (shape.tool === 'netperf' && shape.gzip !== true && splitWorth(st.size)) {
      // Two cores, the same output (netperf/split-parse.ts).
      const parser = new NetperfParser({ file: path });
      const r = await reading(parser, () => parseNetperfSplit(path, st, parser, { signal: opts.signal, onProgress: opts.onProgress }));
      if (r !== null) {
        const s = r.joined ?? finishStreamed(parser, path, r.lines);
        warnIfCut(s.doc, await lastByteOf(path, st.size), r.lines);
        return { ...s, sha256: r.sha256, sizeBytes: st.size, parserVersion: PARSER_VERSION, fileName };
      }
    }
    // SHA-256 on another thread for big files when a core is free (hash-worker.ts).
    const hash = fileHash(st.size);
    const parser = lineParser(shape, path, opts);
    const read = shape.gzip === true ? readGzipFileLines : readFileLines;
    let lastByte: number | undefined;
    const lines = await reading(parser, () =>
      read(path, parser, {
        signal: opts.signal,
        onProgress: opts.onProgress,
        onChunk: (c) => hash.update(c),
        onLastByte: (b) => (lastByte = b),
      }),
      hash,
    );
    const s = finishStreamed(parser, path, lines);
    warnIfCut(s.doc, lastByte, lines);
    markGzip(s.doc, shape);
    return { ...s, sha256: hash.digest('hex'), sizeBytes: st.size, parserVersion: PARSER_VERSION, fileName };
  }
  if (st.size > MAX_WHOLE_DOC_BYTES) throw new LogParseError(path, 1, `${shape.tool} ${shape.via} file is larger than ${MAX_WHOLE_DOC_BYTES} bytes`);
  if (opts.signal?.aborted) throw new ImportAbortedError(path);
  const bytes = await readFile(path, opts.signal !== undefined ? { signal: opts.signal } : {});
  opts.onProgress?.(bytes.length, bytes.length);
  const whole = shape.gzip === true ? gunzipLog(path, bytes, MAX_WHOLE_DOC_BYTES) : bytes;
  const s = streamed(markGzip(parseWhole(shape, path, whole, opts), shape));
  return { ...s, sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length, parserVersion: PARSER_VERSION, fileName };
}

async function lastByteOf(path: string, size: number): Promise<number | undefined> {
  if (size === 0) return undefined;
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(1);
    const { bytesRead } = await fh.read(b, 0, 1, size - 1);
    return bytesRead === 1 ? b[0] : undefined;
  } finally {
    await fh.close();
  }
}

/** Imports bytes already in memory (uploads from the UI); same detection and parsers as importFile. */
export async function importBytes(name: string, bytes: Uint8Array, opts: ImportOptions = {}): Promise<ImportResult> {
  return importBytesSync(name, bytes, opts);
}

/** Synchronous core of importBytes (fuzz tests call it directly). */
export function importBytesSync(name: string, bytes: Uint8Array, opts: ImportOptions = {}): ImportResult {
  if (bytes.length === 0) throw new LogParseError(name, 1, 'empty file');
  const shape = detectShape(bytes.subarray(0, DETECT_BYTES));
  if (shape === null) throw unknownTool(name, bytes, true);
  return importBytesAs(shape, name, bytes, opts);
}

/**
 * importBytes with bounded memory, like importFileRecords: the runs stay in their compact store.
 * The caller must dispose() of `records`.
 */
export function importBytesRecords(name: string, bytes: Uint8Array, opts: ImportOptions = {}): StreamedImport {
  if (bytes.length === 0) throw new LogParseError(name, 1, 'empty file');
  const shape = detectShape(bytes.subarray(0, DETECT_BYTES));
  if (shape === null) throw unknownTool(name, bytes, true);
  return importBytesRecordsAs(shape, name, bytes, opts);
}

/** Parses bytes with a given parser, skipping detection (fuzzers drive each parser directly). */
export function importBytesAs(shape: Shape, name: string, bytes: Uint8Array, opts: ImportOptions = {}): ImportResult {
  return withRecords(importBytesRecordsAs(shape, name, bytes, opts));
}

function importBytesRecordsAs(shape: Shape, name: string, bytes: Uint8Array, opts: ImportOptions): StreamedImport {
  if (bytes.length === 0) throw new LogParseError(name, 1, 'empty file');
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sha256 = createHash('sha256').update(buf).digest('hex');
  let s: { doc: ImportDoc; records: RecordSource };
  // a gzip-compressed log is parsed inflated; its SHA-256 and size stay those of the bytes given
  const text = shape.gzip === true ? gunzipLog(name, buf, shape.via === 'lines' ? MAX_GUNZIPPED_BYTES : MAX_WHOLE_DOC_BYTES) : buf;
  if (shape.via === 'lines') {
    const parser = lineParser(shape, name, opts);
    const progress = opts.onProgress;
    // an inflated log's progress in the bytes given, as the caller counts them
    const onProgress = progress === undefined || text === buf ? progress : (done: number, total: number): void => progress(Math.round((done / Math.max(1, total)) * buf.length), buf.length);
    const lines = readingSync(parser, () => readBytesLines(name, text, parser, { signal: opts.signal, onProgress }));
    s = finishStreamed(parser, name, lines);
    warnIfCut(s.doc, text[text.length - 1], lines);
  } else {
    if (text.length > MAX_WHOLE_DOC_BYTES) throw new LogParseError(name, 1, `${shape.tool} file is larger than ${MAX_WHOLE_DOC_BYTES} bytes`);
    s = streamed(parseWhole(shape, name, text, opts));
  }
  markGzip(s.doc, shape);
  return { ...s, sha256, sizeBytes: bytes.length, parserVersion: PARSER_VERSION, fileName: basename(name) };
}
