/**
 * Number parsing for printed logs. Strict: a token is a number only if the whole token is one, so a
 * date like "2023-09-12" or a rule like "-----" is never read as a value.
 */
const NUM = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** Plain decimals ("87380", "2997.84", "-1") are checked by a char loop; the regex covers the rest. */
function plainDecimal(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  let i = s.charCodeAt(0) === 45 || s.charCodeAt(0) === 43 ? 1 : 0;
  let digits = 0;
  let dot = false;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && !dot) dot = true;
    else return false;
  }
  return digits > 0;
}

export function isNumberToken(s: string): boolean {
  return plainDecimal(s) || NUM.test(s);
}

/** 10^k for k ≤ 15: the byte scanners of the parsers divide a ≤ 15-digit mantissa by it (exact, like Number()). */
export const POW10: readonly number[] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** The number in `s`, or null when `s` is not exactly a printed number. */
export function num(s: string | undefined): number | null {
  if (s === undefined) return null;
  // Fast path for plain decimals of ≤ 15 digits: mantissa ÷ 10^k is one correctly rounded
  // division of exact operands, i.e. exactly what Number(s) returns.
  const n = s.length;
  let i = 0;
  let neg = false;
  const c0 = s.charCodeAt(0);
  if (c0 === 45 || c0 === 43) {
    neg = c0 === 45;
    i = 1;
  }
  let mant = 0;
  let digits = 0;
  let frac = -1;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0) frac = 0;
    else break;
  }
  if (i === n && digits > 0 && digits <= 15) {
    const v = frac > 0 ? mant / (POW10[frac] ?? 1) : mant;
    return neg ? -v : v;
  }
  if (!NUM.test(s)) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

/** A copy that does not pin the 1 MiB chunk string it was sliced from (V8 sliced strings do). */
export function own(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** Whitespace tokens (spaces and tabs). */
export function tokens(s: string): string[] {
  // A char loop: String#split with a regex costs several times more on the hot row path.
  const out: string[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    let c = s.charCodeAt(i);
    while (i < n && (c === 32 || c === 9 || c === 13 || c === 10 || c === 12 || c === 11)) c = s.charCodeAt(++i);
    if (i >= n) break;
    const start = i;
    while (i < n && c !== 32 && c !== 9 && c !== 13 && c !== 10 && c !== 12 && c !== 11) c = s.charCodeAt(++i);
    out.push(s.slice(start, i));
  }
  return out;
}

/** Throughput to Mbit/s: one implementation, shared with the notebook (core/contract/units.ts). */
export { toMbps } from '../contract/units.js';
