/**
 * Profiles of the calibration objective (model-notes §6: "profile likelihoods for the 5–6 most
 * influential costs"). One fitted multiplier is held at each point of a grid around the committed
 * fit while stage C refits all the others, starting from the committed fit, in the calibration's own
 * frame: the same stage-B set, prior, objective and seeds. A profile that rises on both sides says
 * the tables pin that knob; a flat side says other knobs can stand in for it; a point below the
 * centre says the committed fit is not at the optimum along it.
 */
import type { ProfileOutcome } from '../../contract/index.js';
import { PROFILE_EVALS, PROFILE_GRID, PROFILE_KNOBS, profileGrid } from '../../contract/multipliers.js';
import { PAPER } from '../../reference/paper.js';
import calibrated from '../calibrated-params.json' with { type: 'json' };
import { MODEL_VERSION } from '../version.js';
import { FIT_KNOBS, fitParameters, type Runner } from './fit.js';
import { MISFIT_PENALTY, stageB } from './run-calibration.js';
import { cellLabel } from './sensitivity.js';

/** A side rising by less than this (one misfit's penalty) is flat. */
const FLAT = MISFIT_PENALTY;

/**
 * The committed fit's stage-C multipliers (× its stage-B set), by FIT_KNOBS name. Read here, not in
 * systems.ts: that module is part of the model version's hash.
 */
export function calibratedMultipliers(): Record<string, number> {
  return { ...(calibrated.multipliers as Record<string, number>) };
}

// The report's shape is the contract's (sim.profile answers with it), written once there.
export type ProfileReport = ProfileOutcome;
export type KnobProfile = ProfileOutcome['profiles'][number];
/** One refit: `objective` is on the confirm seeds (the calibration's own objective: comparable across points). */
export type ProfilePoint = KnobProfile['points'][number];

export interface ProfileOptions {
  knobs?: readonly string[];
  grid?: readonly number[];
  rounds?: number;
  onProgress?: (point: number, points: number, knob: string, factor: number) => void;
  /** Within a point: stage C's evaluations so far and the best objective (whole generations). */
  onEvaluations?: (evals: number, best: number) => void;
}

function fmtFactor(g: number): string {
  return `×${g.toFixed(2)}`;
}

/** Reads a profile: pinned, flat on a side, or better away from the committed fit. */
export function verdict(knob: string, points: ProfilePoint[]): string {
  const centre = points.find((p) => p.factor === 1);
  if (centre === undefined || points.length < 2) return 'no centre point to compare with';
  const best = points.reduce((a, b) => (b.objective < a.objective ? b : a));
  if (best.factor !== 1 && best.objective < centre.objective - FLAT) {
    return `lower at ${fmtFactor(best.factor)} (${best.objective.toFixed(1)} against ${centre.objective.toFixed(1)}, ${best.within_tolerance} cells inside): the committed fit is not at the optimum along ${knob}`;
  }
  const lo = points.filter((p) => p.factor < 1);
  const hi = points.filter((p) => p.factor > 1);
  const rise = (side: ProfilePoint[]): number => Math.max(...side.map((p) => p.objective)) - centre.objective;
  const sides = [
    { name: 'down', at: 'the low end', points: lo },
    { name: 'up', at: 'the high end', points: hi },
  ].filter((x) => x.points.length > 0);
  const said = sides.map((x) => ({ ...x, rise: rise(x.points) }));
  const flat = said.filter((x) => x.rise < FLAT);
  const pinned = said.filter((x) => x.rise >= FLAT);
  const only = sides.length === 1 ? ` (only ${sides[0]?.name === 'down' ? 'below' : 'above'} the fit probed)` : '';
  if (flat.length === 0) return `pinned: the objective rises by ${said.map((x) => `${x.rise.toFixed(1)} at ${x.at}`).join(' and ')}${only}`;
  if (pinned.length === 0) return `flat over the grid (rises ${said.map((x) => x.rise.toFixed(1)).join(' and ')}): the other multipliers stand in for ${knob}${only}`;
  return `flat ${flat[0]?.name} (rises ${flat[0]?.rise.toFixed(1)}), pinned ${pinned[0]?.name} (rises ${pinned[0]?.rise.toFixed(1)})`;
}

export async function profileObjective(runner: Runner, opts: ProfileOptions = {}): Promise<ProfileReport> {
  const knobs = opts.knobs ?? PROFILE_KNOBS;
  for (const k of knobs) if (!FIT_KNOBS.includes(k)) throw new Error(`unknown fitted multiplier "${k}" (one of ${FIT_KNOBS.join(', ')})`);
  const grid = profileGrid(opts.grid ?? PROFILE_GRID);
  const rounds = opts.rounds ?? PROFILE_EVALS;
  const committed = calibratedMultipliers();
  const b = await stageB(PAPER, runner);
  const total = knobs.length * grid.length;
  let n = 0;
  let seeds: number[] = [];
  const profiles: KnobProfile[] = [];
  for (const knob of knobs) {
    const points: ProfilePoint[] = [];
    for (const g of grid) {
      opts.onProgress?.(++n, total, knob, g);
      const m = (committed[knob] ?? 1) * g;
      const fit = await fitParameters(PAPER, {
        method: 'cma-es',
        misfitPenalty: MISFIT_PENALTY,
        maxEvals: rounds,
        base: b.params,
        start: committed,
        fixed: { [knob]: m },
        includeStart: true,
        step: 0.05,
        runner,
        ...(opts.onEvaluations === undefined ? {} : { onProgress: opts.onEvaluations }),
      });
      seeds = fit.report.confirm_seeds ?? fit.report.seeds;
      const cells = fit.report.cells;
      points.push({
        factor: g,
        multiplier: m,
        objective: fit.report.objective,
        within_tolerance: cells.filter((c) => c.within_tolerance).length,
        cells: cells.length,
        misfits: cells.filter((c) => !c.within_tolerance).map(cellLabel),
      });
    }
    profiles.push({ knob, points, verdict: verdict(knob, points) });
  }
  return { model_version: MODEL_VERSION, rounds, seeds, flat_within: FLAT, profiles };
}

export function formatProfile(r: ProfileReport): string {
  const grid = r.profiles[0]?.points.map((p) => p.factor) ?? [];
  const lines = [
    `rxlab calibrate --profile — model ${r.model_version}`,
    `Each point holds one multiplier at × the committed fit's value and refits the other ${FIT_KNOBS.length - 1} (stage C, ${r.rounds} evaluations from the committed fit).`,
    `Objective (the calibration's: lower is better) and cells within tolerance, on seeds ${r.seeds.join(', ')}.`,
    '',
  ];
  const w = 14;
  const head = `${'knob'.padEnd(10)}${grid.map((g) => fmtFactor(g).padStart(w)).join('')}`;
  lines.push(head, '-'.repeat(head.length));
  for (const p of r.profiles) {
    lines.push(`${p.knob.padEnd(10)}${p.points.map((q) => `${q.objective.toFixed(1)} (${q.within_tolerance})`.padStart(w)).join('')}`);
  }
  lines.push('');
  for (const p of r.profiles) lines.push(`${p.knob}: ${p.verdict}`);
  return lines.join('\n');
}
