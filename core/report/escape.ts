/** HTML/XML text and attribute escaping. Everything user-supplied goes through here before it reaches the report. */
const MAP: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => MAP[c] ?? c);
}

/** Numbers as people read them in a table: up to 4 significant decimals, no exponent for normal magnitudes. */
export function fmtNum(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e9 || a < 1e-4)) return v.toExponential(3);
  if (Number.isInteger(v)) return String(v);
  // two decimals keep measured values as printed (2997.84 Mbit/s); small values keep 4 significant digits
  // (0.000202 stays 0.000202, not "0": a ± of a few ten-thousandths is still a value)
  if (a >= 10) return String(Number(v.toFixed(2)));
  return String(Number(v.toPrecision(digits)));
}
