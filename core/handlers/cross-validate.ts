/**
 * sim.crossValidate: `rxlab calibrate --cross-validate` for the Compare cell — the paper calibration
 * re-run once per fold without that fold's cells, and every cell predicted by the fit that never saw
 * it. Here, the runs go to the worker pool with the job's signal (Cancel stops the fold in flight);
 * this thread only steps CMA-ES, a few vectors per generation. On Slurm, each fold is one task of a
 * job array (as `rxlab calibrate --cross-validate --slurm` writes it), and the finished folds are
 * merged into the same report.
 */
import type { CrossValidationOutcome, Parsed } from '../contract/index.js';
import { crossValidate, foldsFor } from '../sim/calibrate/holdout.js';
import { collectCrossValidation, writeSlurmCrossValidation } from '../sim/calibrate/holdout-slurm.js';
import { runMany } from '../sim/pool.js';
import type { RunRequest, RunResult } from '../sim/types.js';
import type { HandlerContext } from './context.js';
import { completeReport, jobFolder, runJobArray, taskNode } from './slurm-job.js';

export async function crossValidateHandler(ctx: HandlerContext, input: Parsed<'sim.crossValidate'>): Promise<CrossValidationOutcome> {
  const folds = foldsFor(input.folds);
  if (input.on === 'slurm') return onSlurm(ctx, input);
  const signal = ctx.jobSignal(input.jobId);
  const runner = (reqs: RunRequest[]): Promise<RunResult[]> => runMany<RunRequest, RunResult>('sim', reqs, { signal });
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

async function onSlurm(ctx: HandlerContext, input: Parsed<'sim.crossValidate'>): Promise<CrossValidationOutcome> {
  const folds = foldsFor(input.folds);
  const dir = jobFolder(ctx, 'crossval');
  // one fold per task, each with two CPUs for its own worker pool (as the CLI's default)
  const { script } = writeSlurmCrossValidation(folds, input.folds, dir, { rounds: input.rounds, seeds: input.seeds, sbatch: input.sbatch, node: await taskNode(ctx) });
  const job = await runJobArray(ctx, { jobId: input.jobId, script, resultDir: 'folds', total: folds.length, noun: 'folds' });
  return { ...completeReport(collectCrossValidation(dir), 'fold results', 'folds'), slurm: { job, folder: dir, sbatch: input.sbatch } };
}
