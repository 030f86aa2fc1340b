import { LogParseError } from './errors.js';

/**
 * Splits text holding one or more concatenated top-level JSON values (iperf3 -J appends one
 * object per run to the same file) and parses each; reports the line where each starts.
 */
export function parseConcatenatedJson(file: string, text: string, onCutTail?: (warning: string) => void): Array<{ value: unknown; line: number }> {
  const out: Array<{ value: unknown; line: number }> = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 0xfeff) {
      i++;
      continue;
    }
    if (c !== 123 && c !== 91) throw new LogParseError(file, line, `expected a JSON object, found "${text.slice(i, i + 20)}"`);
    const start = i;
    const startLine = line;
    let depth = 0;
    let inStr = false;
    for (; i < n; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10) line++;
      if (inStr) {
        if (ch === 92) i++;
        else if (ch === 34) inStr = false;
        continue;
      }
      if (ch === 34) inStr = true;
      else if (ch === 123 || ch === 91) depth++;
      else if (ch === 125 || ch === 93) {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      }
    }
    if (depth !== 0) {
      const what = `JSON value starting at line ${startLine} is cut off (unbalanced braces at end of file)`;
      // a log of several runs whose last one was cut off (a killed run, a full disk) keeps the runs before it, as a netperf log does
      if (onCutTail !== undefined && out.length > 0) {
        onCutTail(`line ${startLine}: ${what}; the ${out.length} complete value${out.length === 1 ? '' : 's'} before it ${out.length === 1 ? 'is' : 'are'} kept`);
        break;
      }
      throw new LogParseError(file, line, what);
    }
    const src = text.slice(start, i);
    try {
      out.push({ value: JSON.parse(src) as unknown, line: startLine });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const pos = /position (\d+)/.exec(msg);
      const offset = pos?.[1] !== undefined ? Number(pos[1]) : errorOffset(src);
      const at = startLine + (src.slice(0, offset).match(/\n/g) ?? []).length;
      // V8 quotes the text around the fault, newlines and all: one line per error
      throw new LogParseError(file, at, `invalid JSON: ${msg.replace(/\r?\n\s*/g, ' ')}`);
    }
  }
  return out;
}

/**
 * Where JSON.parse fails in `src`, for messages without a position (Node 20's "Unexpected token 'a',
 * …"). A prefix of valid JSON fails only for running out ("Unexpected end", or a position at its end);
 * a prefix that holds the fault fails inside it. So the shortest prefix that fails inside ends just
 * after the fault: found by bisection, log2(n) parses, only when a file is broken.
 */
function errorOffset(src: string): number {
  const failsInside = (len: number): boolean => {
    try {
      JSON.parse(src.slice(0, len));
      return false;
    } catch (e) {
      const m = e instanceof Error ? e.message : String(e);
      if (/Unexpected end of JSON input/.test(m)) return false;
      const p = /position (\d+)/.exec(m);
      return p?.[1] === undefined || Number(p[1]) < len;
    }
  };
  let ok = 0;
  let bad = src.length;
  while (bad - ok > 1) {
    const mid = (ok + bad) >>> 1;
    if (failsInside(mid)) bad = mid;
    else ok = mid;
  }
  return bad - 1;
}

export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function numAt(o: unknown, ...path: string[]): number | undefined {
  let cur: unknown = o;
  for (const p of path) {
    if (!isObj(cur)) return undefined;
    cur = cur[p];
  }
  return typeof cur === 'number' && Number.isFinite(cur) ? cur : undefined;
}

export function strAt(o: unknown, ...path: string[]): string | undefined {
  let cur: unknown = o;
  for (const p of path) {
    if (!isObj(cur)) return undefined;
    cur = cur[p];
  }
  return typeof cur === 'string' ? cur : undefined;
}
