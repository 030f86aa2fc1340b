import type { DiffPercent } from '../types.js';
import { num } from '../numbers.js';

/**
 * The number columns of one row of opreport differential output (`opreport -l { first } { second }`,
 * libpp/format_output.cpp, diff_formatter). Per column group opreport prints "samples", "%" and
 * "diff %":
 *
 *     samples  %        diff %    symbol name
 *     N        P        ±D        a
 *     N        ---      ---       c        (only in the first profile: its count, no share)
 *     N        P        +++       d        (only in the second profile)
 *
 * "diff %" is printed with a sign ("+D.DDDD", or in exponent form "-D.De-DD"), or as a bare "0"
 * when the share did not change, so it cannot go through the unsigned fast scanner of the ordinary
 * rows.
 */
export interface DiffColumns {
  samples: number[];
  /** null where opreport printed "---". */
  percent: Array<number | null>;
  diff: DiffPercent[];
  /** Index in the line just past the last number column (the name columns start there). */
  end: number;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

function skipSpace(raw: string, i: number): number {
  while (i < raw.length && isSpace(raw.charCodeAt(i))) i++;
  return i;
}

function tokenEnd(raw: string, i: number): number {
  while (i < raw.length && !isSpace(raw.charCodeAt(i))) i++;
  return i;
}

function diffValue(tok: string): DiffPercent | null {
  if (tok === '+++' || tok === '---') return tok;
  return num(tok);
}

/**
 * Reads `groups` samples/%/diff % triples from raw[i]. With `accumulated` (opreport -a) each group
 * is "samples  cum. samples  %  cum. %  diff %"; the running sums are checked and dropped, since
 * they follow from the rows. Returns null when the first token is not a number (the line is not a
 * row, so the caller tries the other line shapes), and a description of the fault when the line
 * starts like a row but its columns are wrong.
 */
export function readDiffColumns(raw: string, i: number, groups: number, accumulated = false): DiffColumns | string | null {
  const samples = new Array<number>(groups);
  const percent = new Array<number | null>(groups);
  const diff = new Array<DiffPercent>(groups);
  for (let g = 0; g < groups; g++) {
    const col = groups > 1 ? ` of column group ${g + 1}` : '';
    let e = tokenEnd(raw, i);
    if (e === i) return g === 0 ? null : `differential row is cut off after ${g} of ${groups} column groups`;
    let tok = raw.slice(i, e);
    const s = num(tok);
    if (s === null) return g === 0 ? null : `"samples"${col} is "${tok.slice(0, 20)}", not a number`;
    samples[g] = s;
    i = skipSpace(raw, e);
    if (accumulated) {
      const bad = cumulative(raw, i, `"cum. samples"${col}`);
      if (typeof bad === 'string') return bad;
      i = bad;
    }
    e = tokenEnd(raw, i);
    if (e === i) return `differential row is cut off after "samples"${col}`;
    tok = raw.slice(i, e);
    const p = tok === '---' ? null : num(tok);
    if (p === null && tok !== '---') return `"%"${col} is "${tok.slice(0, 20)}", neither a number nor "---"`;
    percent[g] = p;
    i = skipSpace(raw, e);
    if (accumulated) {
      const bad = cumulative(raw, i, `"cum. %"${col}`);
      if (typeof bad === 'string') return bad;
      i = bad;
    }
    e = tokenEnd(raw, i);
    if (e === i) return `differential row is cut off after "%"${col}`;
    tok = raw.slice(i, e);
    const d = diffValue(tok);
    if (d === null) return `"diff %"${col} is "${tok.slice(0, 20)}", neither a number nor "+++"/"---"`;
    diff[g] = d;
    i = skipSpace(raw, e);
  }
  return { samples, percent, diff, end: i };
}

/** A running-sum column of -a output: a number, or "---" on rows gone from the second profile. */
function cumulative(raw: string, i: number, what: string): number | string {
  const e = tokenEnd(raw, i);
  if (e === i) return `differential row is cut off before ${what}`;
  const tok = raw.slice(i, e);
  if (tok !== '---' && num(tok) === null) return `${what} is "${tok.slice(0, 20)}", neither a number nor "---"`;
  return skipSpace(raw, e);
}

/**
 * For output printed without headers (`opreport --no-header`): how many samples/%/diff % groups
 * start at raw[i], or 0 when the row does not look differential. The first group must carry a
 * signed or "+++"/"---" diff, which no ordinary row has in that place (there it is a name); a bare
 * "0" diff on the first row cannot be told from a name, so such a file is read as an ordinary one.
 */
export function countDiffGroups(raw: string, i: number): number {
  let groups = 0;
  for (;;) {
    const s0 = i;
    const e0 = tokenEnd(raw, s0);
    if (e0 === s0 || num(raw.slice(s0, e0)) === null) break;
    const s1 = skipSpace(raw, e0);
    const e1 = tokenEnd(raw, s1);
    const p = raw.slice(s1, e1);
    if (e1 === s1 || (p !== '---' && num(p) === null)) break;
    const s2 = skipSpace(raw, e1);
    const e2 = tokenEnd(raw, s2);
    const d = raw.slice(s2, e2);
    if (e2 === s2 || diffValue(d) === null) break;
    if (groups === 0 && !(d === '+++' || d === '---' || d.charCodeAt(0) === 43 || d.charCodeAt(0) === 45)) break;
    // A name must follow the last group; a row that is all numbers is not differential output.
    const next = skipSpace(raw, e2);
    if (next >= raw.length) break;
    groups++;
    i = next;
  }
  return groups;
}
