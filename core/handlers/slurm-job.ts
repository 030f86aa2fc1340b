/**
 * A Slurm job array submitted for a notebook job (a sweep's runs, cross-validation's folds): sbatch,
 * then the finished result files counted as they land (progress), scancel on Cancel, and a plain
 * error naming the first task log when the job leaves the queue with results missing. Slurm's
 * commands run asynchronously, never blocking the thread that serves the API.
 */
import { execFile } from 'node:child_process';
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { CancelledError, type HandlerContext } from './context.js';

const run = promisify(execFile);
/** How often the folder and the queue are looked at. */
const POLL_MS = 1000;

export interface SlurmAvailability {
  sbatch: string | null;
  squeue: string | null;
  scancel: string | null;
}

/** A command's path on PATH, or null; asked without blocking (`command -v` in a shell). */
async function onPath(cmd: string): Promise<string | null> {
  const r = await run('sh', ['-c', `command -v ${cmd}`]).catch(() => ({ stdout: '' }));
  return r.stdout.trim() || null;
}

export async function slurmAvailability(): Promise<SlurmAvailability> {
  const [sbatch, squeue, scancel] = await Promise.all(['sbatch', 'squeue', 'scancel'].map(onPath));
  return { sbatch: sbatch ?? null, squeue: squeue ?? null, scancel: scancel ?? null };
}

/** A new job folder beside the store: DB_DIR/slurm/KIND-TIME-PID. */
export function jobFolder(ctx: HandlerContext, kind: string): string {
  return join(dirname(ctx.dbPath), 'slurm', `${kind}-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
}

/** The node the tasks run: in Electron, process.execPath is the app, not Node, so the cluster's node. */
export async function taskNode(ctx: HandlerContext): Promise<string> {
  return ctx.host === 'electron' ? ((await onPath('node')) ?? 'node') : process.execPath;
}

function finished(dir: string, resultDir: string): number {
  const d = join(dir, resultDir);
  return existsSync(d) ? readdirSync(d).filter((f) => /^\d+\.json$/.test(f)).length : 0;
}

/** The first lines of the tasks' logs that say what went wrong, for the error message. */
function firstTaskError(dir: string): string {
  const logs = join(dir, 'logs');
  if (!existsSync(logs)) return '';
  for (const f of readdirSync(logs).sort()) {
    const text = tail(join(logs, f)).trim();
    // the last lines: where a task says why it stopped (a long fit's progress comes before)
    if (text !== '') return ` First task log (logs/${f}): ${text.split('\n').slice(-3).join(' | ').slice(0, 400)}`;
  }
  return '';
}

/** The last few KB of a file (a long task's log grows with its progress lines). */
function tail(file: string, bytes = 4096): string {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(bytes, size));
    readSync(fd, buf, 0, buf.length, size - buf.length);
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Waits ms, or less when `signal` aborts. The abort listener goes when the timer fires: left there, a
 * poll loop added one per second for as long as a Slurm job ran (28,800 over eight hours).
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((res) => {
    const onAbort = (): void => {
      clearTimeout(t);
      res();
    };
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      res();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export interface JobArrayRun {
  jobId: string | undefined;
  /** The written job script (its folder holds resultDir/ and logs/). */
  script: string;
  resultDir: string;
  total: number;
  /** What each task yields, plural: "runs", "folds". */
  noun: string;
  /** Called when the job left the queue with results missing, before the error is thrown (keep what finished). */
  onIncomplete?: () => Promise<unknown>;
  /** What the tasks say meanwhile (e.g. the fit's latest evaluation), added to the progress line. */
  detail?: () => string | null;
}

/** The last line the tasks wrote to their logs (stderr), e.g. "calibrate: evaluation 40, objective 12.31". */
export function lastLogLine(dir: string): string | null {
  try {
    const logs = join(dir, 'logs');
    if (!existsSync(logs)) return null;
    const last = readdirSync(logs).sort().at(-1);
    if (last === undefined) return null;
    return tail(join(logs, last)).trimEnd().split('\n').at(-1)?.slice(0, 200) || null;
  } catch {
    return null; // a log that vanished or cannot be read only costs the progress line its detail
  }
}

/** Submits the job array and resolves, with its Slurm job id, once every task's result file is there. */
export async function runJobArray(ctx: HandlerContext, a: JobArrayRun): Promise<string> {
  const have = await slurmAvailability();
  if (have.sbatch === null || have.squeue === null) {
    throw new Error('Slurm is not available here: sbatch and squeue are not on PATH (set SLURM_CONF for a cluster this machine can submit to, or run it on this machine)');
  }
  const dir = dirname(a.script);
  const signal = ctx.jobSignal(a.jobId);
  let job: string;
  try {
    job = (await run(have.sbatch, ['--parsable', a.script], { cwd: dir })).stdout.trim().split(';')[0] ?? '';
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`sbatch refused the job: ${(err.stderr ?? '').trim() || err.message} (script: ${a.script})`);
  }
  if (!/^\d+$/.test(job)) throw new Error(`sbatch printed no job id for ${a.script}`);
  const say = (n: number, what = 'finished'): void => {
    const more = n < a.total ? a.detail?.() : null;
    ctx.progress(a.jobId, n, a.total, `Slurm job ${job}: ${n} of ${a.total} ${a.noun} ${what} (folder ${dir})${more ? `; ${more}` : ''}`);
  };
  for (;;) {
    if (signal.aborted) {
      if (have.scancel !== null) await run(have.scancel, [job]).catch(() => undefined);
      throw new CancelledError();
    }
    const n = finished(dir, a.resultDir);
    say(n);
    if (n >= a.total) break;
    const q = await run(have.squeue, ['-h', '-j', job]).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
    const done = finished(dir, a.resultDir);
    if (q.stdout.trim() === '' && done < a.total) {
      // what it keeps is a bonus: its own failure must not hide why the job failed
      await a.onIncomplete?.().catch(() => undefined);
      throw new Error(`Slurm job ${job} ended with ${a.total - done} of ${a.total} ${a.noun} missing; the ${done} finished are kept.${firstTaskError(dir)} Folder: ${dir}`);
    }
    await sleep(POLL_MS, signal);
  }
  say(a.total, 'finished; reading them');
  return job;
}

/**
 * The merged report of a finished calibration task array, or what stops it: the first result that
 * could not be read, or the tasks with none (`results` e.g. "fold results", `tasks` e.g. "folds").
 */
export function completeReport<R>(
  c: { dir: string; report: R | null; total: number; missing: number[]; invalid: { file: string; why: string }[] },
  results: string,
  tasks: string,
): R {
  const bad = c.invalid[0];
  if (bad !== undefined) throw new Error(`${c.invalid.length} of ${c.total} ${results} could not be read (${bad.file}: ${bad.why})`);
  if (c.report === null || c.missing.length > 0) throw new Error(`${tasks} ${c.missing.join(', ')} have no result in ${c.dir}`);
  return c.report;
}
