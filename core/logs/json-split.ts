import { LogParseError } from './errors.js';

/**
 * Splits text holding one or more concatenated top-level JSON values (iperf3 -J appends one
 * object per run to the same file) and parses each; reports the line where each starts.
 */
export function parseConcatenatedJson(file: string, text: string): Array<{ value: unknown; line: number }> {
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
    if (depth !== 0) throw new LogParseError(file, line, `JSON value starting at line ${startLine} is cut off (unbalanced braces at end of file)`);
    const src = text.slice(start, i);
    try {
      out.push({ value: JSON.parse(src) as unknown, line: startLine });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const pos = /position (\d+)/.exec(msg);
      const at = pos?.[1] !== undefined ? startLine + (src.slice(0, Number(pos[1])).match(/\n/g) ?? []).length : startLine;
      throw new LogParseError(file, at, `invalid JSON: ${msg}`);
    }
  }
  return out;
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
