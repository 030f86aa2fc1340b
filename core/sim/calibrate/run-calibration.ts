/**
 * `rxlab calibrate`: fit the shared parameter set to the paper's Tables IV–VII, starting from the
 * priors (so re-running gives the same answer), and write core/sim/calibrated-params.json (plus the
 * copy next to the compiled module, so the presets use it without a rebuild).
 *
 * Two stages (model-notes §6):
 *   B. open loop — at the event counts of the start point, the domain costs (everything Table V
 *      sees) are set to the implied costs (calibrate/implied.ts: robust least squares in log-cost
 *      space, held to the priors). This is what moves each cost individually; a group multiplier
 *      can only scale a group as a whole.
 *   C. closed loop — separable CMA-ES (cma-es.ts; seeded) over the cost-group multipliers, the
 *      sender, m_align and the TCP_RR client turnaround, from stage B's set, on full simulations of
 *      all five systems; the five best points are re-run on four seeds and the best there is kept.
 *      The hypervisor groups (not seen by Table V) are set here, by throughput and TCP_RR. The
 *      objective is cellObjective plus MISFIT_PENALTY per cell outside tolerance: the smooth loss
 *      alone was flat across fits with 15 to 20 cells inside tolerance (90.2 against 90.3), and the
 *      acceptance criterion is per cell. A Nelder–Mead simplex (rounds 1–5) stopped in the first
 *      basin; a population search steps across the scheduling-regime ridges.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appRoot } from '../../paths.js';
import { PAPER } from '../../reference/paper.js';
import { DEFAULT_PARAMS, PARAM_SPECS, type Params } from '../params.js';
import { MODEL_CODE_VERSION } from '../version.js';
import { targetCells, type TargetTables } from '../compare-tables.js';
import { applyFitVector, FIT_KNOBS, fitParameters, type FitReport, type FitResult, type Runner } from './fit.js';
import { applyImplied, type ImpliedCost } from './implied.js';

/**
 * Start point (× priors) of the two stages, documented so a re-run gives the same answer: the
 * optimum of the earlier group-only fits (round 4). How it was found: round 3's optimum, with the
 * hypervisor group split into per-op (grant-copy op, event channel), per-byte grant copy and
 * physical IRQ, refitted twice (soft-L1, then the dead-zone Cauchy objective of cellObjective), then
 * moved by hand along the sender (+2 %) and TCP_RR client (+0.8 %) directions. Its event counts
 * (packets per poll, aggregates, ACKs, switches) are what stage B prices; its hypervisor groups (grant
 * copy per byte, physical IRQ), well above their priors, are what saturates the core for the
 * Xen-based systems (H-acct) — Table V cannot see them, so only stage C moves them. The objective is
 * rugged where scheduling regimes switch, which a local simplex search cannot cross, hence a
 * deliberate start.
 */
export const START_MULTIPLIERS: Readonly<Record<string, number>> = {
  irq_poll: 0.7482,
  stack: 1.648,
  copy: 0.1837,
  xen: 1.987,
  gcopy: 8.003,
  pirq: 10.77,
  switch: 0.3244,
  netfront: 0.4232,
  sender: 1.029,
  m_align: 4.424,
  l_ext_us: 1.116,
};

export interface CalibrationOutput {
  params: Params;
  report: FitReport;
  text: string;
  written: string[];
}

/** Only the fitted (group-scaled) values and the fitted direct knobs go to the JSON. */
function fittedValues(p: Params): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of PARAM_SPECS) {
    if (s.group !== undefined || s.name === 'm_align' || s.name === 'l_ext_us') {
      out[s.name] = Number((p[s.name] as number).toPrecision(6));
    }
  }
  return out;
}

export function formatFit(report: FitReport): string {
  const lines = [
    `calibration — model ${report.model_version}: objective ${report.objective.toFixed(2)} after ${report.evaluations} evaluations (${report.method ?? 'nelder-mead'}, seeds ${report.seeds.join(', ')}${report.confirm_seeds === undefined ? '' : `, confirmed on ${report.confirm_seeds.join(', ')}`}, ${report.duration_s} s simulated per run)`,
    'multipliers (× prior):',
    ...Object.entries(report.multipliers).map(([k, v]) => `  ${k.padEnd(10)} ${v.toFixed(3)}`),
    `residual per cell${report.confirm_seeds === undefined ? '' : ` (mean of seeds ${report.confirm_seeds.join(', ')})`}:`,
    ...report.cells.map(
      (c) =>
        `  ${c.table.padEnd(4)} ${c.system.padEnd(6)} ${c.metric.padEnd(22)} paper ${String(c.paper).padStart(7)}  fit ${(c.simulated ?? NaN).toFixed(2).padStart(9)}  ${(c.error_pct ?? NaN).toFixed(1).padStart(7)} %${c.within_tolerance ? '' : '  (outside tolerance)'}`,
    ),
  ];
  return lines.join('\n');
}

/** "11–14" for consecutive seeds, else the list. */
function seedRange(seeds: number[]): string {
  const first = seeds[0] ?? 0;
  const consecutive = seeds.length > 1 && seeds.every((v, i) => v === first + i);
  return consecutive ? `${first}–${first + seeds.length - 1}` : seeds.join(', ');
}

/** Seeds of the stage-B ledger runs (the closed-loop fit uses its own, fit.ts). */
const STAGE_B_SEEDS = [11, 12];

/**
 * Objective added per cell outside tolerance: the smooth loss of a cell two tolerances out
 * (9·ln(1 + (1.5/3)²) ≈ 2), so a fit that brings a cell inside wins unless it pushes others far.
 */
export const MISFIT_PENALTY = 2;
/**
 * Stage C's budget (evaluations, whole CMA-ES generations of 11) unless --rounds says otherwise:
 * 726 gave 19 cells inside tolerance, 1452 gave 20 (both on held-out seeds 1–16), 4 min 11–18 s measured here.
 */
export const STAGE_C_EVALS = 1452;

/**
 * Stage B from the documented start point against `target`: the base every stage-C multiplier is
 * relative to (so a profile refits in the calibration's own frame, profile.ts). A target without
 * Table V cells skips it: nothing there constrains the domain costs.
 */
export async function stageB(target: Partial<TargetTables>, runner: Runner): Promise<{ params: Params; implied: ImpliedCost[] }> {
  const start = applyFitVector(
    DEFAULT_PARAMS,
    FIT_KNOBS.map((k) => Math.log(START_MULTIPLIERS[k] ?? 1)),
  );
  return targetCells(target).some((c) => c.table === 'V') ? applyImplied(start, target, runner, STAGE_B_SEEDS) : { params: start, implied: [] };
}

/**
 * Stages B and C against any target (the paper, or the paper less held-out cells for
 * cross-validation, holdout.ts), from the documented start point; writes nothing.
 */
export async function fitFromStart(
  target: Partial<TargetTables>,
  rounds: number | undefined,
  runner: Runner,
  onProgress?: (evals: number, objective: number) => void,
): Promise<{ stageB: ImpliedCost[]; fit: FitResult }> {
  const b = await stageB(target, runner);
  const fit = await fitParameters(target, {
    method: 'cma-es',
    misfitPenalty: MISFIT_PENALTY,
    maxEvals: rounds ?? STAGE_C_EVALS,
    base: b.params,
    runner,
    ...(onProgress === undefined ? {} : { onProgress }),
  });
  return { stageB: b.implied, fit };
}

export async function runCalibration(
  rounds: number | undefined,
  runner: Runner,
  onProgress?: (evals: number, objective: number) => void,
  /** Write here instead of the committed calibrated-params.json (and its compiled copy). */
  outFile?: string,
): Promise<CalibrationOutput> {
  const { stageB, fit: res } = await fitFromStart(PAPER, rounds, runner, onProgress);
  const report = { ...res.report, model_version: MODEL_CODE_VERSION };
  const doc = {
    model_version: MODEL_CODE_VERSION,
    note: `Written by \`rxlab calibrate\` (core/sim/calibrate): stage B set the domain costs to those the paper Table V implies at the start point's event counts; stage C fitted cost-group multipliers over that set by CMA-ES (closed loop, Tables IV–VII; objective: dead-zone Cauchy loss + ${MISFIT_PENALTY} per cell outside tolerance; pick confirmed on seeds ${seedRange(report.confirm_seeds ?? report.seeds)}). Multipliers are relative to the stage-B set.`,
    multipliers: res.report.multipliers,
    stage_b: stageB.map((c) => ({ name: c.name, prior: c.prior, implied: Number(c.implied.toPrecision(6)), constrained: c.constrained })),
    params: fittedValues(res.params),
    report,
  };
  const json = `${JSON.stringify(doc, null, 2)}\n`;
  const here = dirname(fileURLToPath(import.meta.url));
  const targets = new Set<string>();
  if (outFile !== undefined) targets.add(resolve(outFile));
  else {
    targets.add(resolve(here, '..', 'calibrated-params.json'));
    targets.add(join(appRoot(), 'core', 'sim', 'calibrated-params.json'));
  }
  const written: string[] = [];
  for (const t of targets) {
    writeFileSync(t, json);
    written.push(t);
  }
  return { params: res.params, report, text: `${formatFit(report)}\nwrote ${written.join(', ')}`, written };
}
