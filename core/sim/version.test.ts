/**
 * The committed parameter set must have been fitted to the model code it ships with: a behaviour
 * change to the model without re-running `rxlab calibrate` would present another model's fit as this
 * one's. Comments are not part of the hash (the build strips them), so notes do not force a re-fit.
 */
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiledPath } from '../paths.js';
import calibrated from './calibrated-params.json' with { type: 'json' };
import { MODEL_CODE_VERSION, MODEL_VERSION, modelFiles } from './version.js';

describe('model version', () => {
  it('is built from the compiled model (not "unbuilt")', () => {
    expect(MODEL_CODE_VERSION).toMatch(/^rxsim-\d+\.\d+\.\d+\+code\.[0-9a-f]{10}$/);
    expect(MODEL_VERSION).toMatch(/^rxsim-\d+\.\d+\.\d+\+[0-9a-f]{10}$/);
  });

  it('calibrated-params.json was fitted to the current model code (re-run `rxlab calibrate` after a model change)', () => {
    expect(calibrated.model_version).toBe(MODEL_CODE_VERSION);
  });

  it('covers everything a run executes: the engine, event queue and random numbers as well as the model', () => {
    const files = (modelFiles(compiledPath('core', 'sim', 'run.js')) ?? []).map((f) => relative(compiledPath(), f).split(sep).join('/'));
    for (const f of ['core/sim/run.js', 'core/sim/engine/engine.js', 'core/sim/engine/event-queue.js', 'core/sim/engine/rng.js', 'core/sim/model/receive-path.js', 'core/sim/model/lro.js', 'core/sim/params.js', 'core/sim/systems.js', 'core/sim/calibrated-params.json']) {
      expect(files).toContain(f);
    }
    expect(files.every((f) => f.startsWith('core/'))).toBe(true);
  });

  it('the compiled model carries no comments, so editing one does not change the version', () => {
    const js = readFileSync(compiledPath('core', 'sim', 'model', 'receive-path.js'), 'utf8');
    expect(js).not.toMatch(/\/\*\*|^\s*\/\/ /m);
  });
});
