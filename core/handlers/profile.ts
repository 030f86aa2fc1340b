/**
 * sim.profile: `rxlab calibrate --profile` for the Compare cell — the calibration objective along
 * each chosen multiplier, held at each grid point × the committed fit while the others are refitted.
 * The runs go to the worker pool with the job's signal (Cancel stops the refit in flight); this
 * thread only steps CMA-ES, a few vectors per generation.
 */
import type { Parsed, ProfileOutcome } from '../contract/index.js';
import { profileObjective } from '../sim/calibrate/profile.js';
import { runMany } from '../sim/pool.js';
import type { RunRequest, RunResult } from '../sim/types.js';
import type { HandlerContext } from './context.js';

export async function profileHandler(ctx: HandlerContext, input: Parsed<'sim.profile'>): Promise<ProfileOutcome> {
  const signal = ctx.jobSignal(input.jobId);
  const runner = (reqs: RunRequest[]): Promise<RunResult[]> => runMany<RunRequest, RunResult>('sim', reqs, { signal });
  const points = input.knobs.length * new Set([...input.grid, 1]).size;
  const total = points * input.rounds;
  ctx.progress(input.jobId, 0, total, 'stage B: the calibration’s own starting set');
  let at = { point: 0, knob: '', factor: 1 };
  return profileObjective(runner, {
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
}
