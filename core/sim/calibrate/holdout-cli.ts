/**
 * `rxlab calibrate --cross-validate` and `--holdout SPEC` (holdout.ts): the calibration re-run
 * without some cells, which are then predicted. Writes nothing. Flags are checked by the caller.
 */
import { intFlag, progressLine } from '../../cli-args.js';
import type { CliIO } from '../../cli-types.js';
import { printCollected, printWritten, type SlurmFlags } from './task-array-cli.js';
import type { Runner } from './fit.js';
import { crossValidate, foldsFor, formatCrossValidation, parseHoldout, type FoldKind } from './holdout.js';
import { collectCrossValidation, writeSlurmCrossValidation } from './holdout-slurm.js';
import { STAGE_C_EVALS } from './run-calibration.js';

export interface HoldoutFlags extends SlurmFlags {
  'cross-validate'?: boolean;
  folds?: string;
  holdout?: string;
}

export async function holdoutCommand(flags: HoldoutFlags, io: CliIO, runner: Runner, seeds: number, rounds: number | undefined): Promise<number> {
  const kind: FoldKind = flags.folds === 'tables' ? 'tables' : 'systems';
  const folds = flags.holdout !== undefined ? [parseHoldout(flags.holdout)] : foldsFor(kind);
  const budget = rounds ?? STAGE_C_EVALS;
  if (flags.slurm === true && flags.out !== undefined) {
    const cpus = intFlag('cpus', flags.cpus, 2, 1, 1024);
    const { script, manifest } = writeSlurmCrossValidation(folds, flags.holdout ?? kind, flags.out, { rounds: budget, seeds, cpus, sbatch: flags.sbatch ?? [] });
    io.err(`wrote ${manifest.folds.length} fold task${manifest.folds.length === 1 ? '' : 's'}: ${script}\n`);
    return printWritten(io, { script, out: flags.out, count: manifest.folds.length, noun: 'folds', jsonKey: 'folds', submit: flags.submit, json: flags.json });
  }
  io.err(`rxlab calibrate: ${folds.length} fold${folds.length === 1 ? '' : 's'} (${folds.map((f) => `without ${f.name}`).join('; ')}), each stage B then stage C (CMA-ES, ${budget} evaluations); the committed calibration and every fold's fit are then run on seed${seeds === 1 ? ' 1' : `s 1–${seeds}`}\n`);
  // One progress line per fold: each counts its own evaluations from zero.
  let line = progressLine(io, 5);
  let current = 0;
  const rep = await crossValidate(
    folds,
    runner,
    {
      rounds: budget,
      seeds: Array.from({ length: seeds }, (_, i) => i + 1),
      onProgress: (fold, of, name, evals, total, best) => {
        if (fold !== current) {
          if (current !== 0) {
            line.end();
            line = progressLine(io, 5);
          }
          current = fold;
        }
        line.say(`  fold ${fold}/${of} (without ${name}): ${evals}/${total} evaluations, best objective ${best.toFixed(2)}`, evals, total);
      },
    },
    flags.holdout ?? kind,
  );
  line.end();
  io.out(`${flags.json === true ? JSON.stringify(rep, null, 2) : formatCrossValidation(rep)}\n`);
  return 0;
}

/** `rxlab calibrate --collect DIR`: the finished folds of a Slurm cross-validation, merged. */
export function collectCommand(dir: string, json: boolean, io: CliIO): number {
  return printCollected(io, collectCrossValidation(dir), 'folds', formatCrossValidation, json);
}
