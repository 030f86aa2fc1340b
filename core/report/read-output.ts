/** Tolerant readers of a cell's stored output (JSON from the store: any shape may arrive). */
export function rec(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
export function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
/** " The fits ran as Slurm job 12 (job folder …)." for a diagnostic that ran on Slurm (its `slurm` field), else ''. */
export function slurmJobNote(v: unknown, what: string): string {
  const s = rec(v);
  const job = str(s['job']);
  return job === undefined ? '' : ` ${what} ran as Slurm job ${job} (job folder ${str(s['folder']) ?? '?'}).`;
}
