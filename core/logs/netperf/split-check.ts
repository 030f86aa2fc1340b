import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileLines } from '../line-reader.js';
import { NetperfParser } from './parse-netperf.js';
import { parseNetperfSplit } from './split-parse.js';

/** What a parse gives, as text: the document with its runs (key order included) and the line count. */
export interface Parsed {
  doc: string;
  lines: number;
}

/** The one-thread parse of a file. */
export async function parseWhole(path: string): Promise<Parsed> {
  const p = new NetperfParser();
  const lines = await readFileLines(path, p);
  const { doc, records } = p.finishRecords();
  try {
    return { doc: JSON.stringify({ ...doc, records: [...records] }), lines };
  } finally {
    records.dispose();
  }
}

/** The split parse of a file, cut at the first line start from byte `at`; null if it cannot be cut there. */
export async function parseSplit(path: string, at: number, inThread = true): Promise<(Parsed & { joinedAt: number | null; sha256: string }) | null> {
  const p = new NetperfParser();
  const r = await parseNetperfSplit(path, statSync(path), p, { at, inThread });
  if (r === null) return null;
  const s = r.joined ?? p.finishRecords();
  try {
    return { doc: JSON.stringify({ ...s.doc, records: [...s.records] }), lines: r.lines, joinedAt: r.joinedAtLine, sha256: r.sha256 };
  } finally {
    s.records.dispose();
  }
}

/**
 * Writes `text` to a temporary file, parses it whole and split at `cut` (a fraction of its length),
 * and says how they differ (null: the same, or it could not be cut). `joined` tells whether the halves joined.
 */
export async function compareSplit(text: string, cut: number): Promise<{ problem: string | null; joined: boolean; cutAt: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), 'rxlab-split-check-'));
  try {
    const path = join(dir, 'log.txt');
    writeFileSync(path, text);
    const want = await parseWhole(path);
    const got = await parseSplit(path, Math.floor(cut * Buffer.byteLength(text)));
    if (got === null) return { problem: null, joined: false, cutAt: false };
    const problem = got.doc !== want.doc ? 'the split parse gave another document than one thread' : got.lines !== want.lines ? `line count ${got.lines} instead of ${want.lines}` : null;
    return { problem, joined: got.joinedAt !== null, cutAt: true };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Parses `text` whole, then split at every line start it can be cut at, and returns the byte offsets
 * where the split parse gave another document (empty: the same everywhere).
 */
export async function cutsThatDiffer(text: string): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rxlab-split-check-'));
  try {
    const path = join(dir, 'log.txt');
    writeFileSync(path, text);
    const want = await parseWhole(path);
    const differ: number[] = [];
    for (let at = 0; at < text.length; at = text.indexOf('\n', at) + 1) {
      const got = await parseSplit(path, at);
      if (got === null) break;
      if (got.doc !== want.doc) differ.push(at);
      if (text.indexOf('\n', at) < 0) break;
    }
    return differ;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
