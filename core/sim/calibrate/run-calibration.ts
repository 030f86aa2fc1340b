/**
 * `rxlab calibrate`: fit the shared parameter set to the paper's Tables IV–VII, starting from the
 * priors (so re-running gives the same answer), and write core/sim/calibrated-params.json (plus the
 * copy next to the compiled module, so the presets use it without a rebuild).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appRoot } from '../../paths.js';
import { PAPER } from '../../reference/paper.js';
import { DEFAULT_PARAMS, PARAM_SPECS, type Params } from '../params.js';
import { MODEL_VERSION } from '../version.js';
import { fitParameters, type FitReport, type Runner } from './fit.js';

/**
 * Starting point of the simplex (round 4), documented so a re-run gives the same answer. How it was
 * found: round 3's optimum, with the hypervisor group split into per-op (grant-copy op, event
 * channel), per-byte grant copy and physical IRQ, refitted twice (first with the soft-L1 objective,
 * then with the dead-zone Cauchy objective of cellObjective); that optimum was then moved by hand
 * along the sender (+2 %) and TCP_RR client (+0.8 %) directions, where the objective is nearly flat
 * but Linux/DA throughput and the RR cells sit near their tolerance edges. Why these values: with
 * dom0 scheduled first, the hypervisor groups (grant copy per byte, physical IRQ) must sit well above
 * their priors for the Xen-based systems to saturate the core (H-acct) while the per-domain kernel
 * groups sit near or below theirs; the sender group sets the external cap native Linux runs into.
 * The objective is rugged where scheduling regimes switch, which a local simplex search cannot
 * cross, hence a deliberate start.
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
    `calibration — model ${report.model_version}: objective ${report.objective.toFixed(2)} after ${report.evaluations} evaluations (seeds ${report.seeds.join(', ')}, ${report.duration_s} s simulated per run)`,
    'multipliers (× prior):',
    ...Object.entries(report.multipliers).map(([k, v]) => `  ${k.padEnd(10)} ${v.toFixed(3)}`),
    'residual per cell:',
    ...report.cells.map(
      (c) =>
        `  ${c.table.padEnd(4)} ${c.system.padEnd(6)} ${c.metric.padEnd(22)} paper ${String(c.paper).padStart(7)}  fit ${(c.simulated ?? NaN).toFixed(2).padStart(9)}  ${(c.error_pct ?? NaN).toFixed(1).padStart(7)} %${c.within_tolerance ? '' : '  (outside tolerance)'}`,
    ),
  ];
  return lines.join('\n');
}

export async function runCalibration(
  rounds: number,
  runner: Runner,
  onProgress?: (evals: number, objective: number) => void,
): Promise<CalibrationOutput> {
  const res = await fitParameters(PAPER, {
    maxEvals: rounds,
    base: DEFAULT_PARAMS,
    start: START_MULTIPLIERS,
    runner,
    ...(onProgress === undefined ? {} : { onProgress }),
  });
  const doc = {
    model_version: MODEL_VERSION,
    note: 'Written by `rxlab calibrate` (core/sim/calibrate): cost-group multipliers fitted to the paper Tables IV–VII from the priors in params.ts.',
    multipliers: res.report.multipliers,
    params: fittedValues(res.params),
    report: res.report,
  };
  const json = `${JSON.stringify(doc, null, 2)}\n`;
  const here = dirname(fileURLToPath(import.meta.url));
  const targets = new Set<string>();
  targets.add(resolve(here, '..', 'calibrated-params.json'));
  targets.add(join(appRoot(), 'core', 'sim', 'calibrated-params.json'));
  const written: string[] = [];
  for (const t of targets) {
    writeFileSync(t, json);
    written.push(t);
  }
  return { params: res.params, report: res.report, text: `${formatFit(res.report)}\nwrote ${written.join(', ')}`, written };
}
