/** Mean and 95 % Student-t interval, the same summary the sweep API reports. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export interface Summary {
  mean: number;
  lo: number;
  hi: number;
  halfWidth: number;
  n: number;
}

export function summarize(values: number[]): Summary | null {
  const v = values.filter((x) => Number.isFinite(x));
  const n = v.length;
  if (n === 0) return null;
  const mean = v.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, lo: mean, hi: mean, halfWidth: 0, n };
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const t = T975[n - 2] ?? 1.96;
  const halfWidth = (t * sd) / Math.sqrt(n);
  return { mean, lo: mean - halfWidth, hi: mean + halfWidth, halfWidth, n };
}
