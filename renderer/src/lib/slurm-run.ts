/**
 * A Compare-cell diagnostic that ran on Slurm keeps its job in the saved result: the panel opens with
 * "Run on: Slurm" and the same #SBATCH options again, and says which job and folder computed it.
 * Read leniently: a saved output may predate the field or be damaged.
 */
import type { SlurmRun } from '../../../core/contract/index.js';

function slurmOf(saved: { slurm?: SlurmRun } | null): SlurmRun | null {
  const raw: unknown = saved?.slurm;
  const s = raw !== null && typeof raw === 'object' ? (raw as Partial<SlurmRun>) : undefined;
  return s !== undefined && typeof s.job === 'string' && typeof s.folder === 'string' ? { job: s.job, folder: s.folder, sbatch: Array.isArray(s.sbatch) ? s.sbatch.filter((x) => typeof x === 'string') : [] } : null;
}

/** Where a panel's next run goes: where the saved result ran, with its options. */
export function savedRunOn(saved: { slurm?: SlurmRun } | null): { on: 'local' | 'slurm'; sbatch: string } {
  const s = slurmOf(saved);
  return s === null ? { on: 'local', sbatch: '' } : { on: 'slurm', sbatch: s.sbatch.join(' ') };
}

/** " Computed by Slurm job 12 (folder …)." or '' for a result computed here. */
export function slurmNote(saved: { slurm?: SlurmRun } | null, verb = 'Computed'): string {
  const s = slurmOf(saved);
  return s === null ? '' : ` ${verb} by Slurm job ${s.job} (folder ${s.folder}${s.sbatch.length > 0 ? `; ${s.sbatch.join(' ')}` : ''}).`;
}

/**
 * A panel request's "Run on" part: nothing for this machine, { on, sbatch } for Slurm, or the
 * options' error. Options left in the field from an earlier Slurm choice do not stop a local run.
 */
export function runOnRequest(on: 'local' | 'slurm', sbatch: string[] | { error: string }): { on?: 'slurm'; sbatch?: string[] } | { error: string } {
  if (on === 'local') return {};
  return 'error' in sbatch ? sbatch : { on, sbatch };
}
