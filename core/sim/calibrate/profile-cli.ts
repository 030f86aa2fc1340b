/**
 * `rxlab calibrate --profile [--knobs a,b] [--grid f,f,…]` (profile.ts): the objective along each
 * knob with the others refitted. Writes nothing. Flags are checked by the caller.
 */
import { intFlag, progressLine, UsageError } from '../../cli-args.js';
import type { CliIO } from '../../cli-types.js';
import { PROFILE_EVALS, PROFILE_GRID, PROFILE_KNOBS } from '../../contract/multipliers.js';
import { FIT_KNOBS, type Runner } from './fit.js';
import { submit } from '../../sweep/slurm.js';
import { formatProfile, profileObjective } from './profile.js';
import { collectProfile, writeSlurmProfile } from './profile-slurm.js';

export interface ProfileFlags {
  knobs?: string;
  grid?: string;
  json?: boolean;
  /** --slurm --out DIR [--submit] [--cpus N] [--sbatch=LINE]: one job-array task per multiplier instead. */
  slurm?: boolean;
  out?: string;
  submit?: boolean;
  cpus?: string;
  sbatch?: string[];
}

function list(v: string | undefined): string[] | undefined {
  return v?.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export async function profileCommand(flags: ProfileFlags, io: CliIO, runner: Runner, rounds: number | undefined): Promise<number> {
  const knobs = list(flags.knobs) ?? [...PROFILE_KNOBS];
  if (knobs.length === 0) throw new UsageError('--knobs: name at least one fitted multiplier');
  for (const k of knobs) if (!FIT_KNOBS.includes(k)) throw new UsageError(`--knobs: "${k}" is not a fitted multiplier (${FIT_KNOBS.join(', ')})`);
  const grid = list(flags.grid)?.map((g) => {
    const x = Number(g);
    if (!Number.isFinite(x) || x < 0.1 || x > 10) throw new UsageError(`--grid: "${g}" is not a factor between 0.1 and 10`);
    return x;
  }) ?? [...PROFILE_GRID];
  if (!grid.includes(1)) grid.push(1); // the centre: what each side is measured against
  const budget = rounds ?? PROFILE_EVALS;
  if (flags.slurm === true && flags.out !== undefined) {
    const cpus = intFlag('cpus', flags.cpus, 2, 1, 1024);
    const { script, manifest } = writeSlurmProfile(knobs, [...new Set(grid)].sort((a, b) => a - b), budget, flags.out, { cpus, sbatch: flags.sbatch ?? [] });
    const n = manifest.knobs.length;
    io.err(`wrote ${n} profile task${n === 1 ? '' : 's'} (one per multiplier): ${script}\n`);
    if (flags.submit === true) {
      const id = submit(script);
      io.out(flags.json === true ? `${JSON.stringify({ script, tasks: n, jobId: id })}\n` : `submitted job array ${id} (${n} multipliers); collect with: rxlab calibrate --collect ${flags.out}\n`);
    } else {
      io.out(flags.json === true ? `${JSON.stringify({ script, tasks: n })}\n` : `submit with: sbatch ${script}\nthen: rxlab calibrate --collect ${flags.out}\n`);
    }
    return 0;
  }
  const points = knobs.length * new Set(grid).size;
  io.err(`rxlab calibrate --profile: ${knobs.join(', ')} at ×${[...new Set(grid)].sort((a, b) => a - b).map((g) => g.toFixed(2)).join(', ×')} of the committed fit; ${points} refits of ${budget} evaluations each\n`);
  const line = progressLine(io, points);
  const rep = await profileObjective(runner, {
    knobs,
    grid,
    rounds: budget,
    onProgress: (n, total, knob, g) => line.say(`  point ${n}/${total}: ${knob} ×${g.toFixed(2)}`, n, total),
  });
  line.end();
  io.out(`${flags.json === true ? JSON.stringify(rep, null, 2) : formatProfile(rep)}\n`);
  return 0;
}

/** `rxlab calibrate --collect DIR` for a profile job: the finished multipliers' profiles as one report. */
export function collectProfileCommand(dir: string, json: boolean, io: CliIO): number {
  const c = collectProfile(dir);
  for (const i of c.invalid) io.err(`warning: ${i.file}: ignored (${i.why})\n`);
  io.err(`collected ${c.dir}: ${c.finished} of ${c.total} multipliers finished${c.missing.length ? `, ${c.missing.length} not yet (${c.missing.join(', ')})` : ''}${c.invalid.length ? `, ${c.invalid.length} invalid` : ''}\n`);
  if (json) io.out(`${JSON.stringify(c.report, null, 2)}\n`);
  else if (c.report !== null) io.out(`${formatProfile(c.report)}\n`);
  return c.missing.length > 0 || c.invalid.length > 0 ? 3 : 0;
}
