/**
 * What `rxlab calibrate --cross-validate/--profile --slurm` and `--collect` print, for either kind of
 * calibration task array (task-folder.ts): the written script, submitted or with how to submit it,
 * and the finished results merged, with what is missing or damaged.
 */
import type { CliIO } from '../../cli-types.js';
import { submit } from '../../sweep/slurm.js';

/** --slurm --out DIR [--submit] [--cpus N] [--sbatch=LINE]: write (and submit) a task array instead of running. */
export interface SlurmFlags {
  slurm?: boolean;
  out?: string;
  submit?: boolean;
  cpus?: string;
  sbatch?: string[];
  json?: boolean;
}

/** After the task folder is written: submits it (--submit) or says how; `count` tasks, each one `noun` (plural). */
export function printWritten(io: CliIO, a: { script: string; out: string; count: number; noun: string; jsonKey: string; submit?: boolean | undefined; json?: boolean | undefined }): number {
  if (a.submit === true) {
    const id = submit(a.script);
    io.out(a.json === true ? `${JSON.stringify({ script: a.script, [a.jsonKey]: a.count, jobId: id })}\n` : `submitted job array ${id} (${a.count} ${a.noun}); collect with: rxlab calibrate --collect ${a.out}\n`);
  } else {
    io.out(a.json === true ? `${JSON.stringify({ script: a.script, [a.jsonKey]: a.count })}\n` : `submit with: sbatch ${a.script}\nthen: rxlab calibrate --collect ${a.out}\n`);
  }
  return 0;
}

export interface Collected<R> {
  dir: string;
  report: R | null;
  finished: number;
  total: number;
  missing: number[];
  invalid: { file: string; why: string }[];
}

/** The merged report of the finished tasks; exit 3 while some are unfinished or damaged (run it again later). */
export function printCollected<R>(io: CliIO, c: Collected<R>, noun: string, format: (r: R) => string, json: boolean): number {
  for (const i of c.invalid) io.err(`warning: ${i.file}: ignored (${i.why})\n`);
  io.err(`collected ${c.dir}: ${c.finished} of ${c.total} ${noun} finished${c.missing.length ? `, ${c.missing.length} not yet (${c.missing.join(', ')})` : ''}${c.invalid.length ? `, ${c.invalid.length} invalid` : ''}\n`);
  if (json) io.out(`${JSON.stringify(c.report, null, 2)}\n`);
  else if (c.report !== null) io.out(`${format(c.report)}\n`);
  return c.missing.length > 0 || c.invalid.length > 0 ? 3 : 0;
}
