/**
 * sim.sensitivity: `rxlab calibrate --sensitivity [--morris R]` for the Compare cell — which fitted
 * multiplier moves which cell, and what closing each misfit would cost the others (or, with method
 * "morris", the screening over a wide range) — against the paper or
 * against the measured rows of the cell's logs (derived in the worker pool, as for the fit). The
 * runs go to the pool with the job's signal; this thread only does the small linear algebra.
 */
import type { MorrisOutcome, Parsed, SensitivityOutcome } from '../contract/index.js';
import { PAPER } from '../reference/paper.js';
import { morris } from '../sim/calibrate/morris.js';
import { pointRuns, sensitivity } from '../sim/calibrate/sensitivity.js';
import type { TargetTables } from '../sim/compare-tables.js';
import { runMany } from '../sim/pool.js';
import type { RunRequest, RunResult } from '../sim/types.js';
import { measuredLabel, targetFromMeasured } from '../sweep/calibrate.js';
import type { HandlerContext } from './context.js';
import { measuredTablesOffThread } from './measured.js';
import { parameterSetParams, requireParameterSet } from '../sweep/paramsets.js';

export async function sensitivityHandler(ctx: HandlerContext, input: Parsed<'sim.sensitivity'>): Promise<SensitivityOutcome | MorrisOutcome> {
  const signal = ctx.jobSignal(input.jobId);
  const base = input.parameterSet === undefined ? undefined : parameterSetParams(requireParameterSet(ctx.db, input.parameterSet));
  const notes: string[] = [];
  let target: Partial<TargetTables> = PAPER;
  let label = 'the paper';
  if (input.sources !== undefined) {
    ctx.progress(input.jobId, 0, 1, 'measured tables of your logs');
    const sources = await Promise.all(
      input.sources.map(async (s) => ({ system: s.system, tables: await measuredTablesOffThread(ctx.dbPath, s.fileIds, { system: s.system }, { signal }) })),
    );
    target = targetFromMeasured(sources, notes);
    label = measuredLabel(input.sources.map((s) => s.system));
  }
  const centre = input.parameterSet === undefined ? {} : { parameterSet: input.parameterSet };
  const runner = (reqs: RunRequest[]): Promise<RunResult[]> => runMany<RunRequest, RunResult>('sim', reqs, { signal });
  const seeds = Array.from({ length: input.seeds }, (_, i) => i + 1);
  const onProgress = (done: number, total: number): void =>
    ctx.progress(input.jobId, done, total, `point ${done} of ${total} (each: ${pointRuns(input.seeds)})`);
  if (input.method === 'morris') {
    const report = await morris(target, runner, { seeds, trajectories: input.trajectories, range: input.range, onProgress, ...(base ? { base } : {}) });
    return { method: 'morris', ...report, ...centre, target: label, notes };
  }
  const report = await sensitivity(target, runner, { seeds, step: input.stepPct / 100, onProgress, ...(base ? { base } : {}) });
  return { method: 'local', ...report, ...centre, target: label, notes };
}
