/**
 * Cost-group multipliers in words, largest change first: "stack ×0.20, copy ×1.17". Shared by the
 * CLI (`calibrate --sensitivity`), the PDF report and the notebook (no imports: the renderer uses it).
 */
export function fmtMultipliers(m: Record<string, number>, max = Infinity): string {
  const parts = Object.entries(m)
    .filter(([, v]) => v > 0 && Math.abs(Math.log(v)) >= 0.005)
    .sort((a, b) => Math.abs(Math.log(b[1])) - Math.abs(Math.log(a[1])));
  if (parts.length === 0) return '(none)';
  const shown = parts.slice(0, max).map(([k, v]) => `${k} ×${v >= 10 || v < 0.1 ? v.toPrecision(2) : v.toFixed(2)}`);
  return parts.length > max ? `${shown.join(', ')} +${parts.length - max} more` : shown.join(', ');
}
