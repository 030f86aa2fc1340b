/**
 * `rxlab calibrate --profile [--knobs a,b] [--grid f,f,…]` (profile.ts): the objective along each
 * knob with the others refitted. Writes nothing. Flags are checked by the caller.
 */
import { intFlag, progressLine, UsageError } from '../../cli-args.js';
import type { CliIO } from '../../cli-types.js';
import { printCollected, printWritten, type SlurmFlags } from './task-array-cli.js';
import { PROFILE_EVALS, PROFILE_GRID, PROFILE_KNOBS, profileGrid } from '../../contract/multipliers.js';
import { FIT_KNOBS, type Runner } from './fit.js';
import { formatProfile, profileObjective } from './profile.js';
import { collectProfile, writeSlurmProfile } from './profile-slurm.js';

/** With --slurm, one job-array task per multiplier. */
export interface ProfileFlags extends SlurmFlags {
  knobs?: string;
  grid?: string;
}

function list(v: string | undefined): string[] | undefined {
  return v?.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export async function profileCommand(flags: ProfileFlags, io: CliIO, runner: Runner, rounds: number | undefined): Promise<number> {
  const knobs = list(flags.knobs) ?? [...PROFILE_KNOBS];
  if (knobs.length === 0) throw new UsageError('--knobs: name at least one fitted multiplier');
  for (const k of knobs) if (!FIT_KNOBS.includes(k)) throw new UsageError(`--knobs: "${k}" is not a fitted multiplier (${FIT_KNOBS.join(', ')})`);
  const twice = knobs.find((k, i) => knobs.indexOf(k) !== i);
  if (twice !== undefined) throw new UsageError(`--knobs: "${twice}" is given twice`);
  const grid = list(flags.grid)?.map((g) => {
    const x = Number(g);
    if (!Number.isFinite(x) || x < 0.1 || x > 10) throw new UsageError(`--grid: "${g}" is not a factor between 0.1 and 10`);
    return x;
  }) ?? [...PROFILE_GRID];
  if (new Set(grid).size !== grid.length) throw new UsageError(`--grid: a factor is given twice (${grid.join(',')})`);
  const budget = rounds ?? PROFILE_EVALS;
  if (flags.slurm === true && flags.out !== undefined) {
    const cpus = intFlag('cpus', flags.cpus, 2, 1, 1024);
    const { script, manifest } = writeSlurmProfile(knobs, profileGrid(grid), budget, flags.out, { cpus, sbatch: flags.sbatch ?? [] });
    const n = manifest.knobs.length;
    io.err(`wrote ${n} profile task${n === 1 ? '' : 's'} (one per multiplier): ${script}\n`);
    return printWritten(io, { script, out: flags.out, count: n, noun: 'multipliers', jsonKey: 'tasks', submit: flags.submit, json: flags.json });
  }
  const points = knobs.length * profileGrid(grid).length;
  io.err(`rxlab calibrate --profile: ${knobs.join(', ')} at ×${profileGrid(grid).map((g) => g.toFixed(2)).join(', ×')} of the committed fit; ${points} refits of ${budget} evaluations each\n`);
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
  return printCollected(io, collectProfile(dir), 'multipliers', formatProfile, json);
}
