/**
 * The on-disk form of .rxnb: sorted keys, 2-space indent, trailing newline — in one pass.
 *
 * It prints exactly what `JSON.stringify(JSON.parse(stableStringify(v)), null, 2) + '\n'` prints
 * (the definition, kept in stable-pretty.test.ts as the oracle), without building the compact text
 * and parsing it back: that took 3 of the 4 s of exporting a notebook with a 28,000-run import.
 * The one subtlety is the parse step's key order: JSON.parse makes an object whose array-index
 * keys ("0", "12") come first in numeric order, then the rest in insertion (here: sorted) order;
 * an object built by inserting the sorted keys gets the same order.
 */

/**
 * A copy of a plain object with its keys inserted in sorted order. V8 then orders it exactly as
 * JSON.parse orders an object read from sorted text: array-index keys first, numerically.
 */
function sortedCopy(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) {
    // Plain assignment to "__proto__" would set the prototype instead of a key.
    if (k === '__proto__') Object.defineProperty(out, k, { value: o[k], enumerable: true, writable: true, configurable: true });
    else out[k] = o[k];
  }
  return out;
}

// JSON.stringify does the printing (in C++); the replacer only hands it each object with its keys
// in order. It drops undefined members and prints NaN/Infinity as null, as the definition does.
const sorted = (_k: string, val: unknown): unknown => (val !== null && typeof val === 'object' && !Array.isArray(val) ? sortedCopy(val as Record<string, unknown>) : val);

/** Sorted keys, 2-space indent, trailing newline: the on-disk form of .rxnb (and of any stable JSON export). */
export function stablePretty(v: unknown): string {
  const text = JSON.stringify(v, sorted, 2) as string | undefined;
  return `${text ?? 'null'}\n`;
}

/**
 * stablePretty, except that the elements of the top-level array `rowsKey` are printed one per line,
 * each compact (sorted keys, no spaces): .rxnb format 2's runs. Half the size of indenting every
 * field of every run, and a changed run is still a one-line diff.
 */
export function stablePrettyRows(v: Record<string, unknown>, rowsKey: string): string {
  const rows = v[rowsKey];
  const head = stablePretty({ ...v, [rowsKey]: [] });
  if (!Array.isArray(rows) || rows.length === 0) return head;
  // Only a top-level key starts a line with exactly two spaces (strings hold no raw newline).
  const marker = `\n  ${JSON.stringify(rowsKey)}: []`;
  const at = head.indexOf(marker);
  if (at < 0) throw new Error(`stablePrettyRows: no top-level "${rowsKey}"`);
  const lines = rows.map((r) => `    ${JSON.stringify(r, sorted) ?? 'null'}`);
  return `${head.slice(0, at)}\n  ${JSON.stringify(rowsKey)}: [\n${lines.join(',\n')}\n  ]${head.slice(at + marker.length)}`;
}
