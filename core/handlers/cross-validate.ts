/**
 * sim.crossValidate: `rxlab calibrate --cross-validate` for the Compare cell — the paper calibration
 * re-run once per fold without that fold's cells, and every cell predicted by the fit that never saw
 * it. The runs go to the worker pool with the job's signal (Cancel stops the fold in flight); this
 * thread only steps CMA-ES, a few vectors per generation.
 */
import type { CrossValidationOutcome, Parsed } from '../contract/index.js';
import { crossValidate, foldsFor } from '../sim/calibrate/holdout.js';
import { runMany } from '../sim/pool.js';
import type { RunRequest, RunResult } from '../sim/types.js';
import type { HandlerContext } from './context.js';

export async function crossValidateHandler(ctx: HandlerContext, input: Parsed<'sim.crossValidate'>): Promise<CrossValidationOutcome> {
  const signal = ctx.jobSignal(input.jobId);
  const runner = (reqs: RunRequest[]): Promise<RunResult[]> => runMany<RunRequest, RunResult>('sim', reqs, { signal });
  const folds = foldsFor(input.folds);
  ctx.progress(input.jobId, 0, folds.length * input.rounds, 'the committed calibration on the evaluation seeds');
  return crossValidate(
    folds,
    runner,
    {
      rounds: input.rounds,
      seeds: Array.from({ length: input.seeds }, (_, i) => i + 1),
      onProgress: (fold, of, name, evals, total, best) =>
        ctx.progress(input.jobId, (fold - 1) * total + evals, of * total, `fold ${fold} of ${of} (without ${name}): ${evals}/${total} evaluations, best objective ${best.toFixed(2)}`),
    },
    input.folds,
  );
}
