/**
 * Cost-group multipliers in words, largest change first: "stack ×0.20, copy ×1.17". Shared by the
 * CLI (`calibrate --sensitivity`), the PDF report and the notebook (no imports: the renderer uses it);
 * and the names of the fitted multipliers with the profile's defaults.
 */
export function fmtMultipliers(m: Record<string, number>, max = Infinity): string {
  const parts = Object.entries(m)
    .filter(([, v]) => v > 0 && Math.abs(Math.log(v)) >= 0.005)
    .sort((a, b) => Math.abs(Math.log(b[1])) - Math.abs(Math.log(a[1])));
  if (parts.length === 0) return '(none)';
  const shown = parts.slice(0, max).map(([k, v]) => `${k} ×${v >= 10 || v < 0.1 ? v.toPrecision(2) : v.toFixed(2)}`);
  return parts.length > max ? `${shown.join(', ')} +${parts.length - max} more` : shown.join(', ');
}

/**
 * The multipliers the calibration fits (core/sim/calibrate/fit.ts FIT_KNOBS, which a test keeps
 * equal to these), in words for the notebook's profile panel and the report.
 */
export const FITTED_MULTIPLIERS = {
  irq_poll: 'driver IRQ and poll',
  stack: 'per-skb kernel work',
  copy: 'kernel copies per byte',
  xen: 'hypervisor per operation',
  gcopy: 'hypervisor grant copy per byte',
  pirq: 'physical IRQ',
  switch: 'domain switch and cache refill',
  netfront: 'netfront',
  sender: 'sender host',
  m_align: "BO's misaligned copy",
  l_ext_us: 'TCP_RR client turnaround',
} as const;
export type FittedMultiplier = keyof typeof FITTED_MULTIPLIERS;
export const FITTED_MULTIPLIER_NAMES = Object.keys(FITTED_MULTIPLIERS) as [FittedMultiplier, ...FittedMultiplier[]];

/** `rxlab calibrate --profile`'s defaults: the multipliers the Morris screening ranks highest for the misfits, and the hypervisor copy the fit leans on. */
export const PROFILE_KNOBS: readonly FittedMultiplier[] = ['pirq', 'stack', 'irq_poll', 'copy', 'gcopy', 'sender'];
/** × the committed multiplier: half to double in √2 steps. */
export const PROFILE_GRID: readonly number[] = [0.5, Math.SQRT1_2, 1, Math.SQRT2, 2];
/** The factors a profile probes: each once, ascending, and always the centre (×1), which each side is read against. */
export function profileGrid(factors: readonly number[]): number[] {
  return [...new Set([...factors, 1])].sort((a, b) => a - b);
}
/** Stage C budget per point: 22 generations of 10 (ten free knobs), a refinement from the committed fit, not a fresh search. */
export const PROFILE_EVALS = 220;

/** "pirq (physical IRQ)" for a fitted multiplier, the bare name for anything else. */
export function knobWords(knob: string): string {
  const w = (FITTED_MULTIPLIERS as Record<string, string>)[knob];
  return w === undefined ? knob : `${knob} (${w})`;
}
