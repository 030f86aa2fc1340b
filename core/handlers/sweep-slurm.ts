/**
 * sweep.run with `on: 'slurm'`: the Sweep cell's grid as a Slurm job array, written as
 * `rxlab sweep --slurm --submit` writes it (core/sweep/slurm.ts) into a folder beside the store and
 * submitted with sbatch. The runs finished so far are counted as their files land, Cancel scancels
 * the job, and the finished runs are collected into the store; the ordinary sweep then answers from
 * the store without simulating anything. Slurm's commands run asynchronously, never blocking the
 * thread that serves the API.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Parsed } from '../contract/index.js';
import { realBackend } from '../sweep/backend.js';
import { plan } from '../sweep/engine.js';
import { allRequests } from '../sweep/grid.js';
import { collect, which, writeSlurmSweep } from '../sweep/slurm.js';
import type { SweepSpec } from '../sweep/types.js';
import { CancelledError, type HandlerContext } from './context.js';

const run = promisify(execFile);
/** How often the folder and the queue are looked at. */
const POLL_MS = 1000;

export interface SlurmAvailability {
  sbatch: string | null;
  squeue: string | null;
  scancel: string | null;
}

export function slurmAvailability(): SlurmAvailability {
  return { sbatch: which('sbatch') ?? null, squeue: which('squeue') ?? null, scancel: which('scancel') ?? null };
}

function finished(dir: string): number {
  const d = join(dir, 'points');
  return existsSync(d) ? readdirSync(d).filter((f) => /^\d+\.json$/.test(f)).length : 0;
}

/** The first lines of the tasks' logs that say what went wrong, for the error message. */
function firstTaskError(dir: string): string {
  const logs = join(dir, 'logs');
  if (!existsSync(logs)) return '';
  for (const f of readdirSync(logs).sort()) {
    const text = readFileSync(join(logs, f), 'utf8').trim();
    if (text !== '') return ` First task log (logs/${f}): ${text.split('\n').slice(0, 3).join(' | ').slice(0, 400)}`;
  }
  return '';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((res) => {
    const t = setTimeout(res, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), res()), { once: true });
  });
}

/** Submits the grid's runs to Slurm and collects them into the store; resolves when every run is stored. */
export async function sweepOnSlurm(ctx: HandlerContext, input: Parsed<'sweep.run'>, spec: SweepSpec): Promise<void> {
  if (input.parameterSet !== undefined) {
    throw new Error('a sweep of a saved parameter set runs on this machine only: `rxlab run`, which each Slurm task calls, takes no parameter set');
  }
  const backend = realBackend();
  const planned = plan(ctx.db, backend, allRequests(spec).map((r) => r.req));
  const missing = new Set(planned.filter((p) => p.runId === undefined).map((p) => p.key));
  if (missing.size === 0) return; // all stored: nothing to submit
  const have = slurmAvailability();
  if (have.sbatch === null || have.squeue === null) {
    throw new Error('Slurm is not available here: sbatch and squeue are not on PATH (set SLURM_CONF for a cluster this machine can submit to, or run the sweep on this machine)');
  }
  const signal = ctx.jobSignal(input.jobId);
  const dir = join(dirname(ctx.dbPath), 'slurm', `sweep-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  // In Electron, process.execPath is the app, not Node: the tasks use the cluster's node.
  const node = ctx.host === 'electron' ? (which('node') ?? 'node') : process.execPath;
  const { script, manifest } = writeSlurmSweep(backend, spec, dir, { sbatch: input.sbatch, node, keep: (key) => missing.has(key) });
  const total = manifest.points.length;
  let job: string;
  try {
    const r = await run(have.sbatch, ['--parsable', script], { cwd: dir });
    job = r.stdout.trim().split(';')[0] ?? '';
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`sbatch refused the sweep: ${(err.stderr ?? '').trim() || err.message} (script: ${script})`);
  }
  if (!/^\d+$/.test(job)) throw new Error(`sbatch printed no job id for ${script}`);
  const say = (n: number, what = 'finished'): void => ctx.progress(input.jobId, n, total, `Slurm job ${job}: ${n} of ${total} runs ${what} (folder ${dir})`);
  say(0);
  for (;;) {
    if (signal.aborted) {
      if (have.scancel !== null) await run(have.scancel, [job]).catch(() => undefined);
      throw new CancelledError();
    }
    const n = finished(dir);
    say(n);
    if (n >= total) break;
    const q = await run(have.squeue, ['-h', '-j', job]).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
    if (q.stdout.trim() === '' && finished(dir) < total) {
      // the job left the queue with runs missing (the finished ones are still collected below)
      const done = finished(dir);
      collect(ctx.db, dir);
      throw new Error(`Slurm job ${job} ended with ${total - done} of ${total} runs missing; the ${done} finished ones are stored, and running the cell again submits the rest.${firstTaskError(dir)} Folder: ${dir}`);
    }
    await sleep(POLL_MS, signal);
  }
  say(total, 'finished; storing them');
  const report = collect(ctx.db, dir);
  if (report.invalid.length > 0) {
    throw new Error(`${report.invalid.length} of ${total} Slurm results could not be read (${report.invalid[0]?.file}: ${report.invalid[0]?.why}); the others are stored`);
  }
}
