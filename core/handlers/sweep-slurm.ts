/**
 * sweep.run with `on: 'slurm'`: the runs of the Sweep cell's grid that are not stored yet, as a Slurm
 * job array written as `rxlab sweep --slurm --submit` writes it (core/sweep/slurm.ts) into a folder
 * beside the store, run by slurm-job.ts and collected into the store by a worker; the ordinary sweep then
 * answers from the store without simulating anything.
 */
import type { Parsed } from '../contract/index.js';
import { realBackend } from '../sweep/backend.js';
import { plan } from '../sweep/engine.js';
import { allRequests } from '../sweep/grid.js';
import { writeSlurmSweep } from '../sweep/slurm.js';
import type { SweepSpec } from '../sweep/types.js';
import type { HandlerContext } from './context.js';
import { collectSweepOffThread } from './store-client.js';
import { jobFolder, runJobArray, taskNode } from './slurm-job.js';

/**
 * Submits the grid's missing runs to Slurm and collects them into the store; resolves when every run
 * is stored, with the job that ran them (undefined: all were stored, nothing was submitted).
 */
export async function sweepOnSlurm(ctx: HandlerContext, input: Parsed<'sweep.run'>, spec: SweepSpec): Promise<{ job: string; runs: number; folder: string } | undefined> {
  const backend = realBackend();
  const planned = plan(ctx.db, backend, allRequests(spec).map((r) => r.req));
  const missing = new Set(planned.filter((p) => p.runId === undefined).map((p) => p.key));
  if (missing.size === 0) return undefined; // all stored: nothing to submit
  const dir = jobFolder(ctx, 'sweep');
  const { script, manifest } = writeSlurmSweep(backend, spec, dir, { sbatch: input.sbatch, node: await taskNode(ctx), keep: (key) => missing.has(key), ...(input.parameterSet !== undefined ? { parameterSetName: input.parameterSet } : {}) });
  const job = await runJobArray(ctx, {
    jobId: input.jobId,
    script,
    resultDir: 'points',
    total: manifest.points.length,
    noun: 'runs',
    // the finished runs go to the store; running the cell again submits only the rest
    onIncomplete: () => collectSweepOffThread(ctx.dbPath, dir),
  });
  // a result file per run, parsed and saved in a worker: never on the thread that serves the API
  const report = await collectSweepOffThread(ctx.dbPath, dir);
  if (report.invalid.length > 0) {
    throw new Error(`${report.invalid.length} of ${manifest.points.length} Slurm results could not be read (${report.invalid[0]?.file}: ${report.invalid[0]?.why}); the others are stored`);
  }
  if (report.keyMismatch.length > 0) {
    throw new Error(`${report.keyMismatch.length} of ${manifest.points.length} Slurm results came from another model version or parameters than this build's (${manifest.modelVersion}): the task nodes run another rxlab? They are kept apart, not counted in this sweep`);
  }
  return { job, runs: manifest.points.length, folder: dir };
}
