/**
 * Numbers a parser computed, in the Import cell and in the PDF report (a flent mean, an iperf3 rate from JSON, a perf profile's summed
 * percentages), shown without floating-point noise: 2.1950000000000003 reads 2.195 and
 * 99.53000000000073 reads 99.53. Numbers a log printed as text are shown as printed instead
 * (netperf's throughput_text), never re-rounded.
 */

/**
 * Up to `sig` significant digits, trailing zeros trimmed; whole numbers exactly, and never fewer
 * digits than the integer part has (941503384.5 reads 941503385, not 941503000).
 */
export function displayNumber(n: number, sig = 6): string {
  if (!Number.isFinite(n) || Number.isInteger(n)) return String(n);
  const a = Math.abs(n);
  const intDigits = a >= 1 ? Math.floor(Math.log10(a)) + 1 : 0;
  return String(Number(n.toPrecision(Math.min(100, Math.max(sig, intDigits)))));
}

/** Tools whose records' numbers are read from text the tool printed (so shown as they are). */
const PRINTED_BY_TOOL = new Set(['netperf']);

/**
 * A record's number as the Import cell shows it: the log's own text (or the number, which reads back
 * as that text) for a printed log such as netperf's; otherwise the computed value without noise.
 */
export function recordNumber(tool: string, value: number | undefined, text?: string): string {
  if (PRINTED_BY_TOOL.has(tool)) return text ?? (value === undefined ? '' : String(value));
  if (value !== undefined) return displayNumber(value);
  // no number beside the text: show the text, cleaned only if it is a plain number
  if (text === undefined) return '';
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? displayNumber(n) : text;
}

/** The exact value for a tooltip, when the cell shows it rounded (else undefined: no tooltip). */
export function exactTitle(shown: string, value: number | undefined): string | undefined {
  return value !== undefined && Number(shown) !== value ? `exactly ${value}` : undefined;
}
