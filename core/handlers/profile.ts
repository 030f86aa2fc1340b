/**
 * sim.profile: `rxlab calibrate --profile` for the Compare cell — the calibration objective along
 * each chosen multiplier, held at each grid point × the committed fit while the others are refitted.
 * The runs go to the worker pool with the job's signal (Cancel stops the refit in flight); this
 * thread only steps CMA-ES, a few vectors per generation. On Slurm, each multiplier's profile is
 * one task of a job array (profile-slurm.ts).
 */
import type { Parsed, ProfileOutcome } from '../contract/index.js';
import { profileGrid } from '../contract/multipliers.js';
import { profileObjective } from '../sim/calibrate/profile.js';
import { collectProfile, writeSlurmProfile } from '../sim/calibrate/profile-slurm.js';
import { runMany } from '../sim/pool.js';
import type { RunRequest, RunResult } from '../sim/types.js';
import type { HandlerContext } from './context.js';
import { completeReport, jobFolder, runJobArray, taskNode } from './slurm-job.js';

export async function profileHandler(ctx: HandlerContext, input: Parsed<'sim.profile'>): Promise<ProfileOutcome> {
  if (input.on === 'slurm') return onSlurm(ctx, input);
  const signal = ctx.jobSignal(input.jobId);
  const runner = (reqs: RunRequest[]): Promise<RunResult[]> => runMany<RunRequest, RunResult>('sim', reqs, { signal });
  const points = input.knobs.length * profileGrid(input.grid).length;
  const total = points * input.rounds;
  ctx.progress(input.jobId, 0, total, 'stage B: the calibration’s own starting set');
  let at = { point: 0, knob: '', factor: 1 };
  const report = await profileObjective(runner, {
    knobs: input.knobs,
    grid: input.grid,
    rounds: input.rounds,
    onProgress: (point, _of, knob, factor) => {
      at = { point, knob, factor };
      ctx.progress(input.jobId, (point - 1) * input.rounds, total, `point ${point} of ${points}: ${knob} ×${factor.toFixed(2)}`);
    },
    onEvaluations: (evals, best) =>
      ctx.progress(
        input.jobId,
        (at.point - 1) * input.rounds + Math.min(evals, input.rounds),
        total,
        `point ${at.point} of ${points}: ${at.knob} ×${at.factor.toFixed(2)}, ${Math.min(evals, input.rounds)}/${input.rounds} evaluations, best objective ${best.toFixed(2)}`,
      ),
  });
  // CMA-ES counts whole generations, which need not end on the budget: the bar ends full
  ctx.progress(input.jobId, total, total, `${points} refits done`);
  return report;
}

/** One job-array task per multiplier (as `rxlab calibrate --profile --slurm` writes it), merged in the chosen order. */
async function onSlurm(ctx: HandlerContext, input: Parsed<'sim.profile'>): Promise<ProfileOutcome> {
  const dir = jobFolder(ctx, 'profile');
  const grid = profileGrid(input.grid);
  const { script } = writeSlurmProfile(input.knobs, grid, input.rounds, dir, { sbatch: input.sbatch, node: await taskNode(ctx) });
  const job = await runJobArray(ctx, { jobId: input.jobId, script, resultDir: 'profiles', total: input.knobs.length, noun: 'multipliers' });
  return { ...completeReport(collectProfile(dir), 'profile results', 'multipliers'), slurm: { job, folder: dir, sbatch: input.sbatch } };
}
