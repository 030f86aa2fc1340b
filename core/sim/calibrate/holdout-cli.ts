/**
 * `rxlab calibrate --cross-validate` and `--holdout SPEC` (holdout.ts): the calibration re-run
 * without some cells, which are then predicted. Writes nothing. Flags are checked by the caller.
 */
import { progressLine } from '../../cli-args.js';
import type { CliIO } from '../../cli-types.js';
import type { Runner } from './fit.js';
import { crossValidate, foldsFor, formatCrossValidation, parseHoldout, type FoldKind } from './holdout.js';
import { STAGE_C_EVALS } from './run-calibration.js';

export interface HoldoutFlags {
  'cross-validate'?: boolean;
  folds?: string;
  holdout?: string;
  json?: boolean;
}

export async function holdoutCommand(flags: HoldoutFlags, io: CliIO, runner: Runner, seeds: number, rounds: number | undefined): Promise<number> {
  const kind: FoldKind = flags.folds === 'tables' ? 'tables' : 'systems';
  const folds = flags.holdout !== undefined ? [parseHoldout(flags.holdout)] : foldsFor(kind);
  const budget = rounds ?? STAGE_C_EVALS;
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
