/**
 * `rxlab calibrate --sensitivity`: the local analysis (sensitivity.ts) or, with --morris, the
 * screening (morris.ts), against the paper or the measured tables of imported logs (--measured),
 * around the calibration or a saved parameter set (--params). Flags are checked by the caller.
 */
import { intFlag, numFlag, progressLine, UsageError } from '../../cli-args.js';
import type { CliIO } from '../../cli-types.js';
import { PAPER } from '../../reference/paper.js';
import { openStore } from '../../store/db.js';
import { measuredFor, measuredLabel, targetFromMeasured } from '../../sweep/calibrate.js';
import { measuredFlags } from '../../sweep/commands.js';
import { getParameterSet, parameterSetParams } from '../../sweep/paramsets.js';
import type { TargetTables } from '../compare-tables.js';
import type { Params } from '../params.js';
import { formatMorris, morris } from './morris.js';
import { formatSensitivity, pointRuns, sensitivity } from './sensitivity.js';
import type { Runner } from './fit.js';

export interface SensitivityFlags {
  measured?: string[];
  params?: string;
  morris?: string;
  range?: string;
  json?: boolean;
}

export async function sensitivityCommand(flags: SensitivityFlags, io: CliIO, runner: Runner, seeds: number, stepPct: number): Promise<number> {
  const trajectories = flags.morris === undefined ? undefined : intFlag('morris', flags.morris, 8, 2, 50);
  const range = numFlag('range', flags.range, 2, 1.05, 10);
  const notes: string[] = [];
  let target: Partial<TargetTables> = PAPER;
  let label = 'the paper';
  let base: Params | undefined;
  if (flags.measured !== undefined || flags.params !== undefined) {
    const db = openStore(io.dbPath);
    try {
      if (flags.params !== undefined) {
        const ps = getParameterSet(db, flags.params);
        if (!ps) throw new UsageError(`--params: no parameter set "${flags.params}" (rxlab sweep params lists them)`);
        base = parameterSetParams(ps);
      }
      if (flags.measured !== undefined) {
        const sources = measuredFlags(flags.measured);
        target = targetFromMeasured(sources.map((s) => ({ system: s.system, tables: measuredFor(db, s) })), notes);
        label = measuredLabel(sources.map((s) => s.system));
      }
    } finally {
      db.close();
    }
    for (const n of notes) io.err(`note: ${n}\n`);
  }
  const centre = flags.params === undefined ? {} : { parameterSet: flags.params };
  const seedList = Array.from({ length: seeds }, (_, i) => i + 1);
  const line = progressLine(io, 5);
  const say = (what: string) => (done: number, total: number) => line.say(`  ${what}: ${done}/${total} points (each: ${pointRuns(seeds)})`, done, total);
  if (trajectories !== undefined) {
    const rep = await morris(target, runner, { seeds: seedList, trajectories, range, ...(base ? { base } : {}), onProgress: say('morris') });
    line.end();
    const out = { method: 'morris' as const, ...rep, ...centre, target: label, notes };
    io.out(`${flags.json === true ? JSON.stringify(out, null, 2) : formatMorris(out)}\n`);
    return 0;
  }
  const rep = await sensitivity(target, runner, { seeds: seedList, step: stepPct / 100, ...(base ? { base } : {}), onProgress: say('sensitivity') });
  line.end();
  const out = { method: 'local' as const, ...rep, ...centre, target: label, notes };
  io.out(`${flags.json === true ? JSON.stringify(out, null, 2) : formatSensitivity(out)}\n`);
  return 0;
}
