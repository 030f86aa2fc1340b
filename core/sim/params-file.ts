/**
 * `rxlab run --params-file FILE`: a whole parameter set as JSON, the base that --set overrides and the
 * system's switches sit on (what a saved parameter set is to a sweep). Slurm tasks of a sweep of a
 * saved parameter set read it from the job folder, since each task has only a throw-away database.
 */
import { readFileSync } from 'node:fs';
import { ParamError, validateParams, type Params } from './params.js';

/**
 * Reads FILE: an object of knob values, or a stored parameter set ({ "params": {…} }); errors name the
 * file. Knobs it leaves out take the model's defaults (the priors, not the calibration), as a set saved
 * by an older model does; for a knob or two on top of the calibration, --set is the tool.
 */
export function readParamsFile(file: string): Params {
  return readParamsFileKeys(file).params;
}

/** readParamsFile, and the knobs the file itself gives (the rest are the defaults'). */
export function readParamsFileKeys(file: string): { params: Params; given: Record<string, unknown> } {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ParamError(`--params-file ${file}: ${e instanceof SyntaxError ? `not JSON (${e.message})` : (e as Error).message}`);
  }
  const o = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined;
  const inner = o?.['params'];
  const knobs = inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : o;
  if (knobs === undefined) throw new ParamError(`--params-file ${file}: expected a JSON object of knob values, e.g. {"c_pirq": 30000, …}`);
  try {
    return { params: validateParams(knobs), given: knobs };
  } catch (e) {
    throw new ParamError(`--params-file ${file}: ${(e as Error).message}`);
  }
}
