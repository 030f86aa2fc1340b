/**
 * A mean with its 95 % half-width as the notebook and the PDF report print it: the mean to the
 * decimal place of its rounded half-width ("713.0 ± 0.5", not "713 ± 0.508"). Pure and shared (the
 * renderer imports it as a value), so the two cannot round differently.
 */

/**
 * Decimal places that show a half-width as the Particle Data Group rounds an uncertainty: its three
 * leading digits 100–354 keep two significant digits, 355–949 one, 950–999 round up to two (1.0).
 * Negative when the half-width is 10 or more and one or two digits reach past the units.
 */
export function uncertaintyDecimals(hw: number): number {
  const exp = Math.floor(Math.log10(hw));
  const lead = Math.round(hw / 10 ** (exp - 2)); // 100–1000
  const sig = lead <= 354 || lead >= 950 ? 2 : 1;
  return sig - 1 - exp + (lead >= 950 ? -1 : 0);
}

/**
 * "mean ± half-width" for a half-width above float noise. Half-widths below a millionth (or not
 * finite) keep significant digits: `small` formats the mean and the half-width then.
 */
export function meanPlusMinus(mean: number, halfWidth: number, small: (mean: number, halfWidth: number) => string): string {
  const d = Number.isFinite(halfWidth) && halfWidth > 0 ? uncertaintyDecimals(halfWidth) : Infinity;
  if (d > 6) return small(mean, halfWidth);
  if (d >= 0) return `${mean.toFixed(d)} ± ${halfWidth.toFixed(d)}`;
  const unit = 10 ** -d;
  return `${(Math.round(mean / unit) * unit).toFixed(0)} ± ${(Math.round(halfWidth / unit) * unit).toFixed(0)}`;
}
