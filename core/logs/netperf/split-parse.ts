/**
 * A big netperf log parsed on two cores with exactly the output of one parse.
 *
 * The file is cut at the first line start after its middle. A worker (split-worker.ts) parses
 * the second half with a fresh parser and notes its state key (NetperfParser.splitKey) after
 * each of the first runs it opens. This thread parses the first half, hashes the file, then
 * goes on line by line into the second half, comparing its own key at those lines: the key
 * holds everything that decides what later lines do (the open run, table and CSV state, the
 * last echoed command, the error-message window), so where the keys match, the worker's output
 * from there on is what this parser would have produced. The worker's runs before that line
 * (parsed without what came before them) are dropped, and the parts join. If no key matches
 * within a few runs — a state no fresh parser reaches — this thread parses the rest itself, so
 * the result is the same either way; only the time differs.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { compiledPath } from '../../paths.js';
import { ImportAbortedError, LogParseError } from '../errors.js';
import { readBytesLines, readFileLines } from '../line-reader.js';
import { closeSpillFile, joinedSource, openSpillFile, RecordSpill, type RecordSource, type SpillFile } from '../record-spill.js';
import type { ImportDoc } from '../types.js';
import { formatName, type NetperfParser } from './parse-netperf.js';
import { parseSecondHalf } from './split-second-half.js';
import type { SplitWorkerData, SplitWorkerResult } from './split-types.js';

/**
 * Below this a second thread did not pay on the 2-core build machine: its two cores slow each
 * other down (two one-thread imports side by side each ran 1.0–1.5× slower than alone), and the
 * worker's start-up and line count come on top. Measured alternately with one thread (CLI,
 * --no-save): 64 MiB 1.23–1.71 s against 1.28–1.51 s, 128 MiB 1.83–2.37 against 1.93–2.33 s;
 * 256 MiB 81–103 MiB/s against 61–95 MiB/s.
 */
export const SPLIT_MIN_BYTES = 192 << 20;
/** With RXLAB_IMPORT_SPLIT=1 (tests, machines with cores to spare), from this size on. */
const FORCED_MIN_BYTES = 1 << 20;
/** How far into the second half this thread looks for a join before parsing the rest itself. */
const JOIN_WINDOW_BYTES = 8 << 20;

/**
 * Worth splitting: a big file and a core to spare (as for the hash worker, the load average
 * counts this import's own thread). RXLAB_IMPORT_SPLIT=0 never splits (for comparisons), =1
 * splits any file from 1 MiB on, whatever the load.
 */
export function splitWorth(size: number, spareCores = availableParallelism() - (loadavg()[0] ?? 0)): boolean {
  const mode = process.env['RXLAB_IMPORT_SPLIT'];
  if (mode === '0') return false;
  if (mode === '1') return size >= FORCED_MIN_BYTES;
  return size >= SPLIT_MIN_BYTES && spareCores >= 0.5;
}

export interface SplitOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((bytesRead: number, totalBytes: number) => void) | undefined;
  /** Cut at the first line start from this byte on instead of the middle (tests try every place). */
  at?: number;
  /** Parse the second half on this thread instead of a worker (tests: thousands of files, same code). */
  inThread?: boolean;
}

export interface SplitParse {
  /** Lines in the file. */
  lines: number;
  sha256: string;
  /** The joined result; null when `parser` parsed the whole file itself (finish it as usual). */
  joined: { doc: ImportDoc; records: RecordSource } | null;
  /** Where the halves joined (for tests and the bench), or null. */
  joinedAtLine: number | null;
}

function splitWorkerFile(): string | null {
  const here = fileURLToPath(import.meta.url);
  // Worker threads cannot load TypeScript: from source (vitest) use the build, as pool.ts does.
  const file = here.endsWith('.ts') ? compiledPath('core', 'logs', 'netperf', 'split-worker.js') : join(dirname(here), 'split-worker.js');
  return existsSync(file) ? file : null;
}

/** The first line start at or after `mid`, or null (no newline near it, or none after it). */
async function lineStartFrom(fh: FileHandle, size: number, mid: number): Promise<number | null> {
  const buf = Buffer.allocUnsafe(1 << 20);
  const { bytesRead } = await fh.read(buf, 0, buf.length, mid);
  const nl = buf.subarray(0, bytesRead).indexOf(10);
  if (nl < 0 || mid + nl + 1 >= size) return null;
  return mid + nl + 1;
}

/** The bytes from `at` through the `count`-th newline, or null if that is past the window or the end. */
async function linesFrom(fh: FileHandle, at: number, count: number): Promise<Buffer | null> {
  const parts: Buffer[] = [];
  let got = 0;
  let need = count;
  while (got < JOIN_WINDOW_BYTES) {
    const buf = Buffer.allocUnsafe(64 << 10);
    const { bytesRead } = await fh.read(buf, 0, buf.length, at + got);
    if (bytesRead === 0) return null;
    for (let p = 0; ; ) {
      const k = buf.indexOf(10, p);
      if (k < 0 || k >= bytesRead) break;
      p = k + 1;
      if (--need === 0) {
        parts.push(buf.subarray(0, p));
        return Buffer.concat(parts);
      }
    }
    parts.push(buf.subarray(0, bytesRead));
    got += bytesRead;
  }
  return null;
}

interface SecondHalf {
  result: Promise<SplitWorkerResult>;
  cancel(): void;
}

function startSecondHalf(file: string, data: SplitWorkerData): SecondHalf | null {
  let w: Worker;
  try {
    w = new Worker(file, { workerData: data });
  } catch {
    closeSpillFile(data.spillFile);
    return null;
  }
  const result = new Promise<SplitWorkerResult>((resolve) => {
    let done = false;
    w.once('message', (m: SplitWorkerResult) => {
      done = true;
      resolve(m);
    });
    w.once('error', (e) => {
      if (!done) resolve({ ok: false, message: e.message });
      done = true;
    });
    w.once('exit', (code) => {
      if (!done) resolve({ ok: false, message: `worker exited with code ${code}` });
      done = true;
    });
  });
  return { result, cancel: () => w.postMessage('cancel') };
}

function secondHalfHere(data: SplitWorkerData): SecondHalf {
  const ctl = new AbortController();
  const result = parseSecondHalf(data, ctl.signal).catch((e: unknown): SplitWorkerResult => ({ ok: false, message: e instanceof Error ? e.message : String(e) }));
  return { result, cancel: () => ctl.abort() };
}

/** Frees what a worker's result holds: its records, and the temporary file this thread opened for them. */
function discard(r: SplitWorkerResult, f: SpillFile): void {
  if (r.ok) RecordSpill.adopt(r.records).dispose();
  else closeSpillFile(f);
}

/**
 * Parses the netperf log at `path` (size and mtime as stat gave them) into `parser` on two
 * threads; null if the file cannot be split (nothing was parsed: parse it as usual). Throws what
 * the single-thread parse throws, and a LogParseError if the file changes while it is read.
 */
export async function parseNetperfSplit(
  path: string,
  st: { size: number; mtimeMs: number },
  parser: NetperfParser,
  opts: SplitOptions = {},
): Promise<SplitParse | null> {
  const file = opts.inThread === true ? '' : splitWorkerFile();
  if (file === null) return null;
  const fh = await open(path, 'r');
  try {
    const start = await lineStartFrom(fh, st.size, Math.max(0, Math.min(st.size, opts.at ?? Math.floor(st.size / 2))));
    if (start === null) return null;
    let spillFile: SpillFile;
    try {
      spillFile = openSpillFile();
    } catch {
      return null; // no temporary file for the worker (full or read-only tmpdir): one thread then
    }
    const second = opts.inThread === true ? secondHalfHere({ path, start, spillFile }) : startSecondHalf(file, { path, start, spillFile });
    if (second === null) return null;
    const hash = createHash('sha256');
    let hashed = 0;
    let firstLines: number;
    try {
      const progress = opts.onProgress;
      firstLines = await readFileLines(path, parser, {
        end: start,
        signal: opts.signal,
        onChunk: (c) => {
          hash.update(c);
          hashed += c.length;
        },
        // Both halves go at about the same pace: the first one's share stands for the whole.
        onProgress: progress && ((done, total) => progress(Math.round((done / Math.max(1, total)) * st.size * 0.95), st.size)),
      });
      // The rest of the file is hashed here while the worker finishes its half.
      const buf = Buffer.allocUnsafe(1 << 20);
      for (;;) {
        if (opts.signal?.aborted) throw new ImportAbortedError(path);
        const { bytesRead } = await fh.read(buf, 0, buf.length, hashed);
        if (bytesRead === 0) break;
        hash.update(buf.subarray(0, bytesRead));
        hashed += bytesRead;
      }
    } catch (e) {
      second.cancel();
      discard(await second.result, spillFile);
      throw e;
    }
    const res = await second.result;
    let out: SplitParse | null = null;
    let at = start;
    let line = firstLines;
    try {
      if (res.ok && res.otherWarnings.length === 0) {
        const rest = RecordSpill.adopt(res.records);
        let used = false;
        try {
          for (const cp of res.checkpoints) {
            const seg = await linesFrom(fh, at, cp.line - line);
            if (seg === null) break;
            readBytesLines(path, seg, parser, { firstLine: line });
            at += seg.length;
            line = cp.line;
            if (parser.splitKey(line) !== cp.key) continue;
            if (parser.runsPushed + rest.count - cp.runsBefore > parser.runLimit) break;
            const a = parser.handOff();
            const skip = cp.runsBefore;
            const doc: ImportDoc = {
              tool: 'netperf',
              format: formatName(a.sawOmni > 0 || res.sawOmni > cp.line, a.sawClassic > 0 || res.sawClassic > cp.line, a.sawBare > 0 || res.sawBare > cp.line),
              warnings: [...a.otherWarnings, ...a.errorWarnings, ...res.errorWarnings.filter((_, i) => (res.errorWarningRuns[i] ?? 0) >= skip)],
              records: [],
              profiles: [],
            };
            used = true;
            out = { lines: res.lines, sha256: hash.digest('hex'), joined: { doc, records: joinedSource(a.records, rest, skip) }, joinedAtLine: cp.line };
            break;
          }
        } finally {
          if (!used) rest.dispose();
        }
      } else {
        discard(res, spillFile);
      }
      if (out === null) {
        // No join: this thread parses the rest, as a single-thread import would.
        const progress = opts.onProgress;
        const rest = Math.max(1, st.size - at);
        const lines = await readFileLines(path, parser, {
          start: at,
          firstLine: line,
          signal: opts.signal,
          // From where the first half left the bar (95 %) to the end.
          onProgress: progress && ((done) => progress(Math.round(st.size * (0.95 + 0.05 * Math.min(1, done / rest))), st.size)),
        });
        out = { lines, sha256: hash.digest('hex'), joined: null, joinedAtLine: null };
      }
      const now = await stat(path);
      if (hashed !== st.size || now.size !== st.size || now.mtimeMs !== st.mtimeMs) {
        throw new LogParseError(path, 1, 'the file changed while it was being imported (is it still being written?); import it again once it is complete');
      }
      opts.onProgress?.(st.size, st.size);
      return out;
    } catch (e) {
      out?.joined?.records.dispose();
      throw e;
    }
  } finally {
    await fh.close();
  }
}
