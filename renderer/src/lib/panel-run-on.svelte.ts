/**
 * A Compare-cell panel's "Run on" choice (cross-validation, profile, fit): this machine or Slurm with
 * #SBATCH options, reopened as the saved result ran, and the request part it adds. One place for what
 * the three panels kept alike.
 */
import type { SlurmRun } from '../../../core/contract/index.js';
import { parseSbatch } from './runners.js';
import { runOnRequest, savedRunOn } from './slurm-run.js';

export class PanelRunOn {
  on = $state<'local' | 'slurm'>('local');
  sbatch = $state('');
  /** What the request adds: nothing here, { on, sbatch } on Slurm, or the options' error. */
  readonly request = $derived(runOnRequest(this.on, parseSbatch(this.sbatch)));
  /** The options' error, only while Slurm is chosen (then nothing may run). */
  readonly error = $derived('error' in this.request ? this.request.error : null);

  constructor(saved: { slurm?: SlurmRun } | null) {
    const s = savedRunOn(saved);
    this.on = s.on;
    this.sbatch = s.sbatch;
  }

  set(on: 'local' | 'slurm', sbatch: string): void {
    this.on = on;
    this.sbatch = sbatch;
  }
}
