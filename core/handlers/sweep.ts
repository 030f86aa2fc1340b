/** sweep.run: a grid over one or two knobs × seeds, served from the store where possible (core/sweep). */
import type { KnobAxisSpec, Parsed, SweepOutcome } from '../contract/index.js';
import { PARAM_SPEC_BY_NAME } from '../sim/params.js';
import { realBackend } from '../sweep/backend.js';
import { runSweep } from '../sweep/engine.js';
import type { HandlerContext } from './context.js';
import { requireParameterSet } from '../sweep/paramsets.js';
import type { SweepSpec } from '../sweep/types.js';
import { sweepOnSlurm } from './sweep-slurm.js';
import { saveBatch } from './sim-store.js';

export async function sweepHandler(ctx: HandlerContext, input: Parsed<'sweep.run'>): Promise<SweepOutcome> {
  let parameterSet: Record<string, string | number | boolean> | undefined;
  if (input.parameterSet !== undefined) {
    parameterSet = requireParameterSet(ctx.db, input.parameterSet).params;
  }
  const spec: SweepSpec = { system: input.system, workload: input.workload, set: input.set, vary: input.vary, seeds: input.seeds, ...(parameterSet ? { parameterSet } : {}) };
  // On Slurm the missing runs are simulated there and collected into the store; the sweep below then finds them all.
  const slurm = input.on === 'slurm' ? await sweepOnSlurm(ctx, input, spec) : undefined;
  const signal = ctx.jobSignal(input.jobId);
  const r = await runSweep(
    ctx.db,
    realBackend(),
    spec,
    {
      signal,
      // a traced sweep's batches are large: saved in the store worker (sim-store.ts)
      save: saveBatch(ctx, signal),
      // runs done, within runs as well (fractional), so a sweep of long runs moves its bar
      onRunProgress: (runs, total) => ctx.progress(input.jobId, runs, total),
      ...(input.parameterSet !== undefined ? { label: `sweep · parameter set ${input.parameterSet}` } : {}),
    },
  );
  return {
    system: r.system,
    workload: r.workload,
    vary: r.vary,
    seeds: r.seeds,
    points: r.points.map((p) => ({ values: p.values, runIds: p.runIds, metrics: p.metrics })),
    cachedRuns: r.cachedRuns,
    modelVersion: r.modelVersion,
    varySpecs: varySpecs(r.vary),
    ...(slurm === undefined ? {} : { slurm }),
  };
}

/** The varied knobs' units and meanings, from the model's own specs, for the chart's axis titles. */
function varySpecs(vary: readonly string[]): Record<string, KnobAxisSpec> {
  const out: Record<string, KnobAxisSpec> = {};
  for (const key of vary) {
    const spec = PARAM_SPEC_BY_NAME.get(key);
    if (spec) out[key] = { unit: spec.unit, doc: spec.doc, ...(spec.short === undefined ? {} : { short: spec.short }) };
  }
  return out;
}
