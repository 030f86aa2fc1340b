/**
 * The second half of a split netperf parse (split-parse.ts): counts the lines before `start` (so
 * every line number it writes is the file's), parses from `start` to the end with a fresh
 * parser, and notes the state key after the first runs it opens, where the first half may join
 * it. Runs in split-worker.ts, or on the calling thread in tests.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { readFileLines, type LineSink } from '../line-reader.js';
import { RecordSpill } from '../record-spill.js';
import { NetperfParser } from './parse-netperf.js';
import { MAX_CHECKPOINTS, type SplitCheckpoint, type SplitWorkerData, type SplitWorkerResult } from './split-types.js';

/**
 * Newlines in [0, end) (the number of lines before the line that starts at `end`), and the
 * last line before `end` that mentions netperf (the echoed command a run would carry).
 */
function linesBefore(path: string, end: number): { lines: number; lastCommandLine: string | null } {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let lines = 0;
    let mention = -1;
    for (let at = 0; at < end; ) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, end - at), at);
      if (n === 0) throw new Error('the file got shorter while it was read');
      // Buffer#indexOf is memchr: about twice as fast here as a byte loop.
      for (let i = buf.indexOf(10, 0); i >= 0 && i < n; i = buf.indexOf(10, i + 1)) lines++;
      const m = buf.subarray(0, n).lastIndexOf(NETPERF);
      if (m >= 0) mention = at + m;
      at += n;
    }
    return { lines, lastCommandLine: mention < 0 ? null : lineAround(fd, mention, end) };
  } finally {
    closeSync(fd);
  }
}

const NETPERF = Buffer.from('netperf', 'latin1');
/** Lines longer than this are not commands the parser keeps (MAX_NETPERF_LINE). */
const MAX_COMMAND_LINE = 8192;

/** The line holding byte `at` (before `end`), trimmed; null if it is longer than a command line. */
function lineAround(fd: number, at: number, end: number): string | null {
  const from = Math.max(0, at - MAX_COMMAND_LINE);
  const buf = Buffer.allocUnsafe(Math.min(end, at + MAX_COMMAND_LINE) - from);
  const n = readSync(fd, buf, 0, buf.length, from);
  const b = buf.subarray(0, n);
  const s = b.lastIndexOf(10, at - from) + 1;
  let e = b.indexOf(10, at - from);
  if (e < 0) e = n;
  if (s === 0 && from > 0) return null;
  if (e === n && from + n < end) return null;
  return b.toString('utf8', s, e).trim();
}

/** Passes lines to the parser and notes the state key after each line that opened a run. */
class CheckpointSink implements LineSink {
  readonly checkpoints: SplitCheckpoint[] = [];
  constructor(private readonly p: NetperfParser) {}

  bytes(buf: Buffer, s: number, e: number, n: number): boolean {
    if (this.checkpoints.length >= MAX_CHECKPOINTS) return this.p.bytes(buf, s, e, n);
    const opened = this.p.openedRecords;
    if (!this.p.bytes(buf, s, e, n)) return false;
    if (this.p.openedRecords !== opened) this.note(n);
    return true;
  }

  line(text: string, n: number): void {
    const opened = this.p.openedRecords;
    this.p.line(text, n);
    if (this.p.openedRecords !== opened && this.checkpoints.length < MAX_CHECKPOINTS) this.note(n);
  }

  private note(n: number): void {
    const key = this.p.splitKey(n);
    if (key !== null) this.checkpoints.push({ line: n, key, runsBefore: this.p.runsPushed });
  }
}

/** The second half's result; its records are detached (RecordSpill.adopt them where they are read). */
export async function parseSecondHalf(data: SplitWorkerData, signal?: AbortSignal): Promise<SplitWorkerResult & { ok: true }> {
  const parser = new NetperfParser({ file: data.path, spill: new RecordSpill(undefined, data.spillFile) });
  const before = linesBefore(data.path, data.start);
  const firstLine = before.lines;
  // A guess at what the first half ends with: a loop log echoes its command once, at the top, and
  // every run carries it. A wrong guess only means no join (the keys differ), never a wrong result.
  if (before.lastCommandLine !== null) parser.primeLastCommand(before.lastCommandLine);
  const sink = new CheckpointSink(parser);
  const lines = await readFileLines(data.path, sink, { start: data.start, firstLine, signal });
  const part = parser.finishPart();
  return { ...part, ok: true, lines, checkpoints: sink.checkpoints, records: part.records.detach() };
}
