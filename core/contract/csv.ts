/**
 * CSV text for every export: the report's table and run files (core/report/csv.ts) and the notebook's
 * downloads (renderer/src/lib/exports.ts), so both quote the same way. RFC 4180: CRLF line ends,
 * quotes doubled, a field with a comma, quote, line break or surrounding blanks quoted.
 *
 * Pure and dependency-free on purpose: it is the one value the renderer may import from core
 * (eslint.config.js names this file), so it must run unchanged in the sandboxed renderer and in Node.
 */

/**
 * One field. null, undefined and non-finite numbers are empty; numbers are written as numbers (so a
 * negative value stays numeric); objects as JSON. Text a spreadsheet would run as a formula
 * (first character = + - @ tab or CR) gets a leading apostrophe — callers holding numbers as text
 * should pass them as numbers.
 */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows (the header is simply the first) as CSV text; every line, the last too, ends with CRLF. */
export function csvRows(rows: readonly (readonly unknown[])[]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
