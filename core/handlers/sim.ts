/**
 * sim.run and sweep.run: simulated points are computed once (cache key) and stored with provenance;
 * large results (traced runs) are saved and read in the store worker (sim-store.ts).
 * sim.reproduce: exactly what `rxlab reproduce --json` prints (core/sim/reproduce.ts), its runs on
 * the worker pool with progress and cancel. sim.sensitivity: handlers/sensitivity.ts; sim.crossValidate: handlers/cross-validate.ts; sim.profile: handlers/profile.ts.
 */
import { runMany } from '../sim/pool.js';
import { reproduce } from '../sim/reproduce.js';
import type { RunRequest, RunResult } from '../sim/types.js';
import { requireParameterSet } from '../sweep/paramsets.js';
import { realBackend } from '../sweep/backend.js';
import { plan, runMissing } from '../sweep/engine.js';
import type { SimRequest } from '../sweep/types.js';
import type { PartialHandlers } from './context.js';
import { sweepHandler } from './sweep.js';
import { slurmAvailability } from './slurm-job.js';
import { calibrateHandler } from './params.js';
import { sensitivityHandler } from './sensitivity.js';
import { crossValidateHandler } from './cross-validate.js';
import { profileHandler } from './profile.js';
import { saveBatch, simRunOutcome } from './sim-store.js';

export const simHandlers: PartialHandlers<'sim.run' | 'sim.reproduce' | 'sim.sensitivity' | 'sim.crossValidate' | 'sim.profile' | 'sweep.run' | 'slurm.status' | 'params.calibrate'> = {
  'sim.run': async (ctx, input) => {
    const backend = realBackend();
    const reqs: SimRequest[] = input.runs.map((r) => {
      const req: SimRequest = { system: r.system, set: r.set, seed: r.seed, workload: r.workload };
      if (r.parameterSet !== undefined) {
        req.parameterSet = requireParameterSet(ctx.db, r.parameterSet).params;
      }
      return req;
    });
    // plan() resolves every request's parameters first, so a bad knob fails before anything runs
    const planned = plan(ctx.db, backend, reqs);
    const cached = planned.filter((p) => p.runId !== undefined).length;
    // the set's name in the label, so the stored-runs browser can find the runs a fitted set gave
    const sets = [...new Set(input.runs.map((r) => r.parameterSet))];
    const label = sets.length === 1 && sets[0] !== undefined ? `simulation · parameter set ${sets[0]}` : 'simulation';
    // runs done, and within the runs in flight (a long run's share of simulated time), as "3.4 / 12 runs"
    const say = (runs: number, total: number): void => ctx.progress(input.jobId, Math.floor(runs), total, `${runs.toFixed(1)} / ${total} runs`);
    const signal = ctx.jobSignal(input.jobId);
    await runMissing(ctx.db, backend, planned, { signal, onRunProgress: say, label, save: saveBatch(ctx, signal) });
    const ids = planned.map((p) => p.runId).filter((id): id is number => id !== undefined);
    return simRunOutcome(ctx, ids, cached);
  },
  'sim.reproduce': async (ctx, input) => {
    const signal = ctx.jobSignal(input.jobId);
    // The CLI's runner, with the job's signal and progress events instead of a terminal counter.
    // Not stored: like the CLI, a reproduction is a fresh check of the model, not notebook data.
    return reproduce(input.seeds, (reqs) =>
      runMany<RunRequest, RunResult>('sim', reqs, {
        signal,
        onProgress: (done, total) => ctx.progress(input.jobId, done, total, 'reproduce'),
      }),
    );
  },
  'sim.sensitivity': sensitivityHandler,
  'sim.crossValidate': crossValidateHandler,
  'sim.profile': profileHandler,
  'sweep.run': sweepHandler,
  'slurm.status': () => slurmAvailability(),
  'params.calibrate': calibrateHandler,
};
