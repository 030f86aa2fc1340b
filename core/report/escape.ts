/** HTML/XML text and attribute escaping. Everything user-supplied goes through here before it reaches the report. */
const MAP: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => MAP[c] ?? c);
}

/**
 * Numbers as people read them in a table, one rule for every column so a column reads evenly: `digits`
 * significant digits without float noise (2.1950000000000003 reads 2.195, 710.43 reads 710.4), whole
 * numbers exactly, never fewer digits than the integer part has (5457.78 reads 5458, not 5.458e3), and
 * an exponent only for magnitudes no table prints otherwise. As the notebook's fmt (renderer stats.ts)
 * prints a value without an interval; a value with one is printed by intervalText (stats.ts), to the
 * interval's precision. The CSV/JSON exports keep the full-precision numbers.
 */
export function fmtNum(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e9 || a < 1e-4)) return v.toExponential(3);
  if (Number.isInteger(v)) return String(v);
  // small values keep their significant digits (0.000202 stays 0.000202, not "0": a ± of a few ten-thousandths is still a value)
  const intDigits = a >= 1 ? Math.floor(Math.log10(a)) + 1 : 0;
  return String(Number(v.toPrecision(Math.max(digits, intDigits))));
}
