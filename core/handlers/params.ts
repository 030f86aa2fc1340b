/**
 * params.calibrate: the Compare cell's "Fit the model to these measurements". The measured tables of
 * each system's logs are derived in the worker pool (measured-task.ts), the closed-loop fit runs its
 * simulations there too (this thread only steps the minimiser), and the fitted set is saved by name
 * for Simulation and Sweep cells to start from. Cancellable: the runner stops at the next batch.
 */
import type { FitCell, Parsed, ParamsCalibration } from '../contract/index.js';
import { FIT_KNOBS, type Runner } from '../sim/calibrate/fit.js';
import type { Cell } from '../sim/compare-tables.js';
import { runMany } from '../sim/pool.js';
import { calibrateToTables, type CalibrationToLogs } from '../sweep/calibrate.js';
import { collectFit, writeSlurmFit, type SourceWithTables } from '../sweep/calibrate-slurm.js';
import { getParameterSet } from '../sweep/paramsets.js';
import { jobFolder, lastLogLine, runJobArray, taskNode } from './slurm-job.js';
import type { HandlerContext } from './context.js';
import { measuredTablesOffThread } from './measured.js';

const fitCell = (c: Cell): FitCell => ({
  table: c.table,
  system: c.system,
  metric: c.metric,
  target: c.paper, // compare-tables calls the target "paper"; here it is your measurement
  simulated: c.simulated,
  errorPct: c.error_pct,
  withinTolerance: c.within_tolerance,
});

export async function calibrateHandler(ctx: HandlerContext, input: Parsed<'params.calibrate'>): Promise<ParamsCalibration> {
  const signal = ctx.jobSignal(input.jobId);
  ctx.progress(input.jobId, 0, input.maxEvals, 'measured tables of your logs');
  const sources = await Promise.all(
    input.sources.map(async (s) => ({ system: s.system, fileIds: s.fileIds, tables: await measuredTablesOffThread(ctx.dbPath, s.fileIds, { system: s.system }, { signal }) })),
  );
  if (input.on === 'slurm') return fitOnSlurm(ctx, input, sources);
  // Progress per batch of simulations: stage B's, one per evaluation of the fit, the final check of
  // the best point, and the "before" column's; each says which it is, and the fit's say the best
  // objective the minimiser has found so far. The minimiser's first simplex takes one evaluation per
  // fitted knob even when the budget is smaller, so the budget shown is at least that.
  const budget = Math.max(input.maxEvals, FIT_KNOBS.length + 1);
  let phase: 'stage-b' | 'search' | 'final' | 'before' = 'search';
  let batches = 0;
  let evaluation = 0;
  let best: number | null = null;
  const runner: Runner = (reqs) => {
    batches++;
    if (phase === 'search') evaluation++;
    const what =
      phase === 'stage-b'
        ? 'stage B: the domain costs your Table V implies'
        : phase === 'search'
          ? `fit: evaluation ${evaluation} (budget ${budget})${best === null ? '' : `, best objective ${best.toFixed(2)}`}`
          : phase === 'final'
            ? `fit: the best point on its own runs (objective ${best === null ? '—' : best.toFixed(2)})`
            : 'the current calibration on the same seeds, for the "before" column';
    ctx.progress(input.jobId, batches, Math.max(budget + 4, batches + 1), what);
    return runMany('sim', reqs, { signal });
  };
  const r = await calibrateToTables(ctx.db, input.name, sources, {
    maxEvals: input.maxEvals,
    replace: input.replace,
    runner,
    onProgress: (_evals, objective) => {
      best = objective;
    },
    onPhase: (p) => {
      phase = p;
    },
  });
  return outcome(r);
}

function outcome(r: CalibrationToLogs): ParamsCalibration {
  return {
    name: r.name,
    before: r.before.map(fitCell),
    after: r.after.map(fitCell),
    groups: r.groups,
    objective: r.objective,
    evaluations: r.evaluations,
    notes: r.notes,
    saved: r.saved ? { name: r.saved.name, modelVersion: r.saved.modelVersion, createdAt: r.saved.createdAt } : null,
    ...(r.saveError ? { saveError: r.saveError } : {}),
  };
}

/**
 * The fit as one Slurm task (calibrate-slurm.ts) on the CPUs it is given; its parameter set is saved
 * here. A name already taken is refused before anything is submitted, not after the fit.
 */
async function fitOnSlurm(ctx: HandlerContext, input: Parsed<'params.calibrate'>, sources: SourceWithTables[]): Promise<ParamsCalibration> {
  if (!input.replace && getParameterSet(ctx.db, input.name) !== undefined) {
    throw new Error(`a parameter set named "${input.name}" exists already (choose another name or replace it); nothing was submitted`);
  }
  const dir = jobFolder(ctx, 'fit');
  const { script } = writeSlurmFit(input.name, sources, input.maxEvals, input.replace, dir, { sbatch: input.sbatch, node: await taskNode(ctx) });
  const job = await runJobArray(ctx, { jobId: input.jobId, script, resultDir: 'fits', total: 1, noun: 'fits', detail: () => lastLogLine(dir) });
  return { ...outcome(collectFit(ctx.db, dir)), slurm: { job, folder: dir, sbatch: input.sbatch } };
}
